package dev.zmq.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The read sizes the decoder asks for ({@link FrameDecoder#readSize}): the whole buffer for small
 * frames; the rest of a large frame while one is being read; after a message that ended with a large
 * frame, what is left of one more message of its size, until more than that came. Never more than
 * the buffer.
 */
class FrameDecoderReadSizeTest {
    private static final int CAPACITY = 512 * 1024;

    private final List<byte[]> frames = new ArrayList<>();
    private final FrameDecoder decoder = new FrameDecoder((flags, body) -> frames.add(body));

    private static byte[] wire(int size, int tag) {
        return wire(size, tag, 0);
    }

    private static byte[] wire(int size, int tag, int flags) {
        var b = ByteBuffer.allocate(9 + size);
        if (size < 256) {
            b.put((byte) flags).put((byte) size);
        } else {
            b.put((byte) 2).putLong(size);
        }
        for (int i = 0; i < size; i++) {
            b.put((byte) (tag + i));
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private void decode(byte[] bytes, int from, int to) throws ZmtpProtocolException {
        var in = ByteBuffer.allocateDirect(to - from);
        in.put(bytes, from, to - from).flip();
        decoder.decode(in);
        assertEquals(0, in.remaining());
    }

    @Test
    void smallFramesAskForTheWholeBuffer() throws Exception {
        assertEquals(CAPACITY, decoder.readSize(CAPACITY));
        var small = wire(100, 1);
        decode(small, 0, small.length);
        assertEquals(1, frames.size());
        assertEquals(CAPACITY, decoder.readSize(CAPACITY));
    }

    @Test
    void aLargeFrameAsksForItsRestThenForAnotherOfItsSize() throws Exception {
        var large = wire(65_536, 3);
        decode(large, 0, 9 + 1000); // header and 1000 bytes: kept in pieces, not half of it yet
        assertEquals(65_536 - 1000, decoder.readSize(CAPACITY));
        decode(large, 9 + 1000, 9 + 40_000); // past half: the frame's own array
        assertEquals(65_536 - 40_000, decoder.readSize(CAPACITY));
        assertEquals(4096, decoder.readSize(4096), "never more than the buffer");
        decode(large, 9 + 40_000, large.length);
        assertEquals(1, frames.size());
        assertArrayEquals(java.util.Arrays.copyOfRange(large, 9, large.length), frames.get(0));
        assertEquals(65_536 + 9, decoder.readSize(CAPACITY), "another frame of that size, header included");
    }

    @Test
    void aRequestAsksForItsDelimiterAndBodyInOneRead() throws Exception {
        var delimiter = wire(0, 0, 1); // MORE, empty: a REQ/REP envelope
        var body = wire(65_536, 4);
        decode(delimiter, 0, delimiter.length);
        decode(body, 0, body.length);
        assertEquals(2, frames.size());
        assertEquals(2 + 65_545, decoder.readSize(CAPACITY), "the whole next message");
        decode(delimiter, 0, delimiter.length);
        assertEquals(65_545, decoder.readSize(CAPACITY), "what is left of it");
    }

    @Test
    void smallFramesAfterALargeOneAskForTheWholeBufferOnceMoreThanItsSizeCame() throws Exception {
        var large = wire(40_000, 5);
        decode(large, 0, large.length);
        assertEquals(40_009, decoder.readSize(CAPACITY));
        var small = wire(982, 7); // 991 bytes on the wire
        decode(small, 0, small.length);
        assertEquals(40_009 - 991, decoder.readSize(CAPACITY));
        for (int i = 0; i < 40; i++) {
            decode(small, 0, small.length);
        }
        assertEquals(42, frames.size());
        assertEquals(CAPACITY, decoder.readSize(CAPACITY), "41 small frames, 40,631 bytes: past the large message's size");
    }

    @Test
    void aMediumFrameAsksForItsRestOnlyWhileThatIsLarge() throws Exception {
        var medium = wire(20_000, 9);
        decode(medium, 0, 9 + 1000);
        assertEquals(19_000, decoder.readSize(CAPACITY), "16 KiB or more left: the rest");
        decode(medium, 9 + 1000, 9 + 10_000);
        assertEquals(CAPACITY, decoder.readSize(CAPACITY), "less left: the whole buffer, the frames after it too");
        decode(medium, 9 + 10_000, medium.length);
        assertEquals(CAPACITY, decoder.readSize(CAPACITY), "below the large size: the whole buffer after it");
    }
}
