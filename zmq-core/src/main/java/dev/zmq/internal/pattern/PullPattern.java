package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.pipe.Pipe;

/**
 * PULL (RFC 30): fair-queues its peers; never sends. GATHER ({@link GatherPattern}) is the same with
 * single-frame messages only: a class of its own, so that in a PULL socket's process this
 * {@link #tryRecvFrame} is the only one loaded and, 8 bytes of bytecode, C1 inlines it into the
 * socket's general receive path (a type test per message did not fit C1's limit four calls deep).
 * With one peer the socket takes from its pipe itself ({@link #solePipe}).
 */
class PullPattern implements Pattern {
    final FairQueue fq = new FairQueue();

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
        throw new ZmqException(ZmqError.ENOTSUP, "PULL sockets cannot send; use a PUSH socket to send");
    }

    @Override
    public boolean hasIn() {
        return fq.hasIn();
    }

    @Override
    public boolean hasOut() {
        return false;
    }

    @Override
    public Pipe solePipe() {
        return fq.single();
    }

    @Override
    public Message tryRecv() {
        return fq.poll();
    }

    @Override
    public Object tryRecvFrame() {
        return fq.pollFrame();
    }

    /** {@link #tryRecvFrame}'s steps for the waiting path (see {@link Pattern#tryRecvFrameAfterWait}). */
    @Override
    public Object tryRecvFrameAfterWait() {
        return fq.pollFrameAfterWait();
    }

    @Override
    public void recycle(byte[] frame) {
        fq.recycle(frame);
    }
}
