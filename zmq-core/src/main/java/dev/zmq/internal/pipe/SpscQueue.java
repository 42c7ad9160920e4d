package dev.zmq.internal.pipe;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A single-producer single-consumer queue without locks, in the manner of libzmq's {@code ypipe_t}:
 * elements live in linked chunks of {@value #CHUNK} slots, the producer makes what it wrote visible
 * with one {@link #publish()} (so a burst becomes visible at once), and the consumer tells how far
 * it has read with {@link #commit()}. One chunk the consumer finished is kept for the producer to
 * reuse, so a queue that stays short allocates nothing.
 *
 * <p>Thread rules: at any time at most one thread calls the producer methods ({@link #offer},
 * {@link #publish}, {@link #written}) and at most one the consumer methods ({@link #poll},
 * {@link #peek}, {@link #commit}, {@link #read}); a role may pass from one thread to another only
 * through a happens-before edge (a lock, or a volatile handover). {@link #size()} is safe from any
 * thread.
 *
 * <p>The queue itself is unbounded: its users bound it by counting (the pipe's high-water marks),
 * which is what lets control traffic and a closing socket's hand-over exceed a high-water mark
 * without a second queue.
 */
public final class SpscQueue<E> extends SpscQueueFields.Padded {
    /** Slots per chunk (a power of two). */
    static final int CHUNK = 128;
    private static final int MASK = CHUNK - 1;

    // The fields live in the padded superclasses (SpscQueueFields): producer-owned, shared, and
    // consumer-owned fields each on cache lines of their own, so that the two threads do not
    // invalidate each other's lines on every element (false sharing).

    static final class Chunk {
        final Object[] slots = new Object[CHUNK];
        /** Written by the producer before it publishes an element of the next chunk; read by the consumer after. */
        Chunk next;
    }

    /** A chunk the consumer is done with, for the producer to reuse. */
    private final AtomicReference<Chunk> spare = new AtomicReference<>();

    public SpscQueue() {
        tail = new Chunk();
        head = tail;
    }

    // ---- producer -----------------------------------------------------------------------------

    /** Appends {@code e} (not null); invisible to the consumer until {@link #publish()}. */
    public void offer(E e) {
        int i = (int) (written & MASK);
        if (i == 0 && written != 0) {
            var c = spare.getAndSet(null);
            if (c == null) {
                c = new Chunk();
            }
            tail.next = c;
            tail = c;
        }
        tail.slots[i] = e;
        written++;
    }

    /** Makes everything offered so far visible to the consumer, at once. */
    public void publish() {
        published = written;
    }

    /** Elements offered so far (the producer's count). */
    public long written() {
        return written;
    }

    /**
     * Elements offered and not yet committed as consumed, by the consumer's count as the producer
     * last read it ({@link #queuedNow}): never fewer than the truth, and no access to the
     * consumer's fields, so most room checks cost the consumer nothing.
     */
    public long queuedSeen() {
        return written - consumedSeen;
    }

    /** Elements offered and not yet committed as consumed, reading the consumer's count now (volatile read). */
    public long queuedNow() {
        consumedSeen = consumed;
        return written - consumedSeen;
    }

    /** Elements the consumer has reported as taken ({@link #commit()}); volatile read. */
    public long consumed() {
        return consumed;
    }

    // ---- consumer -----------------------------------------------------------------------------

    /** The next published element, or null if none is visible. */
    @SuppressWarnings("unchecked")
    public E poll() {
        if (read == visible) {
            visible = published;
            if (read == visible) {
                return null;
            }
        }
        int i = (int) (read & MASK);
        if (i == 0 && read != 0) {
            var done = head;
            head = done.next;
            done.next = null;
            spare.lazySet(done);
        }
        var e = (E) head.slots[i];
        head.slots[i] = null;
        read++;
        return e;
    }

    /** The next published element without taking it, or null. */
    @SuppressWarnings("unchecked")
    public E peek() {
        if (read == visible) {
            visible = published;
            if (read == visible) {
                return null;
            }
        }
        int i = (int) (read & MASK);
        var c = i == 0 && read != 0 ? head.next : head;
        return (E) c.slots[i];
    }

    /** Reports what was taken so far to the producer (and to {@link #size()}). */
    public void commit() {
        if (consumed != read) {
            consumed = read;
        }
    }

    /**
     * Commits only once {@code step} or more elements were taken since the last commit, or when
     * every element the consumer could see is taken (so a consumer that catches up always reports
     * all it took); true if it committed. The producer then sees room appear in steps, and the
     * line holding the count moves to its core once per step rather than once per element.
     */
    public boolean commitEvery(int step) {
        long r = read;
        if (r - consumed >= step || r == visible) {
            consumed = r;
            return true;
        }
        return false;
    }

    /** Elements taken so far (the consumer's count, committed or not). */
    public long read() {
        return read;
    }

    // ---- any thread ---------------------------------------------------------------------------

    /** Published elements not yet committed as consumed: exact when both sides are quiet, never negative. */
    public long size() {
        long c = consumed; // first: consumed never exceeds a later read of published
        return published - c;
    }
}
