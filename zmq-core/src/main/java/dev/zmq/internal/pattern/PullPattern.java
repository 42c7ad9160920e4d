package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;

/**
 * PULL (RFC 30): fair-queues its peers; never sends. Also GATHER (RFC 49, libzmq's gather.cpp),
 * which is the same with single-frame messages only (longer ones from a peer are dropped and counted).
 */
final class PullPattern implements Pattern {
    private final FairQueue fq = new FairQueue();
    private final SocketType type;
    private final DropCounter drops;

    /** {@code type} is PULL or GATHER; {@code drops} counts GATHER's dropped multi-frame messages. */
    PullPattern(SocketType type, DropCounter drops) {
        this.type = type;
        this.drops = drops;
    }

    @Override
    public boolean attach(Pipe pipe) {
        fq.add(pipe);
        return true;
    }

    @Override
    public void detach(Pipe pipe) {
        fq.remove(pipe);
    }

    @Override
    public boolean trySend(Message message) {
        String sender = type == SocketType.GATHER ? "SCATTER" : "PUSH";
        throw new ZmqException(ZmqError.ENOTSUP, type + " sockets cannot send; use a " + sender + " socket to send");
    }

    @Override
    public boolean hasIn() {
        return type == SocketType.GATHER ? SingleFrame.hasIn(fq, drops) : fq.hasIn();
    }

    @Override
    public boolean hasOut() {
        return false;
    }

    @Override
    public Message tryRecv() {
        return type == SocketType.GATHER ? SingleFrame.poll(fq, drops) : fq.poll();
    }

    @Override
    public Object tryRecvFrame() {
        return type == SocketType.GATHER ? SingleFrame.poll(fq, drops) : fq.pollFrame();
    }

    @Override
    public void recycle(byte[] frame) {
        fq.recycle(frame);
    }
}
