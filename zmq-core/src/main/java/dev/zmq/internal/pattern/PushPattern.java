package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.pipe.Pipe;

/** PUSH (RFC 30): round-robin to peers with room; blocks when all are full; never receives. */
final class PushPattern implements Pattern {
    private final LoadBalancer lb = new LoadBalancer();

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
        throw new ZmqException(ZmqError.ENOTSUP, "PUSH sockets cannot receive; use a PULL socket to receive");
    }
}
