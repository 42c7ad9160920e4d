package dev.zmq.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The small-frame paths of the codec: frames the encoder stages in a heap array and the decoder
 * reads in runs from a heap copy must give exactly the bytes and frames of the general paths,
 * whatever the output buffer's room, the read cuts, and the large frames in between.
 */
class SmallFrameCodecTest {
    /** Sizes around every boundary: short/long size, the staged and run limits, larger than a stage. */
    private static final int[] SIZES = {0, 1, 16, 254, 255, 256, 1000, FrameEncoder.STAGED_FRAME_MAX,
            FrameEncoder.STAGED_FRAME_MAX + 1, 4096, 20_000};

    private static List<byte[]> messages(long seed, int count) {
        var random = new Random(seed);
        var list = new ArrayList<byte[]>();
        for (int i = 0; i < count; i++) {
            // Mostly small frames (long runs of them), now and then any size of SIZES.
            int size = random.nextInt(8) == 0 ? SIZES[random.nextInt(SIZES.length)] : random.nextInt(40);
            var body = new byte[size];
            random.nextBytes(body);
            list.add(body);
        }
        return list;
    }

    /** The reference: every message through start/encode, never staged. */
    private static byte[] encodedPlainly(List<byte[]> messages) {
        var encoder = new FrameEncoder();
        var out = ByteBuffer.allocate(4096);
        var wire = new ByteArrayOutputStream();
        for (var m : messages) {
            encoder.start(m);
            boolean done;
            do {
                done = encoder.encode(out);
                drain(out, wire);
            } while (!done);
        }
        return wire.toByteArray();
    }

    /** As the engine's output (Outbound.fill): small messages staged, the rest encoded, the stage flushed per batch. */
    private static byte[] encodedStaged(List<byte[]> messages, ByteBuffer out) {
        var encoder = new FrameEncoder();
        var wire = new ByteArrayOutputStream();
        int next = 0;
        while (next < messages.size() || encoder.busy()) {
            while (out.remaining() >= 9) {
                if (!encoder.busy()) {
                    if (next == messages.size()) {
                        break;
                    }
                    var m = messages.get(next++);
                    int staged = encoder.stage(m, out);
                    if (staged == FrameEncoder.STAGED) {
                        continue;
                    }
                    if (staged == FrameEncoder.OUT_FULL) {
                        break; // taken: flushStage makes it the message in progress
                    }
                    encoder.start(m);
                }
                if (!encoder.encode(out)) {
                    break;
                }
            }
            encoder.flushStage(out);
            assertEquals(0, encoder.staged(), "a flushed stage is empty");
            drain(out, wire);
        }
        return wire.toByteArray();
    }

    private static void drain(ByteBuffer out, ByteArrayOutputStream wire) {
        out.flip();
        var chunk = new byte[out.remaining()];
        out.get(chunk);
        wire.writeBytes(chunk);
        out.clear();
    }

    /** Output buffers from the smallest that takes a frame header (10 bytes) up. */
    @ParameterizedTest(name = "output buffer of {0} bytes")
    @ValueSource(ints = {10, 11, 17, 300, 1033, 4096, 16 * 1024 + 5, 64 * 1024})
    void stagedFramesAreTheBytesOfEncodedOnes(int capacity) {
        var messages = messages(capacity, 3000);
        var expected = encodedPlainly(messages);
        assertArrayEquals(expected, encodedStaged(messages, ByteBuffer.allocate(capacity)), "heap buffer");
        assertArrayEquals(expected, encodedStaged(messages, ByteBuffer.allocateDirect(capacity)), "direct buffer");
    }

    @Test
    void stagingTakesOnlySmallFramesThatFitWithNothingInProgress() {
        var encoder = new FrameEncoder();
        var out = ByteBuffer.allocate(64 * 1024);
        assertEquals(FrameEncoder.NOT_STAGED, encoder.stage(new byte[FrameEncoder.STAGED_FRAME_MAX + 1], out), "too large");
        assertEquals(FrameEncoder.STAGED, encoder.stage(new byte[FrameEncoder.STAGED_FRAME_MAX], out));
        assertEquals(9 + FrameEncoder.STAGED_FRAME_MAX, encoder.staged());
        assertEquals(0, out.position(), "staged bytes stay out of the buffer until flushed");
        encoder.start(new byte[5000]);
        assertEquals(FrameEncoder.NOT_STAGED, encoder.stage(new byte[1], out), "a message in progress comes first");
        assertTrue(encoder.encode(out));
        assertEquals(9 + FrameEncoder.STAGED_FRAME_MAX + 9 + 5000, out.position(), "encode flushed the stage first");

        var small = ByteBuffer.allocate(10);
        assertEquals(FrameEncoder.STAGED, encoder.stage(new byte[8], small), "10 bytes fit 10");
        assertEquals(FrameEncoder.OUT_FULL, encoder.stage(new byte[0], small), "no room beside the staged bytes: taken, out is full");
        assertEquals(FrameEncoder.NOT_STAGED, encoder.stage(new byte[1], small), "nothing is staged after OUT_FULL");
        encoder.flushStage(small);
        assertEquals(10, small.position(), "the frame past the room is not in out");
        assertTrue(encoder.busy(), "it is the message in progress");

        var v1 = new FrameEncoder();
        v1.setZmtp10();
        assertEquals(FrameEncoder.NOT_STAGED, v1.stage(new byte[1], out), "ZMTP 1.0 framing is never staged");
    }

    @Test
    void aConnectionHoldsNoStageBetweenBatchesAndNestedUsesDoNotShareOne() {
        var encoder = new FrameEncoder();
        var out = ByteBuffer.allocate(1024);
        assertEquals(FrameEncoder.STAGED, encoder.stage(new byte[3], out));
        var held = Scratch.take();
        try {
            var other = new FrameEncoder();
            assertEquals(FrameEncoder.STAGED, other.stage(new byte[4], out), "the thread's array is in use: the nested user gets its own");
            other.flushStage(out);
        } finally {
            Scratch.give(held);
        }
        encoder.flushStage(out);
        assertEquals(5 + 6, out.position());
        var mine = Scratch.take();
        try {
            assertNotSame(mine, Scratch.take(), "an array in use is never handed out twice");
        } finally {
            Scratch.give(mine);
        }
        assertSame(mine, Scratch.take(), "one array per thread, reused batch after batch");
        Scratch.give(mine);
    }

    @Test
    void sealedFramesAreStagedInPlaceAmongOthers() throws Exception {
        // A plain staged frame, then two sealed ones whose bodies the caller writes into the stage.
        var encoder = new FrameEncoder();
        var out = ByteBuffer.allocateDirect(2048);
        assertEquals(FrameEncoder.STAGED, encoder.stage(new byte[] {1, 2}, out));
        int at = encoder.stageSealed(3, out);
        assertTrue(at >= 0);
        System.arraycopy(new byte[] {7, 8, 9}, 0, encoder.stagedArray(), at, 3);
        int big = encoder.stageSealed(300, out);
        java.util.Arrays.fill(encoder.stagedArray(), big, big + 300, (byte) 4);
        assertEquals(4 + 5 + 309, encoder.staged());
        encoder.flushStage(out);

        var frames = new ArrayList<Frame>();
        var decoder = new FrameDecoder((flags, body) -> frames.add(Frame.of(flags, body)));
        out.flip();
        decoder.decode(out);
        var large = new byte[300];
        java.util.Arrays.fill(large, (byte) 4);
        assertEquals(List.of(Frame.of(0, new byte[] {1, 2}), Frame.of(0, new byte[] {7, 8, 9}), Frame.of(0, large)), frames);

        // Not staged: a message in progress, no room in out beside the staged bytes, or larger than the stage.
        var busy = new FrameEncoder();
        busy.start(new byte[2000]);
        assertEquals(-1, busy.stageSealed(3, ByteBuffer.allocate(100)));
        var small = ByteBuffer.allocate(12);
        var tight = new FrameEncoder();
        assertEquals(2, tight.stageSealed(5, small));
        assertEquals(-1, tight.stageSealed(4, small), "7 staged + 6 more would not fit in 12");
        assertEquals(-1, new FrameEncoder().stageSealed(FrameEncoder.STAGE_SIZE, ByteBuffer.allocate(1 << 20)));
        tight.flushStage(small);
        assertEquals(7, small.position());
    }

    @Test
    void largeScratchArraysAreKeptPerThreadUpToALimit() {
        var a = Scratch.take(20_000);
        assertTrue(a.length >= 20_000);
        Scratch.give(a);
        assertSame(a, Scratch.take(18_000), "the thread's large array serves a smaller need");
        var nested = Scratch.take(18_000);
        assertNotSame(a, nested, "in use: a nested user gets its own");
        Scratch.give(nested);
        Scratch.give(a);
        var huge = Scratch.take(Scratch.LARGE_MAX + 1);
        Scratch.give(huge);
        assertNotSame(huge, Scratch.take(Scratch.LARGE_MAX + 1), "arrays beyond the limit are not kept");
        var ordinary = Scratch.take(100);
        assertEquals(Scratch.SIZE, ordinary.length, "small needs get the ordinary array");
        Scratch.give(ordinary);
    }

    @Test
    void aLentSealedFrameGoesBackToTheThreadOnceWrittenWhole() {
        // A sealed frame in the thread's exact-size array, written over three buffers: its bytes as
        // startSealed's, and the array back for the next frame of that size only once all is written.
        var frame = new byte[300];
        new Random(5).nextBytes(frame);
        var lent = Scratch.takeExact(frame.length);
        System.arraycopy(frame, 0, lent, 0, frame.length);
        var encoder = new FrameEncoder();
        encoder.startSealedLent(lent);
        var wire = new ByteArrayOutputStream();
        var out = ByteBuffer.allocate(128);
        assertFalse(encoder.encode(out));
        drain(out, wire);
        var other = Scratch.takeExact(frame.length);
        assertNotSame(lent, other, "not back while partly written");
        assertFalse(encoder.encode(out));
        drain(out, wire);
        assertTrue(encoder.encode(out));
        drain(out, wire);
        var plain = new FrameEncoder();
        plain.startSealed(new byte[][] {frame});
        var expected = ByteBuffer.allocate(400);
        assertTrue(plain.encode(expected));
        expected.flip();
        var expectedBytes = new byte[expected.remaining()];
        expected.get(expectedBytes);
        assertArrayEquals(expectedBytes, wire.toByteArray());
        assertSame(lent, Scratch.takeExact(frame.length), "back once written whole");
        assertNotSame(lent, Scratch.takeExact(frame.length), "and handed out once");

        // Another message started before the lent frame was written whole: neither the lent array nor
        // that message's own frame (the application's) goes to the thread.
        var second = Scratch.takeExact(frame.length);
        encoder.startSealedLent(second);
        assertFalse(encoder.encode(ByteBuffer.allocate(64)));
        var applications = new byte[3];
        encoder.start(applications);
        assertTrue(encoder.encode(ByteBuffer.allocate(64)));
        assertNotSame(second, Scratch.takeExact(frame.length), "a frame given up on is not handed out again");
        assertNotSame(applications, Scratch.takeExact(3), "an application's frame is never handed out");
    }

    /** Frames as the decoder gives them: flags then body, comparable. */
    private record Frame(int flags, List<Byte> body) {
        static Frame of(int flags, byte[] body) {
            var list = new ArrayList<Byte>(body.length);
            for (byte b : body) {
                list.add(b);
            }
            return new Frame(flags, list);
        }
    }

    private static List<Frame> decode(byte[] wire, int cut, boolean direct) throws ZmtpProtocolException {
        var frames = new ArrayList<Frame>();
        var decoder = new FrameDecoder((flags, body) -> frames.add(Frame.of(flags, body)));
        var in = direct ? ByteBuffer.allocateDirect(64 * 1024) : ByteBuffer.allocate(64 * 1024);
        for (int pos = 0; pos < wire.length; ) {
            // As the engine: read what fits after what the decoder left, decode, keep the rest.
            int n = Math.min(Math.min(cut, wire.length - pos), in.remaining());
            in.put(wire, pos, n);
            pos += n;
            in.flip();
            decoder.decode(in);
            assertFalse(in.hasRemaining(), "the decoder takes every byte it is given");
            in.clear();
        }
        return frames;
    }

    @ParameterizedTest(name = "reads of {0} bytes")
    @ValueSource(ints = {1, 2, 9, 100, 4095, 4096, 4097, 10_000, 64 * 1024})
    void smallFramesDecodeInRunsToWhatWasSentWhateverTheReads(int cut) throws Exception {
        var messages = messages(cut, 3000);
        var wire = encodedPlainly(messages);
        var expected = new ArrayList<Frame>();
        for (var m : messages) {
            expected.add(Frame.of(0, m));
        }
        assertEquals(expected, decode(wire, cut, true), "direct buffer");
        assertEquals(expected, decode(wire, cut, false), "heap buffer");
    }

    @Test
    void aLongSizeOfASmallFrameAndFlagsDecodeAsSent() throws Exception {
        var wire = ByteBuffer.allocate(64);
        wire.put((byte) (FrameFlags.LONG | FrameFlags.MORE)).putLong(3).put(new byte[] {1, 2, 3}); // legal, if unusual
        wire.put((byte) FrameFlags.COMMAND).put((byte) 2).put(new byte[] {4, 5});
        wire.put((byte) 0).put((byte) 0);
        wire.flip();
        var bytes = new byte[wire.remaining()];
        wire.get(bytes);
        assertEquals(List.of(Frame.of(FrameFlags.MORE, new byte[] {1, 2, 3}), Frame.of(FrameFlags.COMMAND, new byte[] {4, 5}),
                Frame.of(0, new byte[0])), decode(bytes, bytes.length, true));
    }

    @Test
    void aStopFromTheSinkEndsTheRunAfterThatFrameAndTheNextDecodeGoesOn() throws Exception {
        var frames = new ArrayList<Frame>();
        var decoder = new FrameDecoder[1];
        decoder[0] = new FrameDecoder((flags, body) -> {
            frames.add(Frame.of(flags, body));
            if (frames.size() % 3 == 0) {
                decoder[0].stop(); // as the engine at RCVHWM
            }
        });
        var in = ByteBuffer.allocateDirect(4096);
        for (int i = 0; i < 7; i++) {
            in.put((byte) 0).put((byte) 1).put((byte) i);
        }
        in.flip();
        decoder[0].decode(in);
        assertEquals(3, frames.size(), "the run ends after the frame whose sink stopped it");
        assertEquals(9, in.position(), "the rest stays in the buffer, undecoded");
        decoder[0].decode(in);
        assertEquals(6, frames.size());
        decoder[0].decode(in);
        assertFalse(in.hasRemaining());
        for (int i = 0; i < 7; i++) {
            assertEquals(Frame.of(0, new byte[] {(byte) i}), frames.get(i));
        }
    }

    @Test
    void aRunEndingAtAFrameBoundaryLeavesNothingAndTheNextReadStartsAFreshRun() throws Exception {
        var frames = new ArrayList<Frame>();
        var decoder = new FrameDecoder((flags, body) -> frames.add(Frame.of(flags, body)));
        var in = ByteBuffer.allocateDirect(4096);
        for (int read = 0; read < 3; read++) {
            for (int i = 0; i < 5; i++) {
                in.put((byte) 0).put((byte) 2).put((byte) read).put((byte) i);
            }
            in.flip();
            decoder.decode(in);
            assertFalse(in.hasRemaining(), "a read of whole frames is decoded to its end");
            in.clear();
        }
        assertEquals(15, frames.size());
        assertEquals(Frame.of(0, new byte[] {2, 4}), frames.get(14));
    }

    @Test
    void aBadFrameInARunStopsItWithTheErrorAfterTheFramesBefore() {
        var frames = new ArrayList<Frame>();
        var decoder = new FrameDecoder((flags, body) -> frames.add(Frame.of(flags, body)));
        decoder.setMaxDataFrame(10);
        var in = ByteBuffer.allocateDirect(64);
        in.put((byte) 0).put((byte) 1).put((byte) 7);
        in.put((byte) 0).put((byte) 11).put(new byte[11]); // over MAXMSGSIZE
        in.flip();
        var e = assertThrows(ZmtpProtocolException.class, () -> decoder.decode(in));
        assertTrue(e.getMessage().contains("exceeds the limit of 10 bytes"), e.getMessage());
        assertEquals(List.of(Frame.of(0, new byte[] {7})), frames);

        var reserved = new FrameDecoder((flags, body) -> { });
        var bad = ByteBuffer.allocateDirect(8);
        bad.put((byte) 0).put((byte) 0).put((byte) 0x80).put((byte) 0);
        bad.flip();
        var r = assertThrows(ZmtpProtocolException.class, () -> reserved.decode(bad));
        assertTrue(r.getMessage().contains("reserved flag bits"), r.getMessage());
    }

    @Test
    void wholeSmallDataFramesComeInOneCallCommandsAndLargeFramesInTwo() throws Exception {
        var calls = new ArrayList<String>();
        var decoder = new FrameDecoder(new RecordingSink(calls, "data "));
        var in = ByteBuffer.allocateDirect(4096);
        in.put((byte) FrameFlags.MORE).put((byte) 3).put(new byte[3]);
        in.put((byte) 0).put((byte) 0);
        in.put((byte) FrameFlags.COMMAND).put((byte) 1).put(new byte[1]);
        in.put((byte) FrameFlags.LONG).putLong(FrameDecoder.SMALL_FRAME + 1).put(new byte[FrameDecoder.SMALL_FRAME + 1]);
        in.flip();
        decoder.decode(in);
        assertEquals(List.of("data 1 3", "data 0 0", "header 4 1", "frame 4 1",
                "header 0 " + (FrameDecoder.SMALL_FRAME + 1), "frame 0 " + (FrameDecoder.SMALL_FRAME + 1)), calls);
    }

    @Test
    void withoutWholeDataFramesEveryFrameComesAsHeaderThenFrameUntilTurnedBackOn() throws Exception {
        // A connection before its handshake is done: its sink's onDataFrame sees none of these.
        var calls = new ArrayList<String>();
        var decoder = new FrameDecoder(new RecordingSink(calls, "data "));
        decoder.wholeDataFrames(false);
        var in = ByteBuffer.allocateDirect(4096);
        in.put((byte) FrameFlags.MORE).put((byte) 3).put(new byte[3]);
        in.put((byte) 0).put((byte) 0);
        in.put((byte) FrameFlags.LONG).putLong(2).put(new byte[2]);
        in.flip();
        decoder.decode(in);
        assertEquals(List.of("header 1 3", "frame 1 3", "header 0 0", "frame 0 0", "header 0 2", "frame 0 2"), calls);
        calls.clear();
        decoder.wholeDataFrames(true);
        in.clear();
        in.put((byte) 0).put((byte) 1).put(new byte[1]);
        in.put((byte) FrameFlags.MORE).put((byte) 0);
        in.flip();
        decoder.decode(in);
        assertEquals(List.of("data 0 1", "data 1 0"), calls);
    }

    @Test
    void wholeDataFramesOverMaxDataFrameComeAsHeaderThenFrameAndAreRefusedThere() throws Exception {
        var calls = new ArrayList<String>();
        var decoder = new FrameDecoder(new RecordingSink(calls, "data "));
        decoder.setMaxDataFrame(4);
        var in = ByteBuffer.allocateDirect(64);
        in.put((byte) 0).put((byte) 4).put(new byte[4]);
        in.put((byte) 0).put((byte) 5).put(new byte[5]);
        in.flip();
        assertThrows(ZmtpProtocolException.class, () -> decoder.decode(in));
        assertEquals(List.of("data 0 4"), calls, "exactly at MAXMSGSIZE in one call; one byte over refused before the sink sees it");
    }

    @Test
    void anEmptyFrameBeforeALargeOneIsDecodedWithItNotAsARunOfSmallFrames() throws Exception {
        // A REQ/REP message of a large body: delimiter and body both decoded frame by frame (header,
        // then frame), the delimiter no run of small frames of its own.
        var calls = new ArrayList<String>();
        var decoder = new FrameDecoder(new RecordingSink(calls, "data "));
        var in = ByteBuffer.allocateDirect(8192);
        in.put((byte) FrameFlags.MORE).put((byte) 0);
        in.put((byte) FrameFlags.LONG).putLong(4096).put(new byte[4096]);
        // Then delimiters before small bodies, and one last at the end of the read: runs as before.
        in.put((byte) FrameFlags.MORE).put((byte) 0);
        in.put((byte) 0).put((byte) 3).put(new byte[3]);
        in.put((byte) FrameFlags.MORE).put((byte) 0);
        in.put((byte) FrameFlags.LONG).putLong(FrameDecoder.SMALL_FRAME).put(new byte[FrameDecoder.SMALL_FRAME]);
        in.put((byte) FrameFlags.MORE).put((byte) 0);
        in.flip();
        decoder.decode(in);
        assertEquals(List.of("header 1 0", "frame 1 0", "header 0 4096", "frame 0 4096",
                "data 1 0", "data 0 3", "data 1 0", "data 0 " + FrameDecoder.SMALL_FRAME, "data 1 0"), calls);
        assertFalse(in.hasRemaining());
    }

    @Test
    void withDataInPlaceWholeSmallDataFramesComeAsTheDecodersBytesAndTheRestAsBefore() throws Exception {
        var calls = new ArrayList<String>();
        var decoder = new FrameDecoder(new RecordingSink(calls, "copied ") {
            @Override
            public void onDataFrameInPlace(byte[] bytes, int off, int len) {
                calls.add("in place " + java.util.Arrays.toString(java.util.Arrays.copyOfRange(bytes, off, off + len)));
            }
        });
        decoder.openDataInPlace();
        var in = ByteBuffer.allocateDirect(4096);
        in.put((byte) FrameFlags.MORE).put((byte) 3).put(new byte[] {1, 2, 3});
        in.put((byte) 0).put((byte) 0);
        in.put((byte) FrameFlags.LONG).putLong(2).put(new byte[] {4, 5});
        in.put((byte) FrameFlags.COMMAND).put((byte) 1).put(new byte[1]);
        in.put((byte) FrameFlags.LONG).putLong(FrameDecoder.SMALL_FRAME + 1).put(new byte[FrameDecoder.SMALL_FRAME + 1]);
        in.flip();
        decoder.decode(in);
        assertEquals(List.of("in place [1, 2, 3]", "in place []", "in place [4, 5]", "header 4 1", "frame 4 1",
                "header 0 " + (FrameDecoder.SMALL_FRAME + 1), "frame 0 " + (FrameDecoder.SMALL_FRAME + 1)), calls);
    }

    @ParameterizedTest(name = "reads of {0} bytes")
    @ValueSource(ints = {700, 4096, 20_000, 70_000, 1 << 20})
    void withDataInPlaceLargerBoxesComeInPlaceFromTheThreadsScratchArrays(int cut) throws Exception {
        // CURVE boxes beyond the runs' small frames: each comes to the sink with exactly its bytes and
        // flags. Those over Scratch.SIZE and up to Scratch.LARGE_MAX, whatever the reads, come in place
        // and in the same array box after box (the thread's large scratch array, no array per box);
        // larger ones in place in arrays of their own. Those up to Scratch.SIZE come in place (the
        // thread's ordinary scratch array) when whole in one read, else as arrays of their own (the
        // ordinary array is not held between reads).
        int[] sizes = {FrameDecoder.SMALL_FRAME + 1, 4096, Scratch.SIZE, Scratch.SIZE + 1, 64 * 1024, Scratch.LARGE_MAX,
            Scratch.LARGE_MAX + 1};
        var random = new Random(cut);
        var sent = new ArrayList<byte[]>();
        var wire = new ByteArrayOutputStream();
        for (int size : sizes) {
            for (int k = 0; k < 3; k++) {
                var body = new byte[size];
                random.nextBytes(body);
                sent.add(body);
                var header = ByteBuffer.allocate(9).put((byte) (FrameFlags.LONG | (k == 1 ? FrameFlags.MORE : 0))).putLong(size);
                wire.write(header.array(), 0, 9);
                wire.write(body, 0, size);
            }
        }
        var bytes = wire.toByteArray();
        var seen = new ArrayList<byte[]>();
        var arrays = new ArrayList<byte[]>(); // the sink's array in place, null for an array of its own
        var flags = new ArrayList<Integer>();
        var decoder = new FrameDecoder(new FrameDecoder.Sink() {
            @Override
            public void onFrame(int f, byte[] body) {
                seen.add(body);
                arrays.add(null);
                flags.add(f);
            }

            @Override
            public void onFrame(int f, byte[] in, int off, int len) {
                seen.add(java.util.Arrays.copyOfRange(in, off, off + len));
                arrays.add(in);
                flags.add(f);
            }
        });
        decoder.openDataInPlace();
        var in = ByteBuffer.allocateDirect(1 << 20);
        for (int pos = 0; pos < bytes.length; ) {
            int n = Math.min(cut, bytes.length - pos);
            in.put(bytes, pos, n);
            pos += n;
            in.flip();
            decoder.decode(in);
            assertFalse(in.hasRemaining());
            in.clear();
        }
        assertEquals(sent.size(), seen.size());
        int inPlaceSmall = 0;
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), seen.get(i), "box " + i);
            assertEquals(i % 3 == 1 ? FrameFlags.MORE : 0, flags.get(i), "box " + i);
            int size = sent.get(i).length;
            if (size > Scratch.SIZE) {
                assertTrue(arrays.get(i) != null, "box " + i + " of " + size + " bytes in place");
                if (i % 3 != 0) {
                    if (size <= Scratch.LARGE_MAX) {
                        assertSame(arrays.get(i - 1), arrays.get(i), "box " + i + " of " + size + " bytes");
                    } else {
                        assertNotSame(arrays.get(i - 1), arrays.get(i), "box " + i + " of " + size + " bytes");
                    }
                }
            } else if (arrays.get(i) != null) {
                assertEquals(Scratch.SIZE, arrays.get(i).length, "box " + i + " in the thread's ordinary array");
                inPlaceSmall++;
            }
        }
        if (cut >= 20_000) {
            assertTrue(inPlaceSmall >= 6, "boxes up to Scratch.SIZE whole in a read: " + inPlaceSmall);
        }
    }

    @Test
    void aSinkRefusingAHeaderNeverSeesTheSmallFrame() {
        var frames = new ArrayList<Frame>();
        var decoder = new FrameDecoder(new FrameDecoder.Sink() {
            @Override
            public void onFrame(int flags, byte[] body) {
                frames.add(Frame.of(flags, body));
            }

            @Override
            public void onHeader(int flags, long size) throws ZmtpProtocolException {
                if (size > 2) {
                    throw new ZmtpProtocolException("too large for this phase");
                }
            }
        });
        var in = ByteBuffer.allocateDirect(64);
        in.put((byte) 0).put((byte) 1).put((byte) 7);
        in.put((byte) 0).put((byte) 3).put(new byte[3]);
        in.flip();
        assertThrows(ZmtpProtocolException.class, () -> decoder.decode(in));
        assertEquals(List.of(Frame.of(0, new byte[] {7})), frames);
    }

    @Test
    void aRunLeavesRoomForTheSizeByteOfAFrameCutAfterItsFlags() throws Exception {
        assertTrue(Scratch.SIZE > FrameDecoder.RUN_BYTES, "smallFrame reads the byte after a run's last");
        // A run ending one byte into a frame (its flags only): that frame is left for step().
        var wire = ByteBuffer.allocateDirect(8192);
        for (int i = 0; i < 1023; i++) {
            wire.put((byte) 0).put((byte) 2).put((byte) i).put((byte) 1);
        }
        wire.put((byte) 0).put((byte) 1).put((byte) 9); // bytes 4092..4094
        wire.put((byte) FrameFlags.MORE); // byte 4095, the run's last: this frame's flags
        wire.put((byte) 3).put(new byte[] {1, 2, 3}).put((byte) 0).put((byte) 0);
        wire.flip();
        var frames = new ArrayList<Frame>();
        new FrameDecoder((flags, body) -> frames.add(Frame.of(flags, body))).decode(wire);
        assertEquals(1023 + 3, frames.size());
        assertEquals(Frame.of(0, new byte[] {9}), frames.get(1023));
        assertEquals(Frame.of(FrameFlags.MORE, new byte[] {1, 2, 3}), frames.get(1024));
        assertEquals(Frame.of(0, new byte[0]), frames.get(1025));
    }

    @Test
    void theStageMeasuresTheBufferAgainAfterAnythingElseWroteToIt() {
        var encoder = new FrameEncoder();
        var out = ByteBuffer.allocate(100);
        encoder.start(new byte[90]);
        assertTrue(encoder.encode(out), "92 bytes written, 8 left");
        assertEquals(FrameEncoder.STAGED, encoder.stage(new byte[6], out), "8 bytes fit the 8 left");
        encoder.flushStage(out);
        assertEquals(100, out.position());

        out.clear();
        encoder.start(new byte[90]);
        assertTrue(encoder.encode(out), "92 bytes written, 8 left");
        assertEquals(FrameEncoder.OUT_FULL, encoder.stage(new byte[] {1, 2, 3, 4, 5, 6, 7}, out), "9 bytes do not fit the 8 left");
        encoder.flushStage(out);
        assertEquals(92, out.position(), "the frame that does not fit stays out of the buffer");
        out.clear();
        assertTrue(encoder.encode(out), "it is written first, whole, into the next buffer");
        out.flip();
        var wire = new byte[out.remaining()];
        out.get(wire);
        assertArrayEquals(new byte[] {0, 7, 1, 2, 3, 4, 5, 6, 7}, wire);
    }

    @Test
    void aFrameTakenWhenOutIsFullIsWrittenFirstAndInPartsIfNeeded() {
        // OUT_FULL on a batch's first frame: out has 10 bytes, the frame needs 202; it goes out over several buffers.
        var encoder = new FrameEncoder();
        var body = new byte[200];
        new Random(7).nextBytes(body);
        var out = ByteBuffer.allocate(10);
        assertEquals(FrameEncoder.OUT_FULL, encoder.stage(body, out));
        encoder.flushStage(out);
        assertEquals(0, out.position());
        var wire = new ByteArrayOutputStream();
        while (!encoder.encode(out)) {
            drain(out, wire);
        }
        drain(out, wire);
        var expected = ByteBuffer.allocate(202).put((byte) 0).put((byte) 200).put(body).array();
        assertArrayEquals(expected, wire.toByteArray());
        assertFalse(encoder.busy());
        assertEquals(FrameEncoder.STAGED, encoder.stage(new byte[3], out), "staging goes on after it");
    }

    /** A sink that records each call as text: headers, frames, and data frames under {@code dataLabel}. */
    private static class RecordingSink implements FrameDecoder.Sink {
        final List<String> calls;
        private final String dataLabel;

        RecordingSink(List<String> calls, String dataLabel) {
            this.calls = calls;
            this.dataLabel = dataLabel;
        }

        @Override
        public void onFrame(int flags, byte[] body) {
            calls.add("frame " + flags + " " + body.length);
        }

        @Override
        public void onHeader(int flags, long size) {
            calls.add("header " + flags + " " + size);
        }

        @Override
        public void onDataFrame(int flags, byte[] body) {
            calls.add(dataLabel + flags + " " + body.length);
        }
    }
}
