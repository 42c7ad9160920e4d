package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.pipe.Pipe;

/** PULL (RFC 30): fair-queues its peers; never sends. */
final class PullPattern implements Pattern {
    private final FairQueue fq = new FairQueue();

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
    public Message tryRecv() {
        return fq.poll();
    }
}
