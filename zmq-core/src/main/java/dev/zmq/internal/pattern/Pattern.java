package dev.zmq.internal.pattern;

import dev.zmq.Message;
import dev.zmq.internal.pipe.Pipe;

/**
 * A socket type's routing rules: where an outgoing message goes, which incoming message is next,
 * and what envelope frames are added or stripped. All methods run with the socket lock held.
 */
public interface Pattern {

    /**
     * A new peer pipe. Returns false to refuse the peer (PAIR already paired, ROUTER id taken):
     * the connection is then closed.
     */
    boolean attach(Pipe pipe);

    /**
     * A pipe attached before its handshake (a connecting socket queues messages early) now knows
     * its peer's type and announced identity. Returns false to refuse the peer.
     */
    default boolean identified(Pipe pipe) {
        return true;
    }

    /** A peer pipe went away; forget it. */
    void detach(Pipe pipe);

    /**
     * Routes {@code message} to a peer. Returns false if it would block (no peer has room);
     * throws for messages the pattern forbids now.
     */
    boolean trySend(Message message);

    /** The next message for the application, or null if none is ready. Throws if receiving is forbidden now. */
    Message tryRecv();
}
