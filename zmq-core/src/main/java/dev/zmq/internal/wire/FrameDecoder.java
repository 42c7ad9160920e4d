package dev.zmq.internal.wire;

import java.nio.ByteBuffer;

/**
 * Turns a ZMTP 3.x byte stream into frames. Sizes are checked from the header, before anything is
 * allocated (the static limits here, then the {@link Sink#onHeader sink's} rules for the phase the
 * connection is in). A frame's exact array is allocated once at least half of its bytes arrived
 * (at once for frames of up to {@link #MIN_ALLOCATION} bytes); until then its bytes are kept in
 * pieces as they arrive and copied into the array once. So a peer announcing a large frame cannot
 * make us hold memory it never sends (memory in proportion to what it sent; a header alone buys
 * at most {@link #MIN_ALLOCATION} bytes), and a large frame arriving in many reads is not copied
 * again and again, as a buffer grown by doubling would be.
 */
public final class FrameDecoder implements Decoder {
    /** Receives decoded frames. */
    public interface Sink {
        /** A whole frame. {@code flags} has MORE and COMMAND as sent; LONG is cleared. */
        void onFrame(int flags, byte[] body) throws ZmtpProtocolException;

        /**
         * A whole small frame (or, with {@link #openDataInPlace}, any frame that is not a run's) whose
         * body is {@code bytes[off..off+len)}, in an array the decoder reuses: read it during the call,
         * keep none of it. A sink that turns the body into
         * something else (a CURVE box opened into the message's own array) saves a copy; by
         * default the body is copied into its own array for {@link #onFrame(int, byte[])}.
         */
        default void onFrame(int flags, byte[] bytes, int off, int len) throws ZmtpProtocolException {
            onFrame(flags, len == 0 ? EMPTY : java.util.Arrays.copyOfRange(bytes, off, off + len));
        }

        /**
         * A frame header was read, before anything is allocated for its body: throw to refuse the
         * frame (a data frame before the handshake completed, a message grown too large). {@code flags}
         * as in {@link #onFrame}.
         */
        default void onHeader(int flags, long size) throws ZmtpProtocolException {
        }

        /**
         * A whole data frame of at most {@link #SMALL_FRAME} bytes ({@code flags} MORE or 0), read in
         * one piece: its header is checked here, after the (small) body was copied, as {@link #onHeader}
         * then {@link #onFrame} would. One call per small frame instead of two.
         */
        default void onDataFrame(int flags, byte[] body) throws ZmtpProtocolException {
            onHeader(flags, body.length);
            onFrame(flags, body);
        }

        /**
         * As {@link #onDataFrame(int, byte[])}, once {@link #openDataInPlace} is set: the body is
         * {@code bytes[off..off+len)}, read only during the call (see {@link #onFrame(int, byte[], int, int)}),
         * and the frame's flags are not passed: such a body carries its own (a CURVE box), and the
         * MORE flag of the frame around it means nothing. By default as a one-frame message's.
         */
        default void onDataFrameInPlace(byte[] bytes, int off, int len) throws ZmtpProtocolException {
            onDataFrame(0, len == 0 ? EMPTY : java.util.Arrays.copyOfRange(bytes, off, off + len));
        }
    }

    /**
     * Arrays to decode frames into instead of new ones: the receiving application's, given back
     * once it copied their frames out (see {@link #reuseArraysFrom}).
     */
    @FunctionalInterface
    public interface ArraySource {
        /** An array of exactly {@code size} bytes that nothing else references any more, or null. */
        byte[] take(int size);
    }

    /** Largest array the JVM reliably allocates. */
    static final long MAX_JAVA_ARRAY = Integer.MAX_VALUE - 8;
    /**
     * The smallest buffer started for a frame whose bytes have not arrived yet; a frame gets at once
     * at most this or the bytes already read, and grows with the data.
     */
    static final int MIN_ALLOCATION = 1024;

    /** The largest frame decoded in a run of small frames ({@link #smallFrames}). */
    static final int SMALL_FRAME = 1024;
    /** Bytes copied per run of small frames (into a {@link Scratch} array, which is longer: see {@link #smallFrame}). */
    static final int RUN_BYTES = 4096;
    /** Frames decoded per call of {@link #smallFrameBatch}. */
    private static final int BATCH = 32;

    /**
     * Frames of at least this size size the reads ({@link #readSize}): the rest of such a frame, or
     * after one, another of its size.
     */
    static final int LARGE_FRAME = 32 * 1024;

    private enum State { FLAGS, SIZE, BODY }

    private final Sink sink;
    /** Where frame arrays come from before new ones are allocated; null: always new ones. */
    private ArraySource arrays;
    /** ZMTP 2.0 has no commands: bit 2 is reserved there. */
    private boolean commandsAllowed = true;
    private long maxDataFrame = -1;
    private long maxCommandFrame = -1;

    /**
     * The largest whole small data frame that goes to {@link Sink#onDataFrame} (or
     * {@link Sink#onDataFrameInPlace}): {@link #maxDataFrame} (no limit: any), or -1 (none) while
     * {@link #wholeDataFrames} is off. One test per frame for both.
     */
    private int wholeDataMax = Integer.MAX_VALUE;
    private boolean wholeData = true;
    /** Small data frames go to the sink in place ({@link #openDataInPlace}), not copied into arrays of their own. */
    private boolean dataInPlace;
    private State state = State.FLAGS;
    /** Set by {@link #stop} from the sink: {@link #decode} returns after the current frame. */
    private boolean stopped;
    /**
     * Where the run of small frames being decoded ends in its scratch copy ({@link #smallFrames});
     * {@link #stop} sets it to 0, so the run ends at the next frame by its usual exit.
     */
    private int runEnd;
    private int flags;
    private final byte[] sizeBytes = new byte[8];
    private int sizeNeeded;
    private int sizeHave;
    private int declared;
    private byte[] body;
    private int bodyPos;
    /**
     * A large frame's first bytes, kept as they arrived (no copy when more arrive) until half of the
     * frame is here; then the frame's exact array is allocated and they are copied in once. Null
     * while {@link #body} is the frame's array.
     */
    private java.util.ArrayList<byte[]> pieces;
    /** The piece being filled (not in {@link #pieces} yet), and how much of it is. */
    private byte[] piece;
    private int piecePos;
    /** Bytes of the frame held in {@link #pieces} and {@link #piece}. */
    private int piecesBytes;
    /**
     * The wire bytes of the last message that ended with a large frame (at least {@link #LARGE_FRAME}):
     * that frame, header included, and whatever came since the large frame before it (a REQ/REP
     * envelope's delimiter); 0 before the first. See {@link #readSize}.
     */
    private int lastMessage;
    /** Bytes decoded since the last large frame ended. */
    private long sinceLarge;
    /** Set by {@link #emit} when the frame it hands over is large; {@link #decode} takes note. */
    private boolean largeEnded;

    public FrameDecoder(Sink sink) {
        this.sink = sink;
    }

    /** Switches to ZMTP 2.0 framing, where the COMMAND bit is reserved. */
    public void setZmtp20() {
        this.commandsAllowed = false;
    }

    /**
     * From now on every whole small data frame goes to {@link Sink#onDataFrameInPlace}
     * in place: a CURVE connection's frames are boxes, which the sink opens straight into the
     * message's own array (a copy of the box first was an allocation and a copy per message).
     * Larger frames go to {@link Sink#onFrame(int, byte[], int, int)} from this thread's
     * {@link Scratch} array (see {@link #emitBox}).
     */
    public void openDataInPlace() {
        this.dataInPlace = true;
    }

    /**
     * From now on a data frame is decoded into an array {@code source} gives, when it has one of
     * the frame's size, instead of a new one. Such an array is memory already held, so a large
     * frame goes into it at once, whatever arrived of it yet (no pieces, no copy of them).
     */
    public void reuseArraysFrom(ArraySource source) {
        this.arrays = source;
    }

    /** Largest data frame accepted (MAXMSGSIZE), or -1 for no limit. */
    public void setMaxDataFrame(long max) {
        this.maxDataFrame = max;
        this.wholeDataMax = wholeDataMax();
    }

    /**
     * Whether whole small data frames go to {@link Sink#onDataFrame} (or {@link Sink#onDataFrameInPlace}),
     * their header unchecked, in one call (the default); else every frame goes to {@link Sink#onHeader}
     * and then {@link Sink#onFrame}. A connection turns it off until its handshake is done, so that
     * its sink's {@code onDataFrame} has only the message exchange's frames and no phase to test.
     */
    public void wholeDataFrames(boolean whole) {
        this.wholeData = whole;
        this.wholeDataMax = wholeDataMax();
    }

    private int wholeDataMax() {
        if (!wholeData) {
            return -1;
        }
        return maxDataFrame < 0 ? Integer.MAX_VALUE : (int) Math.min(maxDataFrame, Integer.MAX_VALUE);
    }

    /** Largest command frame accepted, or -1 for no limit. */
    public void setMaxCommandFrame(long max) {
        this.maxCommandFrame = max;
    }

    @Override
    public void stop() {
        stopped = true;
        runEnd = 0;
    }

    @Override
    public boolean atFrameBoundary() {
        return state == State.FLAGS;
    }

    /**
     * Decodes what {@code in} holds: runs of whole small frames by {@link #smallFrames}, anything else
     * frame by frame ({@link #step}).
     *
     * <p>The two tests before each run are written out here, not as methods of their own. Called once
     * per run (~230 frames of 16 B), such methods ran ~5,400 times before C2 compiled them, ~1.2M
     * messages into a cold 16 B x2M receiver, and their C2 compiles (each direct-buffer read a chain of
     * calls to inline) came too late in that window to gain anything (LogCompilation: compiled at
     * +166..+291 ms, 10-30 ms of C2 wall time with smallFrames, warm23's report). This method, called
     * once per read, stays in C1's code for such a run, and a longer one compiles it with them inlined,
     * as C2 inlined the methods. (The test for a long header is still a method, called only by runs
     * of frames over 255 bytes; see smallLongFrameAt.)
     */
    @Override
    public void decode(ByteBuffer in) throws ZmtpProtocolException {
        stopped = false;
        int from = in.position();
        while (in.hasRemaining() && !stopped) {
            if (state == State.FLAGS) {
                // Whether a whole frame of at most SMALL_FRAME bytes starts here: read in place, so a
                // stream of large frames is never copied for smallFrames. Straight-line code with one
                // test per frame kind, both of whose outcomes are common (a read ends inside a frame): a
                // header cut by the end of the bytes is read at indexes clamped to the last byte, and
                // whatever those say, no frame fits in fewer bytes than its header. Such a cut is rare (a
                // read ending one byte after a frame, or inside a long header), so C2 had never seen it
                // while profiling a branch of its own and compiled that as a trap: at 256 B its first
                // occurrence deoptimized the compiled decoder in most cold runs.
                int p = in.position();
                int last = in.limit() - 1;
                int f = in.get(p);
                int second = byteAt(in, p + 1, last);
                boolean small;
                if ((f & FrameFlags.LONG) == 0) {
                    small = last + 1 - p >= 2 + second;
                } else {
                    small = smallLongFrameAt(in, p, last, second);
                }
                if (small) {
                    // Unless it is empty (a REQ/REP envelope's delimiter) and followed by a frame that is
                    // not small: then step decodes it, as it does the frame after, and the message is no
                    // run of small frames. smallFrames would copy up to RUN_BYTES of the read to decode its
                    // two bytes, and in a latency run of 4 KiB or larger messages it was the only caller of
                    // smallFrames, whose C1 and C2 compiles it cost. Not with openDataInPlace (CURVE),
                    // whose small data frames go in place.
                    if (dataInPlace || (f & FrameFlags.LONG) != 0 || second != 0 || p + 2 > last || !largeFrameAt(in, p + 2)) {
                        smallFrames(in);
                        continue;
                    }
                    // The delimiter, then at once the frame after it, known not small: the loop's test
                    // would read its header for nothing (nine direct-buffer reads per message).
                    step(in);
                    if (stopped) {
                        continue;
                    }
                }
            }
            step(in);
            if (largeEnded) {
                largeEnded = false;
                lastMessage = (int) Math.min(Integer.MAX_VALUE, sinceLarge + in.position() - from);
                sinceLarge = 0;
                from = in.position();
            }
        }
        sinceLarge += in.position() - from;
    }

    /**
     * {@link #decode}'s test for a frame with a long header at {@code p} ({@code second} its first size
     * byte): whether it is whole here and of at most {@link #SMALL_FRAME} bytes. A method of its own so
     * that decode stays under C2's FreqInlineSize (325 bytes) with the test for short headers, the one
     * of runs of frames up to 255 bytes, written out.
     */
    private static boolean smallLongFrameAt(ByteBuffer in, int p, int last, int second) {
        // The 8-byte size in network order: small if its six high bytes are 0 (else at least 2^16 here).
        int high = second | byteAt(in, p + 2, last) | byteAt(in, p + 3, last)
                | byteAt(in, p + 4, last) | byteAt(in, p + 5, last) | byteAt(in, p + 6, last);
        int size = high << 16 | byteAt(in, p + 7, last) << 8 | byteAt(in, p + 8, last);
        return size <= Math.min(SMALL_FRAME, last + 1 - p - 9);
    }

    /**
     * Whether the frame at {@code p} of {@code in} (which has a byte there) has a long header (libzmq
     * and we write one for bodies over 255 bytes only) that is cut by the end of the bytes or announces
     * more than {@link #SMALL_FRAME} bytes. Its size read with one {@code getLong}, not the eight
     * clamped reads of {@link #decode}'s small-frame test: each read of a direct buffer is a chain of five calls,
     * interpreted at first, and inlined by C2 into every caller (that test, once a method of its own, was 917 inlined bytecodes
     * in a 4 KiB latency run's decoder, compiled on its own and in two callers). A short frame is
     * small: if it is not whole, {@link #smallFrames} stops before it and {@link #step} reads it.
     */
    private static boolean largeFrameAt(ByteBuffer in, int p) {
        if ((in.get(p) & FrameFlags.LONG) == 0) {
            return false;
        }
        if (in.limit() - p < 9) {
            return true;
        }
        long size = in.getLong(p + 1);
        if (in.order() != java.nio.ByteOrder.BIG_ENDIAN) {
            size = Long.reverseBytes(size);
        }
        return size > SMALL_FRAME || size < 0;
    }

    /** The byte at {@code i}, or at {@code last} if {@code i} lies past it. */
    private static int byteAt(ByteBuffer in, int i, int last) {
        return in.get(Math.min(i, last)) & 0xFF;
    }

    /**
     * Decodes the run of whole small frames at {@code in}'s position from a heap copy of up to
     * {@link #RUN_BYTES} of its bytes: one bulk copy, then array reads and one exact copy per frame.
     * The read buffer is direct, and a direct buffer's every {@code get} is a deep call chain (scope
     * checks, {@code Unsafe}; a JNI copy for byte arrays in interpreted and C1 code), which for
     * 16-byte frames cost more than the rest of the receive path while the JIT warmed up. The run
     * stops at the first frame that is not small and whole here; {@link #step} takes that one.
     */
    private void smallFrames(ByteBuffer in) throws ZmtpProtocolException {
        int start = in.position();
        int n = Math.min(in.limit() - start, RUN_BYTES);
        var bytes = Scratch.take();
        in.get(start, bytes, 0, n);
        runEnd = n;
        int p = 0;
        try {
            // One way out, the one taken at the end of every run (smallFrame returns p when no whole
            // frame starts at p, also at p == runEnd and after a stop): a run that ended exactly at a
            // frame boundary, or a stop, had been tests that never failed while C2 profiled the loop
            // (full reads end mid-frame), so the first such run deoptimized it and C2 compiled it again.
            int next;
            while ((next = smallFrameBatch(bytes, p)) > p) {
                p = next;
            }
        } finally {
            in.position(start + p);
            Scratch.give(bytes);
        }
    }

    /**
     * Up to {@link #BATCH} frames of the run from {@code p}, each as {@link #smallFrame}; returns where
     * the next one starts ({@code p} if none was decoded). A batch per call, not a whole run: a run
     * of 16-byte frames is ~230 frames, and HotSpot compiled a loop turning that often per call
     * first as an OSR compile (4-13 ms of the C2 thread's wall time inside a cold 16 B x2M receiver's
     * window, nm 1.2-1.5 KB), then normally (LogCompilation); at 32 a call the normal compile comes
     * first and is the only one (as Outbound.fillMessages). Both ways out are taken all the time
     * (a full batch, the run's end), so neither is compiled as a trap.
     */
    private int smallFrameBatch(byte[] bytes, int p) throws ZmtpProtocolException {
        int next;
        for (int left = BATCH; left != 0 && (next = smallFrame(bytes, p, runEnd)) > p; left--) {
            p = next;
        }
        return p;
    }

    /**
     * Decodes the frame at {@code p} of {@code bytes} (valid up to {@code n}; {@code p} may be
     * {@code n} or past it, bytes being longer than a run) if it is small and whole, and returns
     * where the next one starts; {@code p} if it is not. A method per frame, for
     * the same reason as {@link #step}.
     */
    private int smallFrame(byte[] bytes, int p, int n) throws ZmtpProtocolException {
        int header;
        int size;
        int f = bytes[p] & 0xFF;
        if ((f & FrameFlags.LONG) == 0) {
            // The size byte may lie past n (bytes is longer than a run): then end > n below, as
            // header + size >= 2. One check for "not here whole", a branch taken at every run's end.
            header = 2;
            size = bytes[p + 1] & 0xFF;
        } else {
            if (n - p < 9 || bytes[p + 1] != 0 || bytes[p + 2] != 0 || bytes[p + 3] != 0 || bytes[p + 4] != 0
                    || bytes[p + 5] != 0 || bytes[p + 6] != 0) {
                return p; // not here whole, or not small: step() reads it
            }
            header = 9;
            size = (bytes[p + 7] & 0xFF) << 8 | (bytes[p + 8] & 0xFF);
            if (size > SMALL_FRAME) {
                return p;
            }
        }
        int end = p + header + size;
        if (end > n) {
            return p;
        }
        flags = f;
        if ((f & ~(FrameFlags.MORE | FrameFlags.LONG)) == 0 && size <= wholeDataMax) {
            // A data frame (no COMMAND, no reserved bit) within MAXMSGSIZE, the common case: one call.
            if (dataInPlace) {
                sink.onDataFrameInPlace(bytes, p + header, size);
            } else {
                sink.onDataFrame(f & FrameFlags.MORE, size == 0 ? EMPTY : copyOut(bytes, p + header, size));
            }
            return end;
        }
        checkFlags();
        checkSize(size);
        state = State.FLAGS;
        sink.onFrame(flags & (FrameFlags.MORE | FrameFlags.COMMAND), bytes, p + header, size);
        return end;
    }

    /** {@code bytes[from..from+size)} in an array of its own: a given-back one if there is one of that size. */
    private byte[] copyOut(byte[] bytes, int from, int size) {
        var source = arrays;
        byte[] frame;
        if (source == null || (frame = source.take(size)) == null) {
            return java.util.Arrays.copyOfRange(bytes, from, from + size);
        }
        System.arraycopy(bytes, from, frame, 0, size);
        return frame;
    }

    /** A given-back array of exactly {@code size} bytes, or null. */
    private byte[] reused(int size) {
        var source = arrays;
        return source == null ? null : source.take(size);
    }

    /** An array for a frame of {@code size} bytes: a given-back one of that size if there is one, else a new one. */
    private byte[] frameArray(int size) {
        var frame = reused(size);
        return frame != null ? frame : new byte[size];
    }

    /**
     * Decodes what {@code in} holds of the current frame: a whole frame when it is all there, else
     * its header or body bytes. A method per frame, not the body of {@link #decode}'s loop: HotSpot
     * compiles a method after a few hundred calls but a loop only after tens of thousands of turns,
     * and one read holds thousands of small frames, so as a loop body this ran interpreted for the
     * first ~60,000 frames of a connection.
     */
    private void step(ByteBuffer in) throws ZmtpProtocolException {
        // Tests, not a switch on the enum: that switch is a class of its own (its $SwitchMap),
        // loaded at the first frame, inside a latency tool's window.
        if (state == State.FLAGS) {
            flags = in.get() & 0xFF;
            checkFlags();
            // Fast path: a frame that is all here (most messages up to a few KiB): its
            // size read in place, one exact allocation and one copy, no state to go through.
            // One wholeFrame call for short and long frames: a REQ/REP message of a large body
            // has both (the delimiter and the body), and C2 inlined the frame's whole way into
            // the socket's pipe at each of two calls. The size is read here, not in a method of
            // its own: that one (123 bytes of bytecode, a call per frame of step's profiling
            // code) was compiled by C2 on its own as well as inside step.
            int left = left(in);
            long size = -1;
            if ((flags & FrameFlags.LONG) == 0) {
                if (left > 0) {
                    size = in.get(in.position()) & 0xFF;
                    size = left > size ? size : -1;
                }
            } else if (left >= 8) {
                size = in.getLong(in.position());
                if (in.order() != java.nio.ByteOrder.BIG_ENDIAN) {
                    size = Long.reverseBytes(size); // the wire's order is network order
                }
                size = size >= 0 && size <= left - 8 ? size : -1;
            }
            if (size >= 0) {
                in.position(in.position() + ((flags & FrameFlags.LONG) == 0 ? 1 : 8));
                if (dataInPlace) {
                    wholeBox((int) size, in);
                } else {
                    wholeFrame((int) size, in);
                }
                return;
            }
            sizeNeeded = (flags & FrameFlags.LONG) != 0 ? 8 : 1;
            sizeHave = 0;
            state = State.SIZE;
        } else if (state == State.SIZE) {
            if (sizeNeeded == 1) {
                startBody(in.get() & 0xFF, left(in));
            } else {
                int n = Math.min(sizeNeeded - sizeHave, left(in));
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
                    startBody(size, left(in));
                }
            }
        } else {
            readBody(in);
        }
    }

    /**
     * {@code in.remaining()} without its branch: {@code Buffer.remaining()} is {@code rem > 0 ? rem : 0},
     * and C2 had never seen it return 0 when it compiled {@link #step}, so the first read that ended
     * right after a large frame's flags or size (0 left) trapped and {@link #step} was compiled
     * again (JFR of a cold 64 KiB x20k receiver: C2 compiles of 77 ms, then 37 ms after that trap).
     */
    private static int left(ByteBuffer in) {
        return in.limit() - in.position();
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
        // 33 bytes of bytecode (an empty frame's get copies nothing): C1 inlines it into step. At 38 it
        // was a call of step's profiling code, and C2 compiled it on its own with the frame's whole way
        // into the pipe inlined, besides inside step (a 4 KiB latency run's REP side: 71 ms of C2).
        checkSize(size);
        var frame = size == 0 ? EMPTY : frameArray(size);
        in.get(frame);
        emit(frame);
    }

    /**
     * {@link #wholeFrame} with {@link #openDataInPlace} (CURVE): a box the sink opens during the call
     * into the message's own array, so it is read into this thread's {@link Scratch} array, not an
     * array of its own that would be garbage right after (see {@link #emitBox}).
     */
    private void wholeBox(int size, ByteBuffer in) throws ZmtpProtocolException {
        checkSize(size);
        var box = Scratch.take(size);
        in.get(box, 0, size);
        emitBox(box, size);
    }

    /**
     * Whether a body of {@code size} bytes that arrives over more than one read goes into this
     * thread's large {@link Scratch} array until it is whole: CURVE boxes beyond {@link Scratch#SIZE}.
     * Not smaller ones: the thread's ordinary scratch array serves the runs of small frames and the
     * encoder's stage, which would allocate arrays of their own while a box held it between reads.
     */
    private boolean boxInScratch(int size) {
        return dataInPlace && size > Scratch.SIZE;
    }

    /** The array a body arriving over several reads is read into: see {@link #boxInScratch}. */
    private byte[] bodyArray(int size) {
        return boxInScratch(size) ? Scratch.take(size) : frameArray(size);
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
        bodyPos = 0;
        state = State.BODY;
        if (exactAllowed(declared, available)) {
            body = bodyArray(declared);
        } else if ((body = reused(declared)) == null) {
            // No given-back array (memory held already, no allocation a peer's announcement makes us do): pieces.
            pieces = new java.util.ArrayList<>();
            piece = null;
            piecePos = 0;
            piecesBytes = 0;
        }
    }

    /**
     * Whether the frame's exact array may be allocated once {@code arrived} of its bytes are here:
     * when that is at most twice what arrived (or {@link #MIN_ALLOCATION}), so that a peer never
     * makes us hold more than twice what it actually sent.
     */
    static boolean exactAllowed(int declared, long arrived) {
        return declared <= Math.max(MIN_ALLOCATION, 2 * arrived);
    }

    private void readBody(ByteBuffer in) throws ZmtpProtocolException {
        if (body == null) {
            // Fewer than half of a large frame's bytes so far: keep them as they come, no copies.
            int n = Math.min(declared - piecesBytes, left(in));
            if (!exactAllowed(declared, (long) piecesBytes + n)) {
                keep(in, n);
                return;
            }
            // Half is here: the frame's own array, what came before copied in once.
            body = bodyArray(declared);
            for (var p : pieces) {
                System.arraycopy(p, 0, body, bodyPos, p.length);
                bodyPos += p.length;
            }
            if (piece != null) {
                System.arraycopy(piece, 0, body, bodyPos, piecePos);
                bodyPos += piecePos;
            }
            pieces = null;
            piece = null;
        }
        int n = Math.min(declared - bodyPos, left(in));
        in.get(body, bodyPos, n);
        bodyPos += n;
        if (bodyPos == declared) {
            var complete = body;
            body = null;
            if (boxInScratch(declared)) {
                emitBox(complete, declared);
            } else {
                emit(complete);
            }
        }
    }

    /**
     * For the ZMTP 1.0 decoder: the buffer for a frame of {@code declared} bytes when
     * {@code available} of them may already be read: exact when they are all there; otherwise a
     * start that {@link #withRoom} grows as bytes arrive, so a peer cannot make us allocate what it
     * only announces.
     */
    static byte[] initialBody(int declared, int available) {
        return new byte[Math.min(declared, Math.max(available, MIN_ALLOCATION))];
    }

    /** {@code body}, or a copy grown (by doubling, at most to {@code declared}) to hold {@code needed} bytes. */
    static byte[] withRoom(byte[] body, int needed, int declared) {
        if (needed <= body.length) {
            return body;
        }
        return java.util.Arrays.copyOf(body, (int) Math.min(declared, Math.max((long) body.length * 2, needed)));
    }

    /**
     * Keeps {@code n} bytes of {@code in} in pieces: each new piece as large as what is kept so far
     * (at least {@link #MIN_ALLOCATION}) and allocated only when bytes arrive that do not fit, so
     * the pieces hold at most twice what arrived (plus one minimum), however the bytes trickle in.
     */
    private void keep(ByteBuffer in, int n) {
        while (n > 0) {
            if (piece == null || piecePos == piece.length) {
                if (piece != null) {
                    pieces.add(piece);
                }
                piece = new byte[Math.max(MIN_ALLOCATION, piecesBytes)];
                piecePos = 0;
            }
            int k = Math.min(n, piece.length - piecePos);
            in.get(piece, piecePos, k);
            piecePos += k;
            piecesBytes += k;
            n -= k;
        }
    }

    /**
     * Reads sized to large messages, as libzmq reads a large message straight into its own buffer:
     * the rest of a large frame being read; between frames, after a message that ended with a large
     * frame, what is left of one more message of its size (so a REQ/REP message, delimiter and body,
     * comes in one read); the whole buffer otherwise, and once more than such a message's bytes came
     * since (small frames, many to a read). A read then ends where a message does, and its bytes are
     * copied into the frame's array while the read put them in cache. A read of the whole buffer
     * (512 KiB) of 64 KiB frames cost the receiving I/O thread more in the kernel's copy than reads
     * of about a frame: perf of a 64 KiB x20k receiver had that copy at 31% of its samples, about 5
     * times libzmq's for the same bytes.
     */
    @Override
    public int readSize(int capacity) {
        long want = capacity;
        if (state == State.BODY) {
            int left = declared - (body != null ? bodyPos : piecesBytes);
            if (left >= LARGE_FRAME / 2) {
                want = left;
            }
        } else if (state == State.FLAGS && lastMessage > sinceLarge) {
            want = lastMessage - sinceLarge;
        }
        return (int) Math.min(capacity, want);
    }

    private void emit(byte[] frame) throws ZmtpProtocolException {
        largeEnded = frame.length >= LARGE_FRAME;
        state = State.FLAGS;
        sink.onFrame(flags & (FrameFlags.MORE | FrameFlags.COMMAND), frame);
    }

    /**
     * CURVE: the box {@code box[0..size)}, in a {@link Scratch} array, goes to the sink in place
     * (which opens it into the message's own array during the call, as it does small boxes), and the
     * array back to the thread. An array of its own per box was allocated, copied into once and
     * dropped: the receiving I/O thread allocated box and message, 128 KiB a 64 KiB message.
     */
    private void emitBox(byte[] box, int size) throws ZmtpProtocolException {
        largeEnded = size >= LARGE_FRAME;
        state = State.FLAGS;
        sink.onFrame(flags & (FrameFlags.MORE | FrameFlags.COMMAND), box, 0, size);
        Scratch.give(box);
    }

    /** The body of every empty frame. */
    static final byte[] EMPTY = new byte[0];
}
