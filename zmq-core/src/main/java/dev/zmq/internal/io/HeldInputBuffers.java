package dev.zmq.internal.io;

import java.nio.ByteBuffer;

/**
 * Buffers for the bytes a paused connection read but could not decode yet (its pipe reached
 * RCVHWM in the middle of a read; see {@code ZmtpEngine}). A connection that reads faster than its
 * application pauses in nearly every read, so this thread keeps one buffer of a whole read's size
 * and lends it to whichever connection pauses while it is free, whatever the leftover's size: a
 * fresh buffer per pause (of the leftover's size, a few KiB at 256 B messages) was most of what the
 * receiving I/O thread allocated besides the messages, ~8 B per message, and in a cold process every
 * new page of heap costs a first-touch fault.
 *
 * <p>Memory stays bounded: one buffer of a read's size per I/O thread, lent to one connection at a
 * time; a connection that pauses while it is lent gets a buffer of exactly its leftover's size,
 * dropped once decoded. Only this I/O thread uses it.
 */
public final class HeldInputBuffers {
    /** The size of the buffer kept for reuse: a whole read's. */
    private final int size;
    /** The thread's buffer, made at the first pause; null until then. */
    private ByteBuffer kept;
    private boolean lent;

    HeldInputBuffers(int size) {
        this.size = size;
    }

    /** A buffer holding {@code in}'s remaining bytes (all of them consumed from {@code in}), ready to be read. */
    public ByteBuffer hold(ByteBuffer in) {
        int bytes = in.remaining();
        ByteBuffer b;
        if (lent || bytes > size) {
            b = ByteBuffer.allocate(bytes);
        } else {
            if (kept == null) {
                kept = ByteBuffer.allocate(size);
            }
            b = kept;
            lent = true;
        }
        return b.put(in).flip();
    }

    /** {@code held} was all decoded (or its connection closed): the thread's buffer is free again, another is dropped. */
    public void release(ByteBuffer held) {
        if (held == kept) {
            held.clear();
            lent = false;
        }
    }

    /** Whether the thread's buffer exists and is free to lend (for tests). */
    boolean hasSpare() {
        return kept != null && !lent;
    }
}
