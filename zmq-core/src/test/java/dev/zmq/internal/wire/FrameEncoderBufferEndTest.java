package dev.zmq.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How {@link FrameEncoder#encode} splits a stream of frames larger than {@link FrameEncoder#STAGED_FRAME_MAX}
 * over output buffers: the bytes are
 * those of one buffer holding them all, and every buffer's end cuts a frame's body with more than 6
 * bytes of it on either side (the JDK copies up to 6 bytes into a direct buffer in a branch of its own),
 * never a frame's end or a header: so no frame ends too near a buffer's end for the next header.
 */
class FrameEncoderBufferEndTest {

    @Test
    void buffersEndInsideBodiesWithMoreThanSixBytesEitherSide() {
        for (boolean v1 : new boolean[] {false, true}) {
            for (int capacity : new int[] {8192, 4099, 65536, 256 * 1024}) {
                var random = new Random(capacity);
                var frames = new byte[400][];
                for (int i = 0; i < frames.length; i++) {
                    frames[i] = new byte[FrameEncoder.STAGED_FRAME_MAX + 1 + random.nextInt(70_000)];
                    random.nextBytes(frames[i]);
                }
                check(frames, capacity, v1);
            }
        }
    }

    @Test
    void framesOfOneSizeThatDriftAcrossTheBufferEnd() {
        // 64 KiB frames through 64 KiB buffers: each frame's end moves 9 bytes a buffer, so every
        // distance from a buffer's end comes up, those under 10 bytes among them.
        var frames = new byte[300][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new byte[65536];
            frames[i][0] = (byte) i;
            frames[i][65535] = (byte) ~i;
        }
        check(frames, 65536, false);
        check(frames, 65536 + 5, false);
    }

    private static void check(byte[][] frames, int capacity, boolean v1) {
        var encoder = new FrameEncoder();
        if (v1) {
            encoder.setZmtp10();
        }
        var out = ByteBuffer.allocateDirect(capacity);
        var wire = new ByteArrayOutputStream();
        var ends = new ArrayList<Integer>(); // where each buffer ended in the stream
        int next = 0;
        while (next < frames.length || encoder.busy()) {
            if (!encoder.busy()) {
                encoder.start(frames[next++]);
            }
            if (!encoder.encode(out)) {
                drain(out, wire);
                ends.add(wire.size());
            }
        }
        drain(out, wire);
        assertArrayEquals(oneBuffer(frames, v1), wire.toByteArray(), "the bytes of one buffer, capacity " + capacity);
        // The bodies' places in the stream.
        var bodies = new ArrayList<int[]>();
        int at = 0;
        for (var frame : frames) {
            at += v1 ? 10 : 9;
            bodies.add(new int[] {at, at + frame.length});
            at += frame.length;
        }
        for (int end : ends) {
            assertTrue(insideABody(bodies, end), "capacity " + capacity + " v1 " + v1 + ": a buffer ended at " + end
                    + ", not more than 6 bytes inside a frame's body from either of its ends");
        }
    }

    private static boolean insideABody(List<int[]> bodies, int end) {
        for (var body : bodies) {
            if (end - body[0] > 6 && body[1] - end > 6) {
                return true;
            }
        }
        return false;
    }

    private static void drain(ByteBuffer out, ByteArrayOutputStream wire) {
        out.flip();
        var bytes = new byte[out.remaining()];
        out.get(bytes);
        wire.writeBytes(bytes);
        out.clear();
    }

    private static byte[] oneBuffer(byte[][] frames, boolean v1) {
        long total = 0;
        for (var frame : frames) {
            total += frame.length + 10 + 64; // never short of room: the last frame is not cut
        }
        var encoder = new FrameEncoder();
        if (v1) {
            encoder.setZmtp10();
        }
        var out = ByteBuffer.allocate((int) total);
        for (var frame : frames) {
            encoder.start(frame);
            assertTrue(encoder.encode(out));
        }
        out.flip();
        var bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}
