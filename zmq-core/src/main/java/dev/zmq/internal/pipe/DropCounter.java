package dev.zmq.internal.pipe;

import java.util.concurrent.atomic.LongAdder;

/**
 * Messages a socket lost without telling the application: outbound ones it accepted but did not
 * queue for some peer, inbound ones that arrived but never reached the application. Safe from any
 * thread: a CONFLATE pipe counts the inbound messages it replaces on its connection's thread.
 */
public final class DropCounter {
    private final LongAdder outbound = new LongAdder();
    private final LongAdder inbound = new LongAdder();

    /** One accepted outgoing message (or one copy of it, for PUB) was not queued for a peer. */
    public void droppedOut() {
        outbound.increment();
    }

    /** {@code count} accepted outgoing messages were thrown away after being queued (CONFLATE). */
    public void droppedOut(int count) {
        outbound.add(count);
    }

    /** {@code count} messages from a peer were thrown away before the application could receive them. */
    public void discardedIn(int count) {
        inbound.add(count);
    }

    public long outbound() {
        return outbound.sum();
    }

    public long inbound() {
        return inbound.sum();
    }
}
