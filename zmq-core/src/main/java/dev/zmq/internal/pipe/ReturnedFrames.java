package dev.zmq.internal.pipe;

import java.lang.invoke.VarHandle;

/**
 * Frame arrays on their way back from the application to the connection that decoded them: the
 * application copied a frame out ({@code ZmqSocket.recv(byte[])}) and holds the array no more, so
 * the connection's decoder may fill it with the next frame of the same size instead of allocating
 * a new one (a cold JVM pays a page fault for every new 4 KiB of heap it touches; libzmq's receiver
 * allocates nothing per message). A bounded single-producer single-consumer ring: the producer is
 * the application side of a pipe (the socket's lock serializes it), the consumer the connection side
 * (one I/O thread at a time). The slots are plain; two counters hand them over: the producer
 * publishes how many arrays it put (a release store after the slot's), the consumer how many bytes
 * it took (a release store after it cleared the slot). One release per array on each side, and an
 * acquire only when a side's last view of the other's counter runs out. The releases and acquires
 * are {@link VarHandle#releaseFence()} and {@link VarHandle#acquireFence()} around plain int
 * stores and loads, not accesses through field VarHandles: a field VarHandle access is a chain of
 * guard methods that C1 puts into its profiling code and C2 parses anew in every compile that
 * holds it (the receive path's compiles held four: the connection's take inlined in the decoder,
 * the application's offer in the receive), where a fence is one intrinsic. Cold CURVE 64 B x200k
 * receivers, C1 CPU inside the window, medians of 8-16 pairs in four batches at load 5-8: 3-8 ms
 * less a batch (C2 -12, -5, +1, 0 ms: noise-level). The counters are ints (see
 * {@link ReturnedFramesFields}): plain accesses of a long may be split on 32-bit JVMs.
 *
 * <p>Bounded in bytes: at most {@link #MAX_BYTES}, each array counted with {@link #OVERHEAD} for its
 * header and at least {@link #MIN_COST}; an array that does not fit is left to the garbage collector.
 * The minimum makes the byte bound a bound in arrays too ({@link #MAX_ARRAYS}, no more than
 * {@link #SLOTS}): the producer never reaches a slot the consumer has not cleared, which it knows from
 * the consumer's byte count alone. So a connection holds at most 16 MiB of arrays here, and 8 KiB of slots once
 * its application receives this way (none before). The bounds are what a connection at the default
 * RCVHWM (1000) needs to reuse nearly all its arrays: paused at RCVHWM, it resumes at half of it,
 * and meanwhile the application gave back the arrays of 500 messages, which the next reads decode
 * into (cold 256 B x1M receiver, bytes allocated by its I/O thread: 297 MB without reuse, 153 MB
 * with a 129 KiB cap, 26-41 MB with 257 KiB; 16 B x2M with 256 slots: 72 -> 56 MB, with 2048:
 * 9-10 MB). Large frames need the bytes: a receiver's application thread, sharing two cores with
 * its I/O thread and a sender, drains its pipe in bursts and gives back dozens of arrays at once,
 * of which a 257 KiB ring kept four of 64 KiB. A fresh 64 KiB array per message is cold memory to
 * zero and, under G1's default sizing, which grows the young generation through a cold run, pages
 * touched for the first time (perf of the receiving I/O thread: libc's memset and the kernel's page
 * faults above the kernel's copy of the bytes). Receiving into the caller's buffer (benchmarks/ab.sh,
 * default JVM flags, G1, three rounds, medians), I/O thread allocation and msg/s with a cap of 257 KiB,
 * 1, 2 and 4 MiB: 64 KiB x20k 925, 530, 355, 199 MB and 22.8k, 25.8k, 28.9k, 30.0k (20.1k taking
 * each message as its own array); 4 KiB x200k 701, -, 335, 5 MB and 261k, -, 270k, 362k
 * (ParallelGC 512 MiB: 332k -> 423k). 4 MiB (64 arrays of 64 KiB) still left a cold 64 KiB x20k
 * receiver allocating 240-350 MB under compare.sh's flags (ParallelGC, 512 MiB heap): its application
 * thread, descheduled for a few ms at a time, let the pipe grow past 64 frames again and again. With
 * 8 and 16 MiB: 61 and 16-19 MB, the I/O thread's CPU 510 -> 460 -> 435 ms (benchmarks/ab.sh 65536
 * 20000, 5 and 8 rounds, medians; 27.4k -> 30.5k msg/s over 8). So 16 MiB: 256 arrays of 64 KiB, a
 * whole default RCVHWM of anything up to 16 KiB. None of it is held longer than the pipe needs it: the decoder takes a returned
 * array for every frame while there is one, so the ring and the pipe together hold no more arrays
 * than the pipe held at its fullest (one more, the one being copied out), and an unused ring goes
 * within a second (below). Only the oldest array is offered to the decoder: one of another size than the frame
 * wanted is dropped, so a connection whose frame sizes change keeps no arrays nobody takes; and a
 * connection that takes none for a second lets go of the whole ring ({@code Pipe.dropReturnedFramesIfUnused}),
 * so a receiver with thousands of quiet peers holds none of this for them.
 */
final class ReturnedFrames extends ReturnedFramesFields.Pad2 {
    /** Slots of the ring (a power of two). */
    static final int SLOTS = 2048;
    private static final int MASK = SLOTS - 1;
    /** Bytes held at most: 256 frames of 64 KiB, or a default RCVHWM of 16 KiB frames, headers counted. */
    static final int MAX_BYTES = 16388 * 1024;
    /** Bytes offered between two reads of what the consumer took (see {@link #offer}). */
    private static final int REFRESH_BYTES = MAX_BYTES / 16;
    /** What an array costs beyond its bytes (its header), so that many tiny arrays are bounded too. */
    static final int OVERHEAD = 16;
    /** What an array costs at least: so many fill {@link #MAX_BYTES} before they fill the slots. */
    static final int MIN_COST = (MAX_BYTES + SLOTS - 1) / SLOTS;
    /**
     * Arrays held at most: 2048 (of up to 8,178 bytes each), no more than {@link #SLOTS}: an offer that
     * fits finds at most 2047 held, so its slot is one whose array the consumer took, and cleared before
     * it counted the bytes.
     */
    static final int MAX_ARRAYS = MAX_BYTES / MIN_COST;

    /**
     * The ring's slots and one more at index {@link #SLOTS}, which the producer stores an array it does not
     * keep into and clears at once (see {@link #offer}); the consumer never reads it.
     */
    private final byte[][] slots = new byte[SLOTS + 1][];

    /**
     * What an array of {@code length} bytes counts towards {@link #MAX_BYTES}; one larger than that
     * counts as just more than it (never fits, and its cost cannot overflow the int counters).
     */
    private static int cost(int length) {
        return Math.max(Math.min(length, MAX_BYTES) + OVERHEAD, MIN_COST);
    }

    // ---- producer: the application side, under the socket's lock -------------------------

    /**
     * Keeps {@code frame} (no longer referenced by the caller) for the consumer if it fits: 1 if it did, 0
     * if not (a count, not a boolean: javac makes {@code full == 0} a branch, never taken while profiled).
     */
    int offer(byte[] frame) {
        // The counters wrap (see ReturnedFramesFields): compared by their differences only, each below 2^26
        // (what is held, at most MAX_BYTES, plus a cost, plus REFRESH_BYTES), so no difference overflows.
        int cost = cost(frame.length);
        // What the consumer took is read every REFRESH_BYTES offered (not per offer: that is the consumer's
        // cache line), and when the ring looks full: putBytes reached refreshAt, or this array does not fit
        // what was last seen taken. The two tests are the sign bits of one value, so one branch, and one
        // taken regularly from the start. Separate tests (javac gives `a | b` of two comparisons a branch
        // each) made "looks full" a test never true while the JIT profiled it, as the ring fills only once
        // the receiver falls behind: C2 compiles such a test as a trap, and its first hit threw away the
        // compiled receive path (NativeSocket.recv, SocketCore.tookFrameInto) of a cold 64 KiB x20k
        // receiver, compiled again after (LogCompilation, 3 runs of 3).
        if (((refreshAt - putBytes - 1) | (MAX_BYTES - (putBytes + cost - takenBytesSeen))) < 0) {
            takenBytesSeen = takenBytes;
            VarHandle.acquireFence(); // a slot's store below after the count's load (the consumer cleared the slot first)
            refreshAt = putBytes + REFRESH_BYTES;
        }
        // -1 when it does not fit even so: the array is not kept, and no slot is free either (MIN_COST). No
        // branch, for the same reason: it goes into the spare slot past the ring, cleared at once, and the
        // counters do not move.
        int full = (MAX_BYTES - (putBytes + cost - takenBytesSeen)) >> 31;
        int p = put;
        slots[(p & ~full & MASK) | (full & SLOTS)] = frame; // a slot the consumer cleared: fewer than MAX_ARRAYS are held
        slots[SLOTS] = null;
        putBytes += cost & ~full;
        VarHandle.releaseFence(); // the application's last read of the array, and the slot's store, before the count
        put = p + 1 + full;
        return 1 + full;
    }

    // ---- consumer: the connection side --------------------------------------------------

    /**
     * The oldest array given back if it has exactly {@code size} bytes, else null (one of another
     * size is dropped). The caller owns it from now on.
     */
    byte[] take(int size) {
        int t = taken;
        if (t == putSeen && t == (putSeen = put)) {
            return null;
        }
        VarHandle.acquireFence(); // the slot's load after the count's (the producer stored them the other way round)
        int i = t & MASK;
        var frame = slots[i];
        slots[i] = null; // the producer's again once it reads the bytes below
        taken = t + 1;
        int bytes = takenBytes + cost(frame.length);
        VarHandle.releaseFence(); // the slot cleared, and the array read, before the count
        takenBytes = bytes;
        return frame.length == size ? frame : null;
    }

    /**
     * Consumer side: whether an array was taken (or dropped) since the last call; the first call
     * counts from the ring's creation.
     */
    boolean usedSinceLastLook() {
        boolean used = taken != takenAtLook;
        takenAtLook = taken;
        return used;
    }

    /** Arrays held now (for tests, when neither side is running). */
    int size() {
        int n = 0;
        for (var slot : slots) {
            if (slot != null) {
                n++;
            }
        }
        return n;
    }
}
