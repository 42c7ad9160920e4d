package dev.zmq.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder fills arrays its {@link FrameDecoder.ArraySource} gives, of the frame's exact size,
 * on each of its paths (small frames in runs, whole frames, large frames arriving in pieces), and
 * a new one when it gives none or one of another size.
 */
class FrameDecoderArrayReuseTest {
    /** Frames as decoded, and the sizes asked of the source. */
    private final List<byte[]> frames = new ArrayList<>();
    private final List<Integer> asked = new ArrayList<>();
    private final ArrayDeque<byte[]> given = new ArrayDeque<>();

    private final FrameDecoder decoder = new FrameDecoder(new FrameDecoder.Sink() {
        @Override
        public void onFrame(int flags, byte[] body) {
            frames.add(body);
        }
    });

    private FrameDecoder.ArraySource source() {
        return size -> {
            asked.add(size);
            var a = given.peek();
            if (a == null) {
                return null;
            }
            given.poll();
            return a.length == size ? a : null;
        };
    }

    private static byte[] wire(byte[] body) {
        var b = ByteBuffer.allocate(9 + body.length);
        if (body.length < 256) {
            b.put((byte) 0).put((byte) body.length);
        } else {
            b.put((byte) 2).putLong(body.length);
        }
        b.put(body).flip();
        return java.util.Arrays.copyOf(b.array(), b.limit());
    }

    private static byte[] body(int size, int tag) {
        var f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (byte) (tag + i);
        }
        return f;
    }

    @Test
    void aSmallFrameInARunIsCopiedIntoTheGivenArray() throws Exception {
        decoder.reuseArraysFrom(source());
        var reused = new byte[16];
        given.add(reused);
        var in = ByteBuffer.allocateDirect(64);
        in.put(wire(body(16, 1))).put(wire(body(16, 2))).flip();
        decoder.decode(in);
        assertEquals(2, frames.size());
        assertSame(reused, frames.get(0));
        assertArrayEquals(body(16, 1), frames.get(0));
        assertNotSame(reused, frames.get(1), "nothing more given: a new array");
        assertArrayEquals(body(16, 2), frames.get(1));
        assertEquals(List.of(16, 16), asked);
    }

    @Test
    void aWholeLargeFrameIsReadIntoTheGivenArray() throws Exception {
        decoder.reuseArraysFrom(source());
        var reused = new byte[4000];
        given.add(reused);
        decoder.decode(ByteBuffer.wrap(wire(body(4000, 3))));
        assertSame(reused, frames.get(0));
        assertArrayEquals(body(4000, 3), reused);
    }

    @Test
    void aLargeFrameArrivingInPiecesGoesIntoTheGivenArrayFromItsFirstByte() throws Exception {
        decoder.reuseArraysFrom(source());
        var reused = new byte[65536];
        given.add(reused);
        var bytes = wire(body(65536, 4));
        for (int off = 0; off < bytes.length; off += 1000) {
            decoder.decode(ByteBuffer.wrap(bytes, off, Math.min(1000, bytes.length - off)).slice());
        }
        assertEquals(1, frames.size());
        assertSame(reused, frames.get(0));
        assertArrayEquals(body(65536, 4), reused);
        assertEquals(List.of(65536), asked, "asked once, when the header arrived");
    }

    @Test
    void anArrayOfAnotherSizeIsNotUsed() throws Exception {
        decoder.reuseArraysFrom(source());
        given.add(new byte[17]);
        decoder.decode(ByteBuffer.wrap(wire(body(16, 5))));
        assertEquals(16, frames.get(0).length);
        assertArrayEquals(body(16, 5), frames.get(0));
    }
}
