package dev.zmq.internal.transport.pgm;

import dev.zmq.Message;
import java.util.Arrays;

/**
 * Cuts the stream of outgoing messages into TSDUs the way libzmq's pgm_sender does: each message
 * frame in ZMTP 1.0 framing (length including the flags octet, flags with MORE, body), frames of
 * all messages back to back, and each TSDU starting with a 2-byte offset to the first message that
 * starts in it (0xFFFF when none does), so a receiver joining late starts at a message boundary.
 */
public final class ApduWriter {
    /** The offset of a TSDU in which no message starts. */
    public static final int NO_BOUNDARY = 0xFFFF;

    private final int maxTsdu;
    private byte[] buf = new byte[4096];
    private int start;
    private int end;
    /** Absolute positions (in buf) where messages start, in order; a simple growable ring. */
    private int[] boundaries = new int[64];
    private int boundaryHead;
    private int boundaryCount;

    /** @param maxTsdu the largest TSDU, offset included */
    public ApduWriter(int maxTsdu) {
        if (maxTsdu < 3 || maxTsdu > 0xFFFF) {
            throw new IllegalArgumentException("TSDU size must be 3..65535 bytes, not " + maxTsdu);
        }
        this.maxTsdu = maxTsdu;
    }

    /** Bytes encoded and not yet cut into TSDUs. */
    public int pending() {
        return end - start;
    }

    /** Whether another message should be encoded before cutting (less than one TSDU is waiting). */
    public boolean wantsMore() {
        return pending() < maxTsdu - 2;
    }

    /** Encodes a message at the end of the stream. */
    public void add(Message message) {
        addBoundary(end);
        int n = message.size();
        for (int i = 0; i < n; i++) {
            var frame = message.frame(i);
            long length = frame.length + 1L;
            ensure(9 + 1 + frame.length);
            if (length < 0xFF) {
                buf[end++] = (byte) length;
            } else {
                buf[end++] = (byte) 0xFF;
                for (int s = 56; s >= 0; s -= 8) {
                    buf[end++] = (byte) (length >>> s);
                }
            }
            buf[end++] = (byte) (i < n - 1 ? 1 : 0);
            System.arraycopy(frame, 0, buf, end, frame.length);
            end += frame.length;
        }
    }

    /** Cuts the next TSDU (offset and up to {@code maxTsdu - 2} bytes of stream), or null if nothing is pending. */
    public byte[] next() {
        int len = Math.min(pending(), maxTsdu - 2);
        if (len == 0) {
            return null;
        }
        int offset = NO_BOUNDARY;
        while (boundaryCount > 0) {
            int b = boundaries[boundaryHead];
            if (b - start >= len) {
                break;
            }
            boundaryHead = (boundaryHead + 1) % boundaries.length;
            boundaryCount--;
            if (offset == NO_BOUNDARY) {
                offset = b - start;
            }
        }
        // As libzmq: a TSDU that ends exactly where the stream ends points past its data when no
        // message starts in it, so a receiver may join there (the next message starts the next TSDU).
        if (offset == NO_BOUNDARY && start + len == end && len < maxTsdu - 2) {
            offset = len;
        }
        var tsdu = new byte[len + 2];
        tsdu[0] = (byte) (offset >>> 8);
        tsdu[1] = (byte) offset;
        System.arraycopy(buf, start, tsdu, 2, len);
        start += len;
        if (start == end) {
            start = 0;
            end = 0;
            boundaryHead = 0;
            boundaryCount = 0;
        }
        return tsdu;
    }

    private void addBoundary(int at) {
        if (boundaryCount == boundaries.length) {
            var bigger = new int[boundaries.length * 2];
            for (int i = 0; i < boundaryCount; i++) {
                bigger[i] = boundaries[(boundaryHead + i) % boundaries.length];
            }
            boundaries = bigger;
            boundaryHead = 0;
        }
        boundaries[(boundaryHead + boundaryCount) % boundaries.length] = at;
        boundaryCount++;
    }

    private void ensure(int more) {
        if (end + more <= buf.length) {
            return;
        }
        // Compact first: positions move by start.
        int shift = start;
        if (shift > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= shift;
            start = 0;
            for (int i = 0; i < boundaryCount; i++) {
                boundaries[(boundaryHead + i) % boundaries.length] -= shift;
            }
        }
        if (end + more > buf.length) {
            long size = Math.max((long) buf.length * 2, (long) end + more);
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("message too large to encode for PGM: " + size + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) size);
        }
    }
}
