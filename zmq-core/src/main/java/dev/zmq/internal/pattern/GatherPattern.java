package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;

/** GATHER (RFC 49, libzmq's gather.cpp): a single-frame PULL, fair-queued from SCATTERs; never sends. */
final class GatherPattern implements Pattern {
    private final FairQueue fq = new FairQueue();
    private final DropCounter drops;

    GatherPattern(DropCounter drops) {
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
        throw new ZmqException(ZmqError.ENOTSUP, "GATHER sockets cannot send; use a SCATTER socket to send");
    }

    @Override
    public Message tryRecv() {
        return SingleFrame.poll(fq, drops);
    }

    @Override
    public boolean hasIn() {
        return SingleFrame.hasIn(fq, drops);
    }

    @Override
    public boolean hasOut() {
        return false;
    }
}
