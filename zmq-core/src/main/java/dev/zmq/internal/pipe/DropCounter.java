package dev.zmq.internal.pipe;

/**
 * Messages a socket lost without telling the application: outbound ones it accepted but did not
 * queue for some peer, inbound ones that arrived but never reached the application. Plain fields:
 * every update and read happens with the owning socket's lock held, like every pipe operation.
 */
public final class DropCounter {
    private long outbound;
    private long inbound;

    /** One accepted outgoing message (or one copy of it, for PUB) was not queued for a peer. */
    public void droppedOut() {
        outbound++;
    }

    /** {@code count} accepted outgoing messages were thrown away after being queued (CONFLATE). */
    public void droppedOut(int count) {
        outbound += count;
    }

    /** {@code count} messages from a peer were thrown away before the application could receive them. */
    public void discardedIn(int count) {
        inbound += count;
    }

    public long outbound() {
        return outbound;
    }

    public long inbound() {
        return inbound;
    }
}
