package dev.zmq.internal.pipe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Frame arrays on their way back from the application to the connection that decoded them: the
 * application copied a frame out ({@code ZmqSocket.recv(byte[])}) and holds the array no more, so
 * the connection's decoder may fill it with the next frame of the same size instead of allocating
 * a new one (a cold JVM pays a page fault for every new 4 KiB of heap it touches; libzmq's receiver
 * allocates nothing per message). A bounded single-producer single-consumer ring whose slots are
 * the only shared state (a slot is full while it holds an array): the producer is the application
 * side of a pipe (the socket's lock serializes it), the consumer the connection side (one I/O
 * thread at a time).
 *
 * <p>Bounded in slots and in bytes: at most {@link #SLOTS} arrays and {@link #MAX_BYTES} bytes (each
 * array counted with {@link #OVERHEAD} for its header); an array that does not fit is left to the
 * garbage collector. So a connection holds at most 257 KiB of arrays here, and 8 KiB of slots once
 * its application receives this way (none before). The bounds are what a connection at the default
 * RCVHWM (1000) needs to reuse nearly all its arrays: paused at RCVHWM, it resumes at half of it,
 * and meanwhile the application gave back the arrays of 500 messages, which the next reads decode
 * into (cold 256 B x1M receiver, bytes allocated by its I/O thread: 297 MB without reuse, 153 MB
 * with a 129 KiB cap, 26-41 MB with this one; 16 B x2M with 256 slots: 72 -> 56 MB, with 2048:
 * 9-10 MB). Only the oldest array is offered to the decoder: one of another size than the frame
 * wanted is dropped, so a connection whose frame sizes change keeps no arrays nobody takes; and a
 * connection that takes none for a second lets go of the whole ring ({@code Pipe.dropReturnedFramesIfUnused}),
 * so a receiver with thousands of quiet peers holds none of this for them.
 */
final class ReturnedFrames extends ReturnedFramesFields.Consumer {
    /** Arrays held at most (a power of two). */
    static final int SLOTS = 2048;
    private static final int MASK = SLOTS - 1;
    /** Bytes held at most: half a default RCVHWM of 256 B frames and a read's worth, or four 64 KiB frames. */
    static final long MAX_BYTES = 257 * 1024;
    /** Bytes offered between two reads of what the consumer took (see {@link #offer}). */
    private static final long REFRESH_BYTES = MAX_BYTES / 16;
    /** What an array costs beyond its bytes (its header), so that many tiny arrays are bounded too. */
    static final int OVERHEAD = 16;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(byte[][].class);
    private static final VarHandle TAKEN_BYTES;

    static {
        try {
            TAKEN_BYTES = MethodHandles.lookup().findVarHandle(ReturnedFramesFields.Consumer.class, "takenBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[][] slots = new byte[SLOTS][];

    // ---- producer: the application side, under the socket's lock -------------------------

    /** Keeps {@code frame} (no longer referenced by the caller) for the consumer if it fits; false if it does not. */
    boolean offer(byte[] frame) {
        long cost = frame.length + OVERHEAD;
        if (putBytes >= refreshAt | putBytes + cost - takenBytesSeen > MAX_BYTES) {
            // What the consumer took is read every REFRESH_BYTES offered (not per offer: that is the
            // consumer's cache line), and when the ring looks full. One branch, taken regularly from
            // the start: a test taken first only when the ring first filled, long after the JIT had
            // profiled it, deoptimized the compiled receive path.
            takenBytesSeen = (long) TAKEN_BYTES.getAcquire(this);
            refreshAt = putBytes + REFRESH_BYTES;
        }
        int i = (int) (put & MASK);
        if (putBytes + cost - takenBytesSeen > MAX_BYTES | SLOT.getAcquire(slots, i) != null) {
            return false; // full (in bytes, or the consumer has not taken this slot's array yet)
        }
        SLOT.setRelease(slots, i, frame); // after the application's last read of the array
        put++;
        putBytes += cost;
        return true;
    }

    // ---- consumer: the connection side --------------------------------------------------

    /**
     * The oldest array given back if it has exactly {@code size} bytes, else null (one of another
     * size is dropped). The caller owns it from now on.
     */
    byte[] take(int size) {
        int i = (int) (taken & MASK);
        var frame = (byte[]) SLOT.getAcquire(slots, i);
        if (frame == null) {
            return null;
        }
        SLOT.setRelease(slots, i, null); // the slot is the producer's again
        taken++;
        TAKEN_BYTES.setRelease(this, takenBytes + frame.length + OVERHEAD);
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
        for (int i = 0; i < SLOTS; i++) {
            if (SLOT.getAcquire(slots, i) != null) {
                n++;
            }
        }
        return n;
    }
}
