package dev.zmq.internal.pipe;

/**
 * A single-producer single-consumer queue without locks, in the manner of libzmq's {@code ypipe_t}:
 * elements live in linked chunks of {@value #CHUNK} slots, the producer makes what it wrote visible
 * with one {@link #publish()} (so a burst becomes visible at once), and the consumer tells how far
 * it has read with {@link #commit()}. The chunks form a ring: when the producer fills a chunk it
 * moves on to the next one in the ring if the consumer has committed past it, and puts a new chunk in
 * before it otherwise, so a queue whose length stays within its ring allocates nothing, also when the
 * consumer drains many chunks at once (an I/O thread writing a batch, an application catching up after
 * RCVHWM). Before, one finished chunk was kept as a spare and a sending process allocated a chunk per
 * 128 messages, ~4 B a message: in a cold process every new page of heap costs a first-touch fault.
 * The consumer only follows the ring; it never writes a link.
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
    /**
     * The most chunks a ring keeps once the consumer has finished them (16: more than the default
     * high-water mark of 1000 elements needs): beyond that, the producer drops finished chunks as it
     * passes them, so a queue that once held a long burst does not keep all of it.
     */
    static final int MAX_RING = 16;
    /**
     * {@link #offer} calls {@link #grow} at least once per this many elements (a power of two, a multiple of
     * {@link #CHUNK}), whether or not the ring needs to change (see offer).
     */
    static final int CHECK_EVERY = 8 * CHUNK;

    // The fields live in the padded superclasses (SpscQueueFields): producer-owned, shared, and
    // consumer-owned fields each on cache lines of their own, so that the two threads do not
    // invalidate each other's lines on every element (false sharing).

    static final class Chunk {
        final Object[] slots = new Object[CHUNK];
        /**
         * The next chunk in the ring. Written by the producer only while this chunk is its tail, before it
         * publishes an element of the next chunk; read by the consumer after.
         */
        Chunk next;
        /** The index of the element in {@code slots[0]} when the producer last filled this chunk (producer's only). */
        long first;
    }

    public SpscQueue() {
        tail = new Chunk();
        tail.next = tail; // a ring of one
        head = tail;
        ring = 1;
    }

    // ---- producer -----------------------------------------------------------------------------

    /** Appends {@code e} (not null); invisible to the consumer until {@link #publish()}. */
    public void offer(E e) {
        long w = written;
        int i = (int) (w & MASK);
        if (i == 0 && w != 0) {
            // On to the chunk after the tail in the ring: either one the consumer finished or its current one
            // (the ring holds, from the consumer's chunk on, the unread chunks up to the tail, then the finished).
            // grow(c) when the ring is too long (ring > MAX_RING), when c is not finished (c.first + CHUNK >=
            // consumed, finished(c) written out), and every CHECK_EVERY elements whatever they say. As sign
            // bits of one value, one branch: the two tests are false nearly always, and a test never true while
            // C2 profiled this is compiled as a trap, whose first hit (a queue longer than it ever was, late in a
            // run) throws away the compiled code of every caller that inlined this. In a cold 64 KiB x20k
            // receiver that was the decoder's step, with the frame's whole way into the pipe inlined: a
            // recompile of 260 ms of the C2 thread's wall time inside the window (LogCompilation). The
            // periodic call keeps the branch taken while profiled, so C2 compiles it as a call of grow.
            var c = tail.next;
            if (((MAX_RING - ring) | (consumed - c.first - CHUNK - 1) | ((w & (CHECK_EVERY - 1)) - 1)) < 0) {
                c = grow(c);
            }
            c.first = w;
            tail = c;
        }
        tail.slots[i] = e;
        written = w + 1;
    }

    /**
     * The chunk to fill after the tail when the next one in the ring, {@code c}, cannot be, or the ring is
     * longer than {@link #MAX_RING}: finished chunks beyond that are dropped, then a new chunk is put
     * in before {@code c} unless {@code c} is finished. A finished chunk's slots were all cleared by the
     * consumer before it committed past them. Returns {@code c} itself when it is finished and the ring
     * short enough (every {@link #CHECK_EVERY} elements offer asks anyway).
     */
    private Chunk grow(Chunk c) {
        while (ring > MAX_RING && finished(c)) {
            c = c.next; // dropped, for the GC
            tail.next = c;
            ring--;
        }
        if (finished(c)) {
            return c;
        }
        var fresh = new Chunk();
        fresh.next = c;
        tail.next = fresh;
        ring++;
        return fresh;
    }

    /**
     * Whether the consumer has committed past chunk {@code c} (taken its last element and the one after,
     * so it has moved on to the next chunk); volatile read.
     */
    private boolean finished(Chunk c) {
        return c.first + CHUNK < consumed;
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
            head = head.next;
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
        // consumed first (it never exceeds a later read of published), without a local: max_stack +
        // 1 + max_locals - argument slots is then 5, within what C1 inlines ("callee uses too much
        // stack" at 7: a call per receive at RCVHWM, and a C2 compile of its own).
        return -consumed + published;
    }
}
