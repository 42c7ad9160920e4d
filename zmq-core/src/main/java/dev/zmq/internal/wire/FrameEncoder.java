package dev.zmq.internal.wire;

import java.nio.ByteBuffer;

/**
 * Writes frames into an output buffer, resuming where it stopped when the buffer fills, so a
 * message of any size goes out through a fixed-size buffer.
 *
 * <p>Small one-frame messages can instead be {@linkplain #stage staged}: encoded into a heap array
 * with plain array stores, the array going into the output buffer in one bulk copy per batch
 * ({@link #flushStage}). The output buffer is usually direct, and a direct buffer's every
 * {@code put} is a deep call chain (scope checks, {@code Unsafe}; a JNI copy for byte arrays in
 * interpreted and C1 code): per 16-byte message that chain cost more than the rest of the send
 * path while the JIT warmed up, and made the compiled send loop several times larger. Sealed frames
 * (CURVE MESSAGE commands, {@link #stageSealed}) are staged the same way, their boxes sealed in place.
 */
public final class FrameEncoder {
    /** The largest frame {@link #stage} takes: beyond it the extra copy costs more than the direct puts. */
    public static final int STAGED_FRAME_MAX = 1024;
    /** The stage's size: a batch of small frames per bulk copy. */
    static final int STAGE_SIZE = Scratch.SIZE;

    /**
     * Staged bytes: the thread's {@link Scratch} array, taken by {@link #makeRoom} when a batch
     * begins and given back by {@link #flushStage}, so a connection holds none between batches.
     * While it is null {@link #stageLimit} is 0, so a batch's first frame always goes through
     * makeRoom, and the per-frame path never tests for the array.
     */
    private byte[] stage;
    private int staged;
    /**
     * What the stage may hold: {@link #STAGE_SIZE}, or less if {@code out} had less room when the
     * stage began (nothing else writes to {@code out} until the stage is flushed); 0 when no stage
     * is taken, so the next {@link #stage} sets it.
     */
    private int stageLimit;
    /** The frame {@link #stage} took last: the one {@link #flushStage} holds back after {@link #OUT_FULL}. */
    private byte[] last;
    private byte[][] frames;
    /** The array {@link #start(byte[])} puts a one-frame message in, reused (emptied once written). */
    private final byte[][] one = new byte[1][];
    private boolean command;
    /** Each frame stands alone, without flags (CURVE MESSAGE commands, as libzmq sends them). */
    private boolean sealed;
    /** The frame in progress is the thread's {@link Scratch#takeExact} array, given back once written. */
    private boolean lent;
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

    /**
     * The size of the frame left partly written by the last {@link #encode} (it did not fit what
     * was left of the output buffer); 0 when no message is in progress.
     */
    public int frameInProgress() {
        var f = frames;
        return f == null || frameIndex >= f.length ? 0 : f[frameIndex].length;
    }

    /** Starts encoding a message's frames (or a single command frame). */
    public void start(byte[][] frames, boolean command) {
        this.frames = frames;
        this.command = command;
        this.sealed = false;
        this.lent = false;
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

    /**
     * {@link #startSealed} of one frame in an array from {@link Scratch#takeExact}, which the encoder
     * gives back to the thread once the frame is written whole (not if another message is started
     * before: then it is left to the garbage collector).
     */
    public void startSealedLent(byte[] frame) {
        one[0] = frame;
        startSealed(one);
        this.lent = true;
    }

    /** {@link #stage}: the frame was not taken (too large, ZMTP 1.0, or a message in progress); encode it. */
    public static final int NOT_STAGED = -1;
    /** {@link #stage}: the frame is staged, and more may follow. */
    public static final int STAGED = 0;
    /**
     * {@link #stage}: the frame is taken, but {@code out} has no room left for it: stop staging and
     * {@link #flushStage}, which makes it the message in progress, written first by the next {@link #encode}.
     */
    public static final int OUT_FULL = 1;

    /**
     * Encodes a one-frame message of at most {@link #STAGED_FRAME_MAX} bytes into the stage, when no
     * message is in progress ({@link #NOT_STAGED} otherwise, with nothing done: then
     * {@link #start(byte[])} and {@link #encode}). A full stage is moved into {@code out} first.
     * Returns {@link #STAGED}, or {@link #OUT_FULL} when the frame is past what {@code out} can take:
     * the caller stops and calls {@link #flushStage}. "Out is full" is a value, not a branch: the
     * send loop, compiled while the output buffer never filled, meets no path it has not seen
     * when the socket backs up (a branch there made C2 deoptimize and recompile the whole loop).
     * Staged bytes precede in {@code out} whatever {@link #encode} writes next.
     */
    public int stage(byte[] frame, ByteBuffer out) {
        int size = frame.length;
        if (size > STAGED_FRAME_MAX || v1 || frames != null) {
            return NOT_STAGED;
        }
        int need = (size > 255 ? 9 : 2) + size;
        if (staged + need > stageLimit && !makeRoom(frame, out)) {
            return NOT_STAGED; // only if the caller went on after OUT_FULL
        }
        int p = stageHeader(size);
        System.arraycopy(frame, 0, stage, p, size);
        staged = p + size;
        return (stageLimit - staged) >>> 31; // past the limit only right after makeRoom: the frame it noted
    }

    /**
     * Stages the header of a sealed frame (no flags at all, see {@link #startSealed}) of
     * {@code size} bytes and returns where in {@link #stagedArray()} the caller writes its body, at
     * once; -1, with nothing done, when a message is in progress or the frame does not fit beside
     * the staged bytes in {@code out} (a full stage is moved into {@code out} first). The body is
     * then written into the stage in place (a CURVE box sealed straight there), so a batch of small
     * sealed frames goes into {@code out} in one bulk copy, as {@link #stage}'s frames do.
     */
    public int stageSealed(int size, ByteBuffer out) {
        int need = headerLength(size) + size;
        if (v1 || frames != null || need > STAGE_SIZE) {
            return -1;
        }
        if (staged + need > stageLimit && (!makeRoom(null, out) || need > stageLimit)) {
            return -1;
        }
        int p = stageHeader(size);
        staged = p + size;
        return p;
    }

    /**
     * The stage cannot take {@code frame} within its limit (it is full, or this is a batch's first
     * frame): moves what it holds into {@code out}, limits the next stage to what {@code out} has
     * left, and notes the frame (the only one that can then be past the limit); false if a message
     * is in progress (staging must stop). So a staged frame costs one comparison, against the
     * limit, instead of one against the stage and one against {@code out}. The stage's array is
     * taken here, once a batch, not tested for per frame: the per-frame path ({@link #stage} and
     * {@link #stageHeader}, inlined into the send loop's compiles) carries no thread-local access.
     */
    private boolean makeRoom(byte[] frame, ByteBuffer out) {
        flushStage(out);
        if (frames != null) {
            return false; // flushStage made the frame held back after OUT_FULL the message in progress
        }
        stage = Scratch.take();
        stageLimit = Math.min(STAGE_SIZE, out.remaining());
        last = frame;
        return true;
    }

    /** The stage's array, valid from a {@link #stageSealed} until the next {@link #flushStage}. */
    public byte[] stagedArray() {
        return stage;
    }

    /**
     * Writes a no-flags header for a frame of {@code size} (at most {@link #STAGE_SIZE}) bytes at the
     * stage's end; returns where its body goes. The short header in a method of its own, the long one
     * out of line: 21 and 26 bytes of bytecode, which C1 inlines into {@link #stage} and
     * {@link #stageSealed}. As one method of 72 bytes it was a call per frame in their profiling code,
     * and C2 compiled it alone after the send loop that inlines it (3 of 4 cold CURVE senders,
     * LogCompilation).
     */
    private int stageHeader(int size) {
        return size > 255 ? stageLongHeader(size) : stageShortHeader(size);
    }

    /** {@link #stageHeader} of a frame of at most 255 bytes. */
    private int stageShortHeader(int size) {
        int p = staged; // and stage read twice, not held in a local: C1's stack limit counts locals
        stage[p] = 0;
        stage[p + 1] = (byte) size;
        return p + 2;
    }

    /** {@link #stageHeader} of a frame of 256 bytes or more: an 8-byte size in network order (sizes here fit the low two bytes). */
    private int stageLongHeader(int size) {
        var s = stage;
        int p = staged;
        s[p] = (byte) FrameFlags.LONG;
        java.util.Arrays.fill(s, p + 1, p + 7, (byte) 0);
        s[p + 7] = (byte) (size >>> 8);
        s[p + 8] = (byte) size;
        return p + 9;
    }

    /** Bytes staged and not yet in an output buffer. */
    public int staged() {
        return staged;
    }

    /**
     * Moves the staged bytes into {@code out}, which has room for them ({@link #stage} stages only
     * what fits beside them in the same buffer), except a frame staged with {@link #OUT_FULL}: that
     * one becomes the message in progress instead. Call at the end of every batch, before anything
     * else writes to {@code out}; {@link #encode} does it first itself.
     */
    public void flushStage(ByteBuffer out) {
        stageLimit = 0; // out is written to next: the next stage measures it again
        var s = stage;
        if (s != null) {
            if (staged > out.remaining()) {
                // After OUT_FULL: the stage holds that frame alone (makeRoom emptied it just before).
                start(last);
            } else {
                out.put(s, 0, staged);
            }
            staged = 0;
            stage = null;
            Scratch.give(s);
        }
        last = null;
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

    /** The longest frame header, ZMTP 1.0's (ZMTP 3's is 9 bytes): {@link #encode} starts a frame only with this much room. */
    private static final int MAX_HEADER = 10;
    /**
     * What {@link #encode} leaves of a frame larger than {@link #STAGED_FRAME_MAX} for the next buffer when
     * it cuts the frame: more than the 6 bytes up to which {@code ByteBuffer.put(byte[], int, int)} copies
     * byte by byte, in a branch of the JDK's own that a stream of large frames otherwise never takes while
     * C2 profiles it (a trap there, {@code ByteBuffer.putArray@9}, is as costly as one here).
     */
    private static final int TAIL = 8;
    /**
     * What the end of a frame larger than {@link #STAGED_FRAME_MAX} leaves of out at least: room for the
     * next frame's header and more than 6 bytes of its body. Such a frame that would end closer to out's
     * end (or not fit) is cut {@link #TAIL} bytes before its end, and the rest goes first into the next
     * buffer. Without this, a large frame ending within {@link #MAX_HEADER} bytes of out's end made the
     * next header's room test true for the first time long after C2 had compiled the send loop with it
     * as a trap: in cold 64 KiB x20k senders its first hit ({@code encode@40}) threw away the compiled
     * {@code Outbound.fillMessage}, and {@code fillMessages} was compiled again (36-61 ms of the C2
     * thread inside the window, LogCompilation). So in a stream of large frames that room test and the
     * JDK's small-copy branch stay untaken, and the only way out while a frame is unfinished is the exit a
     * full buffer takes, taken all the time. Out's last bytes go unused then (fewer than ENDING_ROOM +
     * TAIL); the bytes on the wire are the same. Smaller frames end where they end: small frames staged
     * after them may fill what is left.
     */
    private static final int ENDING_ROOM = 32;

    /** Writes as much as fits into {@code out}; true when the current message is entirely written. */
    public boolean encode(ByteBuffer out) {
        flushStage(out);
        while (frameIndex < frames.length) {
            var frame = frames[frameIndex];
            if (!headerWritten) {
                if (out.remaining() < MAX_HEADER) {
                    return false; // only where an earlier write (the stage, a small frame) left less
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
            int left = frame.length - bodyPos;
            int room = out.remaining();
            // hold: TAIL when more than STAGED_FRAME_MAX bytes are left and they would leave less than
            // ENDING_ROOM of out (or not fit), else 0 (see ENDING_ROOM); from sign bits, no branch. Where out
            // is full, the cut also leaves at least TAIL.
            int hold = (((room - left - ENDING_ROOM) & (STAGED_FRAME_MAX - left)) >> 31) & TAIL;
            int n = Math.min(left - hold, room);
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
        if (lent) {
            lent = false;
            Scratch.giveExact(one[0]);
        }
        one[0] = null; // the encoder keeps no message alive
        return true;
    }
}
