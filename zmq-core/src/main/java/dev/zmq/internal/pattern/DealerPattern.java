package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.options.Options;

/** DEALER (RFC 28): round-robin out to peers with room, fair-queued in, no envelope handling. */
class DealerPattern implements Pattern {
    final LoadBalancer lb = new LoadBalancer();
    final FairQueue fq = new FairQueue();
    final Options options;

    DealerPattern(Options options) {
        this.options = options;
    }

    @Override
    public boolean attach(Pipe pipe) {
        lb.add(pipe);
        fq.add(pipe);
        Probe.sendIfAsked(pipe, options);
        return true;
    }

    @Override
    public void detach(Pipe pipe) {
        lb.remove(pipe);
        fq.remove(pipe);
    }

    @Override
    public boolean trySend(Message message) {
        return trySendAny(message);
    }

    /** A Message, or a bare {@code byte[]} queued as it is (see {@link Pattern#trySendAny}). */
    @Override
    public boolean trySendAny(Object message) {
        var pipe = lb.pick();
        if (pipe == null) {
            return false;
        }
        pipe.pushOut(message);
        return true;
    }

    @Override
    public boolean hasIn() {
        return fq.hasIn();
    }

    @Override
    public boolean hasOut() {
        return lb.hasRoom();
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

    @Override
    public void recycle(byte[] frame) {
        fq.recycle(frame);
    }
}
