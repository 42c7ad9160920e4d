package dev.zmq.internal.wire;

/**
 * Per-thread scratch arrays for the codec's small-frame paths ({@link FrameEncoder#stage},
 * {@link FrameDecoder}'s runs), for sealing CURVE frames bound for a direct buffer and for the
 * CURVE boxes a decoder receives, which it opens out of them. They hold bytes only within one
 * batch or one frame, so one array per I/O thread serves all its
 * connections: 10,000 connections cost no more than one. An array is taken out while in use and
 * given back after, so a nested use on the same thread (a handshake answered while its command is
 * being decoded) gets an array of its own instead of overwriting another's bytes.
 */
public final class Scratch {
    /** The size of every array {@link #take()} returns. */
    public static final int SIZE = 16 * 1024;
    /** The largest array {@link #take(int)} keeps for its thread; larger ones are let go after use. */
    static final int LARGE_MAX = 256 * 1024;

    private static final ThreadLocal<byte[]> FREE = new ThreadLocal<>();
    /** The thread's array of more than {@link #SIZE} bytes, grown to the largest need up to {@link #LARGE_MAX}. */
    private static final ThreadLocal<byte[]> FREE_LARGE = new ThreadLocal<>();

    /** The thread's spare array of a sealed frame's exact size ({@link #takeExact}), up to {@link #LARGE_MAX} bytes. */
    private static final ThreadLocal<byte[]> FREE_EXACT = new ThreadLocal<>();

    private Scratch() {
    }

    /**
     * An array of exactly {@code n} bytes: this thread's spare one if it is free and of that size,
     * else a new one; {@link #giveExact} it back once nothing reads it. For a sealed frame the
     * encoder writes over several buffers (a CURVE box larger than what the output buffer has left).
     */
    public static byte[] takeExact(int n) {
        var a = FREE_EXACT.get();
        if (a == null || a.length != n) {
            return new byte[n];
        }
        FREE_EXACT.set(null);
        return a;
    }

    /** Gives {@code array} (from {@link #takeExact}) back to this thread, if it is not larger than {@link #LARGE_MAX}. */
    public static void giveExact(byte[] array) {
        if (array.length <= LARGE_MAX) {
            FREE_EXACT.set(array);
        }
    }

    /** This thread's free array of {@link #SIZE} bytes (then in use until {@link #give}n back), or a new one if it is in use. */
    public static byte[] take() {
        var a = FREE.get();
        if (a == null) {
            return new byte[SIZE];
        }
        FREE.set(null);
        return a;
    }

    /** An array of at least {@code n} bytes, this thread's own if it is free and large enough; give it back after use. */
    public static byte[] take(int n) {
        if (n <= SIZE) {
            return take();
        }
        var a = FREE_LARGE.get();
        if (a == null || a.length < n) {
            return new byte[n];
        }
        FREE_LARGE.set(null);
        return a;
    }

    /** Gives {@code array} (from {@link #take()} or {@link #take(int)}) back to this thread for its next take. */
    public static void give(byte[] array) {
        if (array.length == SIZE) {
            FREE.set(array);
        } else if (array.length <= LARGE_MAX) {
            var kept = FREE_LARGE.get();
            if (kept == null || kept.length < array.length) {
                FREE_LARGE.set(array);
            }
        }
    }
}
