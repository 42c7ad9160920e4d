package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;

/**
 * GATHER (RFC 49, libzmq's gather.cpp): PULL with single-frame messages only; longer ones from a
 * peer are dropped and counted.
 */
final class GatherPattern extends PullPattern {
    private final DropCounter drops;

    /** {@code drops} counts the dropped multi-frame messages. */
    GatherPattern(DropCounter drops) {
        this.drops = drops;
    }

    @Override
    public boolean trySend(Message message) {
        throw new ZmqException(ZmqError.ENOTSUP, "GATHER sockets cannot send; use a SCATTER socket to send");
    }

    @Override
    public boolean hasIn() {
        return SingleFrame.hasIn(fq, drops);
    }

    @Override
    public Message tryRecv() {
        return SingleFrame.poll(fq, drops);
    }

    @Override
    public Object tryRecvFrame() {
        return SingleFrame.poll(fq, drops);
    }

    /** None: a GATHER drops multi-frame messages, which the socket's fast path would not. */
    @Override
    public Pipe solePipe() {
        return null;
    }

    /** Not PULL's: a waiting GATHER drops multi-frame messages as {@link #tryRecvFrame} does. */
    @Override
    public Object tryRecvFrameAfterWait() {
        return tryRecvFrame();
    }
}
