package dev.zmq.internal.io;

import java.nio.ByteBuffer;

/**
 * Buffers for the bytes a paused connection read but could not decode yet (its pipe reached
 * RCVHWM in the middle of a read; see {@code ZmtpEngine}). A connection that reads faster than its
 * application pauses in nearly every read of a large buffer, so the buffer it held last is kept as
 * this thread's one spare and lent again, rather than a fresh one of up to a read's size being
 * allocated and zeroed per pause.
 *
 * <p>Memory stays bounded by what connections hold: a buffer is lent only to a connection holding
 * at least half its size (smaller leftovers get a buffer of their exact size), it is given back as
 * soon as its bytes are decoded, and one spare is kept per I/O thread. Only this I/O thread uses it.
 */
public final class HeldInputBuffers {
    /** The size of the buffers kept for reuse: a whole read's. */
    private final int size;
    private ByteBuffer spare;

    HeldInputBuffers(int size) {
        this.size = size;
    }

    /** A buffer holding {@code in}'s remaining bytes (all of them consumed from {@code in}), ready to be read. */
    public ByteBuffer hold(ByteBuffer in) {
        int bytes = in.remaining();
        ByteBuffer b;
        if (bytes < size / 2 || bytes > size) {
            b = ByteBuffer.allocate(bytes);
        } else if (spare != null) {
            b = spare;
            spare = null;
        } else {
            b = ByteBuffer.allocate(size);
        }
        return b.put(in).flip();
    }

    /** {@code held} was all decoded (or its connection closed): kept as the spare if it is of the size lent. */
    public void release(ByteBuffer held) {
        if (held.capacity() == size) {
            held.clear();
            spare = held;
        }
    }

    /** Whether a spare buffer is kept (for tests). */
    boolean hasSpare() {
        return spare != null;
    }
}
