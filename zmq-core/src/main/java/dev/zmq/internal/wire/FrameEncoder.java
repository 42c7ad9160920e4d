package dev.zmq.internal.wire;

import java.nio.ByteBuffer;

/**
 * Writes frames into an output buffer, resuming where it stopped when the buffer fills, so a
 * message of any size goes out through a fixed-size buffer.
 */
public final class FrameEncoder {
    private byte[][] frames;
    /** The array {@link #start(byte[])} puts a one-frame message in, reused (emptied once written). */
    private final byte[][] one = new byte[1][];
    private boolean command;
    /** Each frame stands alone, without flags (CURVE MESSAGE commands, as libzmq sends them). */
    private boolean sealed;
    private int frameIndex;
    private int bodyPos;
    private boolean headerWritten;
    /** ZMTP 1.0 framing: the length counts the flags octet, which follows it. */
    private boolean v1;

    /** Switches to ZMTP 1.0 framing (RFC 13). */
    public void setZmtp10() {
        this.v1 = true;
    }

    /** Whether a message or command is partly written. */
    public boolean busy() {
        return frames != null;
    }

    /** Starts encoding a message's frames (or a single command frame). */
    public void start(byte[][] frames, boolean command) {
        this.frames = frames;
        this.command = command;
        this.sealed = false;
        this.frameIndex = 0;
        this.bodyPos = 0;
        this.headerWritten = false;
    }

    /** Starts encoding a one-frame message, without an array around it. */
    public void start(byte[] frame) {
        one[0] = frame;
        start(one, false);
    }

    /** Starts encoding frames that each go out on their own, with no flags at all (see {@code MessageCodec}). */
    public void startSealed(byte[][] frames) {
        start(frames, false);
        this.sealed = true;
    }

    /** Bytes of the ZMTP 3 header of a frame of {@code size} bytes. */
    public static int headerLength(int size) {
        return size > 255 ? 9 : 2;
    }

    /**
     * Writes the ZMTP 3 header of a frame of {@code size} bytes with no flags at all (a sealed frame,
     * see {@link #startSealed}) whose body the caller writes right after it; the caller checked room
     * for {@link #headerLength} plus the body. Only between messages ({@link #busy()} false).
     */
    public static void putSealedHeader(ByteBuffer out, int size) {
        if (size > 255) {
            out.put((byte) FrameFlags.LONG);
            out.putLong(size);
        } else {
            out.put((byte) 0);
            out.put((byte) size);
        }
    }

    /** Writes as much as fits into {@code out}; true when the current message is entirely written. */
    public boolean encode(ByteBuffer out) {
        while (frameIndex < frames.length) {
            var frame = frames[frameIndex];
            if (!headerWritten) {
                if (out.remaining() < 10) {
                    return false;
                }
                int flags = command ? FrameFlags.COMMAND : (!sealed && frameIndex < frames.length - 1 ? FrameFlags.MORE : 0);
                if (v1) {
                    long length = frame.length + 1L;
                    if (length < 255) {
                        out.put((byte) length);
                    } else {
                        out.put((byte) 0xFF);
                        out.putLong(length);
                    }
                    out.put((byte) flags);
                } else if (frame.length > 255) {
                    out.put((byte) (flags | FrameFlags.LONG));
                    out.putLong(frame.length);
                } else {
                    out.put((byte) flags);
                    out.put((byte) frame.length);
                }
                headerWritten = true;
            }
            int n = Math.min(frame.length - bodyPos, out.remaining());
            out.put(frame, bodyPos, n);
            bodyPos += n;
            if (bodyPos < frame.length) {
                return false;
            }
            frameIndex++;
            bodyPos = 0;
            headerWritten = false;
        }
        frames = null;
        one[0] = null; // the encoder keeps no message alive
        return true;
    }
}
