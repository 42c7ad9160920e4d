package dev.zmq.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zmq.internal.wire.FrameDecoder;
import dev.zmq.internal.wire.FrameEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames larger than the decoder's first allocation, arriving in reads of any size: they decode to
 * exactly what was sent, and a peer that announces a large frame and then trickles its bytes makes
 * the decoder hold memory only in proportion to the bytes it actually sent.
 */
class LargeFrameDecodeTest {
    private static final int[] SIZES = {0, 1, 1023, 1024, 1025, 2049, 5000, 65_536, 65_545, 300_001};

    @ParameterizedTest(name = "reads of {0} bytes")
    @ValueSource(ints = {1, 7, 1000, 4096, 16_384, 65_536, Integer.MAX_VALUE})
    void framesOfEverySizeDecodeToWhatWasSentWhateverTheReads(int read) throws Exception {
        var random = new Random(read);
        var sent = new ArrayList<byte[]>();
        var wire = new ByteArrayOutputStream();
        var encoder = new FrameEncoder();
        var out = ByteBuffer.allocate(8 * 1024);
        for (int size : SIZES) {
            var body = new byte[size];
            random.nextBytes(body);
            sent.add(body);
            encoder.start(body);
            boolean done;
            do {
                out.clear();
                done = encoder.encode(out);
                out.flip();
                wire.write(out.array(), 0, out.limit());
            } while (!done);
        }
        var received = new ArrayList<byte[]>();
        var decoder = new FrameDecoder((flags, body) -> received.add(body));
        var bytes = wire.toByteArray();
        for (int pos = 0; pos < bytes.length; ) {
            int n = (int) Math.min(read, bytes.length - pos);
            decoder.decode(ByteBuffer.wrap(bytes, pos, n).slice());
            pos += n;
        }
        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), received.get(i), "frame of " + SIZES[i] + " bytes");
        }
    }

    @ParameterizedTest(name = "{0} bytes of a 1 GiB frame, one at a time")
    @ValueSource(ints = {10, 3000, 40_000})
    void aTrickledFrameCostsMemoryInProportionToWhatArrived(int arrived) throws Exception {
        var stream = ByteBuffer.allocate(9 + arrived);
        stream.put((byte) 0x02).putLong(1L << 30); // LONG data frame of 1 GiB, only its start ever sent
        var input = stream.array();
        AllocationBudget.within("FrameDecoder on a trickled large frame", AllocationBudget.DECODER_ALLOWANCE, input.length, () -> {
            var decoder = new FrameDecoder((flags, body) -> {
                throw new AssertionError("the frame is not complete");
            });
            var in = ByteBuffer.wrap(input).limit(0);
            for (int i = 1; i <= input.length; i++) {
                in.limit(i); // one more byte per read, the buffer itself reused
                decoder.decode(in);
            }
        });
    }
}
