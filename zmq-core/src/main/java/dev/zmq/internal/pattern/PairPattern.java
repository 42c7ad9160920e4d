package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;

/**
 * PAIR (RFC 31): exactly one peer; a second one is refused while the first is attached. Also
 * CHANNEL (libzmq's channel.cpp), which is the same with single-frame messages only (longer ones
 * from the peer are dropped and counted).
 */
final class PairPattern implements Pattern {
    private final boolean singleFrame;
    private final DropCounter drops;
    private Pipe peer;

    /** {@code type} is PAIR or CHANNEL; {@code drops} counts CHANNEL's dropped multi-frame messages. */
    PairPattern(SocketType type, DropCounter drops) {
        this.singleFrame = type == SocketType.CHANNEL;
        this.drops = drops;
    }

    @Override
    public boolean attach(Pipe pipe) {
        if (peer != null) {
            return false;
        }
        peer = pipe;
        return true;
    }

    @Override
    public void detach(Pipe pipe) {
        if (peer == pipe) {
            peer = null;
        }
    }

    @Override
    public boolean trySend(Message message) {
        return trySendAny(message);
    }

    /** A Message, or a bare {@code byte[]} queued as it is (see {@link Pattern#trySendAny}). */
    @Override
    public boolean trySendAny(Object message) {
        if (singleFrame) {
            SingleFrame.checkSend(SocketType.CHANNEL, message);
        }
        if (peer == null || !peer.hasRoomOut()) {
            return false;
        }
        peer.pushOut(message);
        return true;
    }

    @Override
    public boolean hasIn() {
        return peer != null && (singleFrame ? SingleFrame.hasIn(peer, drops) : peer.hasIn());
    }

    @Override
    public boolean hasOut() {
        return peer != null && peer.hasRoomOut();
    }

    /** The peer, but not for CHANNEL, which drops multi-frame messages. */
    @Override
    public Pipe solePipe() {
        return singleFrame ? null : peer;
    }

    @Override
    public Message tryRecv() {
        if (peer == null) {
            return null;
        }
        return singleFrame ? SingleFrame.poll(peer, drops) : peer.pollIn();
    }

    @Override
    public Object tryRecvFrame() {
        if (peer == null) {
            return null;
        }
        return singleFrame ? SingleFrame.poll(peer, drops) : peer.pollInFrame();
    }

    @Override
    public void recycle(byte[] frame) {
        if (peer != null) {
            peer.recycleIn(frame);
        }
    }
}
