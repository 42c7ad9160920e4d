package dev.zmq.internal.wire;

/**
 * Per-thread scratch arrays for the codec's small-frame paths ({@link FrameEncoder#stage},
 * {@link FrameDecoder}'s runs). They hold bytes only within one batch, so one array per I/O thread
 * serves all its connections: 10,000 connections cost no more than one. An array is taken out while
 * in use and given back after, so a nested use on the same thread (a handshake answered while its
 * command is being decoded) gets an array of its own instead of overwriting another's bytes.
 */
final class Scratch {
    /** The size of every scratch array. */
    static final int SIZE = 16 * 1024;

    private static final ThreadLocal<byte[]> FREE = new ThreadLocal<>();

    private Scratch() {
    }

    /** This thread's free array (then in use until {@link #give}n back), or a new one if it is in use. */
    static byte[] take() {
        var a = FREE.get();
        if (a == null) {
            return new byte[SIZE];
        }
        FREE.set(null);
        return a;
    }

    /** Gives {@code array} back to this thread for its next {@link #take}. */
    static void give(byte[] array) {
        FREE.set(array);
    }
}
