package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;

/** CHANNEL (libzmq's channel.cpp): a single-frame PAIR; one peer, a second one is refused while the first is attached. */
final class ChannelPattern implements Pattern {
    private final DropCounter drops;
    private Pipe peer;

    ChannelPattern(DropCounter drops) {
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
        SingleFrame.checkSend(SocketType.CHANNEL, message);
        if (peer == null || !peer.hasRoomOut()) {
            return false;
        }
        peer.pushOut(message);
        return true;
    }

    @Override
    public Message tryRecv() {
        return peer == null ? null : SingleFrame.poll(peer, drops);
    }

    @Override
    public boolean hasIn() {
        return peer != null && SingleFrame.hasIn(peer, drops);
    }

    @Override
    public boolean hasOut() {
        return peer != null && peer.hasRoomOut();
    }
}
