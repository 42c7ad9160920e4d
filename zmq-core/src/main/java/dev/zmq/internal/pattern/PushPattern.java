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

    /** {@code type} is PUSH or SCATTER. */
    PushPattern(SocketType type) {
        this.type = type;
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

    @Override
    public boolean trySend(Message message) {
        if (type == SocketType.SCATTER) {
            SingleFrame.checkSend(type, message);
        }
        var pipe = lb.pick();
        if (pipe == null) {
            return false;
        }
        pipe.pushOut(message);
        return true;
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
