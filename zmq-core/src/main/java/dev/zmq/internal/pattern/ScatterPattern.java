package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.pipe.Pipe;

/** SCATTER (RFC 49, libzmq's scatter.cpp): a single-frame PUSH, round-robin to GATHERs with room; never receives. */
final class ScatterPattern implements Pattern {
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
        SingleFrame.checkSend(SocketType.SCATTER, message);
        var pipe = lb.pick();
        if (pipe == null) {
            return false;
        }
        pipe.pushOut(message);
        return true;
    }

    @Override
    public Message tryRecv() {
        throw new ZmqException(ZmqError.ENOTSUP, "SCATTER sockets cannot receive; use a GATHER socket to receive");
    }

    @Override
    public boolean hasIn() {
        return false;
    }

    @Override
    public boolean hasOut() {
        return lb.hasRoom();
    }
}
