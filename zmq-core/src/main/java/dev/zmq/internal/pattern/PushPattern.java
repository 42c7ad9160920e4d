package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.pipe.Pipe;

/**
 * PUSH (RFC 30): round-robin to peers with room; blocks when all are full; never receives. Also
 * SCATTER (RFC 49, libzmq's scatter.cpp), which is the same with single-frame messages only.
 */
final class PushPattern implements Pattern {
    private final LoadBalancer lb = new LoadBalancer();
    private final SocketType type;
    /** SCATTER: single-frame messages only. A flag, not {@code type == SCATTER}: a shorter {@link #trySend}. */
    private final boolean scatter;

    /** {@code type} is PUSH or SCATTER. */
    PushPattern(SocketType type) {
        this.type = type;
        this.scatter = type == SocketType.SCATTER;
    }

    @Override
    public boolean attach(Pipe pipe) {
        lb.add(pipe);
        return true;
    }

    @Override
    public void detach(Pipe pipe) {
        lb.remove(pipe);
    }

    /**
     * 24 bytes of bytecode: C1 inlines up to 24 at the depth where this sits under a caller's send
     * loop (see {@code SocketCore.send(Message)}), so it is not a call of its own in the profiling
     * code, counted on its own and compiled by C2 as one more unit with the pipe's half inlined.
     */
    @Override
    public boolean trySendAny(Object message) {
        if (scatter) {
            SingleFrame.checkSend(type, message);
        }
        return lb.send(message);
    }

    /** {@link #trySendAny}'s steps for the waiting path (see {@link Pattern#trySendAnyAfterWait}). */
    @Override
    public boolean trySendAnyAfterWait(Object message) {
        if (scatter) {
            SingleFrame.checkSend(type, message);
        }
        return lb.sendAfterWait(message);
    }

    @Override
    public boolean trySend(Message message) {
        return trySendAny(message);
    }

    @Override
    public boolean hasIn() {
        return false;
    }

    @Override
    public boolean hasOut() {
        return lb.hasRoom();
    }

    @Override
    public Message tryRecv() {
        String receiver = type == SocketType.SCATTER ? "GATHER" : "PULL";
        throw new ZmqException(ZmqError.ENOTSUP, type + " sockets cannot receive; use a " + receiver + " socket to receive");
    }
}
