package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.internal.pipe.Pipe;

/** PAIR (RFC 31): exactly one peer; a second one is refused while the first is attached. */
final class PairPattern implements Pattern {
    private Pipe peer;

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
        if (peer == null || !peer.hasRoomOut()) {
            return false;
        }
        peer.pushOut(message);
        return true;
    }

    @Override
    public boolean hasIn() {
        return peer != null && peer.hasIn();
    }

    @Override
    public boolean hasOut() {
        return peer != null && peer.hasRoomOut();
    }

    @Override
    public Message tryRecv() {
        return peer == null ? null : peer.pollIn();
    }
}
