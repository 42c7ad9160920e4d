package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;

/**
 * CLIENT (RFC 41, libzmq's client.cpp): round-robin out to SERVERs with room, fair-queued in,
 * single-frame messages only.
 */
final class ClientPattern implements Pattern {
    private final LoadBalancer lb = new LoadBalancer();
    private final FairQueue fq = new FairQueue();
    private final DropCounter drops;

    ClientPattern(DropCounter drops) {
        this.drops = drops;
    }

    @Override
    public boolean attach(Pipe pipe) {
        lb.add(pipe);
        fq.add(pipe);
        return true;
    }

    @Override
    public void detach(Pipe pipe) {
        lb.remove(pipe);
        fq.remove(pipe);
    }

    @Override
    public boolean trySend(Message message) {
        SingleFrame.checkSend(SocketType.CLIENT, message);
        var pipe = lb.pick();
        if (pipe == null) {
            return false;
        }
        pipe.pushOut(message.withRoutingId(0));
        return true;
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
        return lb.hasRoom();
    }
}
