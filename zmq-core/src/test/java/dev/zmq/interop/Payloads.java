package dev.zmq.interop;

import dev.zmq.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The messages the interop exchanges carry: small, multi-frame with edge sizes, and large. */
final class Payloads {
    /** Size of the large frame: several MiB, well past any small-frame or buffer size. */
    static final int LARGE_SIZE = 4 << 20;

    private Payloads() {
    }

    static Message small(String text) {
        return Message.of(text);
    }

    /**
     * Five frames: a tag, an empty frame, then frames of 255 (the last short-frame size on the
     * wire), 256 (the first long one) and 1 bytes, all with binary content.
     */
    static Message multiFrame(String tag) {
        return Message.of(bytes(tag), new byte[0], counting(255, 1), counting(256, 7), new byte[] {(byte) 0xff});
    }

    /** A tag frame followed by {@link #LARGE_SIZE} random bytes from {@code seed}. */
    static Message large(String tag, long seed) {
        return Message.of(bytes(tag), random(LARGE_SIZE, seed));
    }

    /** The three kinds, tagged with {@code tag} and seeded by {@code seed}. */
    static List<Message> variety(String tag, long seed) {
        return List.of(small(tag + "-small"), multiFrame(tag + "-multi"), large(tag + "-large", seed));
    }

    /**
     * {@code count} numbered messages for a stream: mostly one frame, every tenth with three
     * frames (one of them empty), so that frame boundaries inside a busy stream are checked too.
     */
    static List<Message> stream(String tag, int count) {
        var out = new ArrayList<Message>(count);
        for (int i = 0; i < count; i++) {
            var seq = bytes(String.format("%s-%06d", tag, i));
            out.add(i % 10 == 0 ? Message.of(seq, new byte[0], counting(i % 300, i)) : Message.of(seq));
        }
        return out;
    }

    static byte[] random(int size, long seed) {
        var b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] counting(int size, int start) {
        var b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }
}
