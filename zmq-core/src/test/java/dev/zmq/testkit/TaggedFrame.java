package dev.zmq.testkit;

/** Frames whose content says which message they are, so a receiver can check it got the right bytes of the right one. */
public final class TaggedFrame {
    private TaggedFrame() {
    }

    /** A frame of {@code size} bytes whose byte {@code i} is {@code tag * 31 + i} (truncated to a byte). */
    public static byte[] frame(int size, int tag) {
        var f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (byte) (tag * 31 + i);
        }
        return f;
    }
}
