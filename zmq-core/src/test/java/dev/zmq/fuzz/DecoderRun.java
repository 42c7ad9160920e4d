package dev.zmq.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.internal.wire.Decoder;
import dev.zmq.internal.wire.FrameDecoder;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * One fuzz input for a frame decoder: its first byte chooses how the stream is cut into reads and
 * which size limits apply, the rest is the stream. The decoder must end in frames or a
 * {@link ZmtpProtocolException}, give the same frames however the stream is cut, respect its
 * limits, and allocate within {@link AllocationBudget}.
 */
final class DecoderRun {
    private static final int[] CHUNKS = {1, 2, 3, 7, 16, 64, 256, Integer.MAX_VALUE};
    /** MAXMSGSIZE when the options ask for one (small, so the fuzzer crosses it). */
    static final long DATA_LIMIT = 300;
    /** The engine's command frame limit. */
    static final long COMMAND_LIMIT = 64 * 1024;

    /** A decoded frame, comparable by content. */
    record Frame(int flags, String hex) {
        static Frame of(int flags, byte[] body) {
            return new Frame(flags, HexFormat.of().formatHex(body));
        }

        byte[] body() {
            return HexFormat.of().parseHex(hex);
        }
    }

    /** What decoding a whole stream gave: the frames, and the error that stopped it (or null). */
    record Outcome(List<Frame> frames, String error) {
    }

    final int chunk;
    final boolean dataLimited;
    final boolean commandLimited;
    final byte[] stream;

    DecoderRun(byte[] input) {
        int options = input.length == 0 ? 0 : input[0] & 0xFF;
        this.chunk = CHUNKS[options & 7];
        this.dataLimited = (options & 8) != 0;
        this.commandLimited = (options & 16) != 0;
        this.stream = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
    }

    long dataLimit() {
        return dataLimited ? DATA_LIMIT : -1;
    }

    long commandLimit() {
        return commandLimited ? COMMAND_LIMIT : -1;
    }

    /** Decodes the stream cut into reads of {@code size} bytes, collecting frames. */
    Outcome decode(Function<FrameDecoder.Sink, Decoder> factory, int size) {
        var frames = new ArrayList<Frame>();
        var decoder = factory.apply((flags, body) -> frames.add(Frame.of(flags, body)));
        try {
            feed(decoder, size);
            return new Outcome(frames, null);
        } catch (ZmtpProtocolException e) {
            return new Outcome(frames, e.getMessage());
        }
    }

    /** Feeds the stream in reads of {@code size} bytes through one buffer (so the harness allocates nothing per read). */
    private void feed(Decoder decoder, int size) throws ZmtpProtocolException {
        var buffer = ByteBuffer.wrap(stream);
        for (int pos = 0; pos < stream.length; pos += size) {
            buffer.limit((int) Math.min(stream.length, (long) pos + size)).position(pos);
            decoder.decode(buffer);
        }
    }

    /**
     * The checks every decoder gets: heap within budget (with a sink that allocates nothing), frame
     * flags and sizes within the limits, and the same outcome for one read as for the chosen cuts.
     */
    Outcome check(String name, Function<FrameDecoder.Sink, Decoder> factory, int allowedFlags) throws Exception {
        AllocationBudget.within(name, AllocationBudget.DECODER_ALLOWANCE, stream.length, () -> {
            FrameDecoder.Sink counting = (flags, body) -> {
                if ((flags & ~allowedFlags) != 0) {
                    throw new AssertionError(name + " passed on flags 0x" + Integer.toHexString(flags));
                }
                boolean command = (flags & FrameFlags.COMMAND) != 0;
                long limit = command ? commandLimit() : dataLimit();
                if (limit >= 0 && body.length > limit) {
                    throw new AssertionError(name + " passed on a " + body.length + "-byte frame over the limit " + limit);
                }
            };
            var decoder = factory.apply(counting);
            try {
                feed(decoder, chunk);
            } catch (ZmtpProtocolException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank(), "an error without a reason");
            }
        });
        var whole = decode(factory, Math.max(1, stream.length));
        var cut = decode(factory, chunk);
        assertEquals(whole, cut, name + ": reading the stream in " + chunk + "-byte pieces changed the outcome");
        return whole;
    }
}
