package dev.zmq.internal.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Turns a ZMTP 3.x byte stream into frames. Sizes are checked from the header, before anything is
 * allocated (the static limits here, then the {@link Sink#onHeader sink's} rules for the phase the
 * connection is in); a frame's buffer starts at the bytes already read and grows (doubling) only as
 * its bytes actually arrive, so a peer announcing a large frame cannot make us allocate memory it
 * never sends: a header alone buys at most {@link #MIN_ALLOCATION} bytes.
 */
public final class FrameDecoder implements Decoder {
    /** Receives decoded frames. */
    public interface Sink {
        /** A whole frame. {@code flags} has MORE and COMMAND as sent; LONG is cleared. */
        void onFrame(int flags, byte[] body) throws ZmtpProtocolException;

        /**
         * A frame header was read, before anything is allocated for its body: throw to refuse the
         * frame (a data frame before the handshake completed, a message grown too large). {@code flags}
         * as in {@link #onFrame}.
         */
        default void onHeader(int flags, long size) throws ZmtpProtocolException {
        }
    }

    /** Largest array the JVM reliably allocates. */
    static final long MAX_JAVA_ARRAY = Integer.MAX_VALUE - 8;
    /**
     * The smallest buffer started for a frame whose bytes have not arrived yet; a frame gets at once
     * at most this or the bytes already read, and grows with the data.
     */
    static final int MIN_ALLOCATION = 1024;

    private enum State { FLAGS, SIZE, BODY }

    private final Sink sink;
    /** ZMTP 2.0 has no commands: bit 2 is reserved there. */
    private boolean commandsAllowed = true;
    private long maxDataFrame = -1;
    private long maxCommandFrame = -1;

    private State state = State.FLAGS;
    private int flags;
    private final byte[] sizeBytes = new byte[8];
    private int sizeNeeded;
    private int sizeHave;
    private int declared;
    private byte[] body;
    private int bodyPos;

    public FrameDecoder(Sink sink) {
        this.sink = sink;
    }

    /** Switches to ZMTP 2.0 framing, where the COMMAND bit is reserved. */
    public void setZmtp20() {
        this.commandsAllowed = false;
    }

    /** Largest data frame accepted (MAXMSGSIZE), or -1 for no limit. */
    public void setMaxDataFrame(long max) {
        this.maxDataFrame = max;
    }

    /** Largest command frame accepted, or -1 for no limit. */
    public void setMaxCommandFrame(long max) {
        this.maxCommandFrame = max;
    }

    @Override
    public boolean atFrameBoundary() {
        return state == State.FLAGS;
    }

    @Override
    public void decode(ByteBuffer in) throws ZmtpProtocolException {
        while (in.hasRemaining()) {
            switch (state) {
                case FLAGS -> {
                    flags = in.get() & 0xFF;
                    checkFlags();
                    // Fast path: a frame that is all here (most messages up to a few KiB): its
                    // size read in place, one exact allocation and one copy, no state to go through.
                    if ((flags & FrameFlags.LONG) == 0) {
                        if (in.hasRemaining()) {
                            int size = in.get(in.position()) & 0xFF;
                            if (in.remaining() > size) {
                                in.position(in.position() + 1);
                                wholeFrame(size, in);
                                continue;
                            }
                        }
                    } else if (in.remaining() >= 8) {
                        long size = in.getLong(in.position());
                        if (in.order() != java.nio.ByteOrder.BIG_ENDIAN) {
                            size = Long.reverseBytes(size); // the wire's order is network order
                        }
                        if (size >= 0 && size <= in.remaining() - 8) {
                            in.position(in.position() + 8);
                            wholeFrame((int) size, in);
                            continue;
                        }
                    }
                    sizeNeeded = (flags & FrameFlags.LONG) != 0 ? 8 : 1;
                    sizeHave = 0;
                    state = State.SIZE;
                }
                case SIZE -> {
                    if (sizeNeeded == 1) {
                        startBody(in.get() & 0xFF, in.remaining());
                    } else {
                        int n = Math.min(sizeNeeded - sizeHave, in.remaining());
                        in.get(sizeBytes, sizeHave, n);
                        sizeHave += n;
                        if (sizeHave == 8) {
                            long size = 0;
                            for (int i = 0; i < 8; i++) {
                                size = (size << 8) | (sizeBytes[i] & 0xFF);
                            }
                            if (size < 0 || size > MAX_JAVA_ARRAY) {
                                throw new ZmtpProtocolException("frame size " + Long.toUnsignedString(size)
                                        + " is beyond what a Java array can hold");
                            }
                            startBody(size, in.remaining());
                        }
                    }
                }
                case BODY -> readBody(in);
            }
        }
    }

    private void checkFlags() throws ZmtpProtocolException {
        if ((flags & FrameFlags.RESERVED) != 0 || (!commandsAllowed && (flags & FrameFlags.COMMAND) != 0)) {
            throw new ZmtpProtocolException(String.format("reserved flag bits set in frame flags 0x%02x", flags));
        }
        if ((flags & FrameFlags.COMMAND) != 0 && (flags & FrameFlags.MORE) != 0) {
            throw new ZmtpProtocolException("command frame with the MORE flag");
        }
    }

    /** A frame of {@code size} bytes whose body is entirely in {@code in}: checked, read and emitted at once. */
    private void wholeFrame(int size, ByteBuffer in) throws ZmtpProtocolException {
        checkSize(size);
        if (size == 0) {
            emit(EMPTY);
            return;
        }
        var frame = new byte[size];
        in.get(frame);
        emit(frame);
    }

    /** The frame size limits, then the sink's rules; before anything is allocated. */
    private void checkSize(long size) throws ZmtpProtocolException {
        boolean command = (flags & FrameFlags.COMMAND) != 0;
        long limit = command ? maxCommandFrame : maxDataFrame;
        if (limit >= 0 && size > limit) {
            throw new ZmtpProtocolException((command ? "command" : "data") + " frame of " + size
                    + " bytes exceeds the limit of " + limit + " bytes" + (command ? "" : " (MAXMSGSIZE)"));
        }
        sink.onHeader(flags & (FrameFlags.MORE | FrameFlags.COMMAND), size);
    }

    private void startBody(long size, int available) throws ZmtpProtocolException {
        checkSize(size);
        declared = (int) size;
        if (declared == 0) {
            emit(EMPTY);
            return;
        }
        body = initialBody(declared, available);
        bodyPos = 0;
        state = State.BODY;
    }

    private void readBody(ByteBuffer in) throws ZmtpProtocolException {
        int want = declared - bodyPos;
        int n = Math.min(want, in.remaining());
        body = withRoom(body, bodyPos + n, declared);
        in.get(body, bodyPos, n);
        bodyPos += n;
        if (bodyPos == declared) {
            var complete = body;
            body = null;
            emit(complete);
        }
    }

    /**
     * The buffer for a frame of {@code declared} bytes when {@code available} of them may already be
     * read: exact when they are all there; otherwise a start that {@link #withRoom} grows as bytes
     * arrive, so a peer cannot make us allocate what it only announces.
     */
    static byte[] initialBody(int declared, int available) {
        return new byte[Math.min(declared, Math.max(available, MIN_ALLOCATION))];
    }

    /** {@code body}, or a copy grown (by doubling, at most to {@code declared}) to hold {@code needed} bytes. */
    static byte[] withRoom(byte[] body, int needed, int declared) {
        if (needed <= body.length) {
            return body;
        }
        return Arrays.copyOf(body, (int) Math.min(declared, Math.max((long) body.length * 2, needed)));
    }

    private void emit(byte[] frame) throws ZmtpProtocolException {
        state = State.FLAGS;
        sink.onFrame(flags & (FrameFlags.MORE | FrameFlags.COMMAND), frame);
    }

    private static final byte[] EMPTY = new byte[0];
}
