package dev.zmq.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zmq.internal.wire.FrameDecoder;
import dev.zmq.internal.wire.FrameEncoder;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.V1FrameDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The frame decoders of the three ZMTP revisions, on the bytes a peer sends after the greeting.
 * Seeds are libzmq 4.3's own streams (scripts/capture-seeds.py); see {@link DecoderRun} for the checks.
 * Frames decoded from a stream, encoded again by {@link FrameEncoder}, must decode to themselves.
 */
class FrameDecoderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void v3(byte[] input) throws Exception {
        var run = new DecoderRun(input);
        var outcome = run.check("ZMTP 3 FrameDecoder", sink -> {
            var d = new FrameDecoder(sink);
            d.setMaxDataFrame(run.dataLimit());
            d.setMaxCommandFrame(run.commandLimit());
            return d;
        }, FrameFlags.MORE | FrameFlags.COMMAND);
        roundTrip(outcome.frames(), false, sink -> new FrameDecoder(sink));
    }

    @FuzzTest(maxDuration = "10s")
    void v2(byte[] input) throws Exception {
        var run = new DecoderRun(input);
        var outcome = run.check("ZMTP 2 FrameDecoder", sink -> {
            var d = new FrameDecoder(sink);
            d.setZmtp20();
            d.setMaxDataFrame(run.dataLimit());
            return d;
        }, FrameFlags.MORE);
        roundTrip(outcome.frames(), false, sink -> {
            var d = new FrameDecoder(sink);
            d.setZmtp20();
            return d;
        });
    }

    @FuzzTest(maxDuration = "10s")
    void v1(byte[] input) throws Exception {
        var run = new DecoderRun(input);
        // ZMTP 1.0's flags octet is passed on masked to MORE, whatever else the peer set.
        var outcome = run.check("ZMTP 1 V1FrameDecoder", sink -> new V1FrameDecoder(sink, run.dataLimit()), FrameFlags.MORE);
        roundTrip(outcome.frames(), true, sink -> new V1FrameDecoder(sink, -1));
    }

    /** Encodes the complete messages and commands among {@code frames} and decodes them again. */
    private static void roundTrip(List<DecoderRun.Frame> frames, boolean v1,
                                  java.util.function.Function<FrameDecoder.Sink, dev.zmq.internal.wire.Decoder> factory) throws Exception {
        var encoder = new FrameEncoder();
        if (v1) {
            encoder.setZmtp10();
        }
        var expected = new ArrayList<DecoderRun.Frame>();
        var out = ByteBuffer.allocate(64 * 1024);
        var wire = new java.io.ByteArrayOutputStream();
        var message = new ArrayList<byte[]>();
        for (var f : frames) {
            if ((f.flags() & FrameFlags.COMMAND) != 0) {
                encode(encoder, new byte[][] {f.body()}, true, out, wire);
                expected.add(f);
                continue;
            }
            message.add(f.body());
            if ((f.flags() & FrameFlags.MORE) == 0) {
                encode(encoder, message.toArray(byte[][]::new), false, out, wire);
                for (int i = 0; i < message.size(); i++) {
                    expected.add(DecoderRun.Frame.of(i < message.size() - 1 ? FrameFlags.MORE : 0, message.get(i)));
                }
                message.clear();
            }
        }
        var again = new ArrayList<DecoderRun.Frame>();
        var decoder = factory.apply((flags, body) -> again.add(DecoderRun.Frame.of(flags, body)));
        decoder.decode(ByteBuffer.wrap(wire.toByteArray()));
        assertEquals(expected, again, "frames encoded by FrameEncoder did not decode to themselves");
    }

    private static void encode(FrameEncoder encoder, byte[][] frames, boolean command, ByteBuffer out, java.io.ByteArrayOutputStream wire) {
        encoder.start(frames, command);
        boolean done;
        do {
            out.clear();
            done = encoder.encode(out);
            out.flip();
            wire.write(out.array(), 0, out.limit());
        } while (!done);
    }
}
