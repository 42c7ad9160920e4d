package dev.zmq.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.pipe.PipeEndpoint;
import dev.zmq.internal.pipe.PipeOwner;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Data frames become messages offered to the pipe, which the application sees once the engine
 * publishes them; they count towards RCVHWM from the moment they are offered.
 */
class MessageFramesTest {
    /** A PULL's inbound side with no limit; data frames never reach the engine or the commands. */
    private final MessageFrames frames = new MessageFrames(null, null, SocketType.PULL, -1);
    private final Pipe pipe = pipe(1000);

    private static Pipe pipe(int rcvhwm) {
        var sides = new Sides();
        return new Pipe(1000, rcvhwm, false, sides, sides, new DropCounter());
    }

    @Test
    void framesBecomeWholeMessagesInOrder() throws Exception {
        frames.deliverTo(pipe);
        frames.onFrame(FrameFlags.MORE, new byte[] {1});
        frames.onFrame(0, new byte[] {2, 2});
        frames.onFrame(0, new byte[65_536]);
        assertEquals(2, frames.pending());
        assertTrue(frames.betweenMessages());
        assertTrue(pipe.publishIn());
        var first = pipe.pollIn();
        assertEquals(2, first.size());
        assertArrayEquals(new byte[] {2, 2}, first.frame(1));
        assertEquals(65_536, pipe.pollIn().first().length);
        assertNull(pipe.pollIn());
    }

    @Test
    void longMessagesKeepEveryFrameInOrderAndTheNextMessageStartsAfresh() throws Exception {
        frames.deliverTo(pipe);
        for (int i = 0; i < 9; i++) {
            frames.onFrame(FrameFlags.MORE, new byte[] {(byte) i});
            assertFalse(frames.betweenMessages());
        }
        frames.onFrame(0, new byte[] {9});
        frames.onFrame(FrameFlags.MORE, new byte[0]);
        frames.onFrame(0, new byte[] {10, 10});
        assertTrue(pipe.publishIn());
        var nine = pipe.pollIn();
        assertEquals(10, nine.size());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(new byte[] {(byte) i}, nine.frame(i));
        }
        var next = pipe.pollIn();
        assertEquals(2, next.size(), "nothing of the long message is left in the next one");
        assertEquals(0, next.frame(0).length);
        assertArrayEquals(new byte[] {10, 10}, next.frame(1));
    }

    @Test
    void aDiscardedPartialMessageLeavesNothingBehind() throws Exception {
        frames.deliverTo(pipe);
        frames.onFrame(FrameFlags.MORE, new byte[] {1});
        frames.onFrame(FrameFlags.MORE, new byte[] {2});
        frames.discard();
        assertTrue(frames.betweenMessages());
        frames.onFrame(FrameFlags.MORE, new byte[] {3});
        frames.onFrame(0, new byte[] {4});
        assertTrue(pipe.publishIn());
        var m = pipe.pollIn();
        assertEquals(2, m.size());
        assertArrayEquals(new byte[] {3}, m.frame(0));
        assertArrayEquals(new byte[] {4}, m.frame(1));
    }

    @Test
    void offeredMessagesAreUnseenUntilPublishedButCountTowardsTheHighWaterMark() throws Exception {
        var bounded = pipe(3);
        frames.deliverTo(bounded);
        frames.onFrame(0, new byte[] {1});
        frames.onFrame(0, new byte[] {2});
        assertNull(bounded.pollIn(), "not published yet");
        assertEquals(1, bounded.inboundRoom(), "the two offered ones already take room");
        frames.onFrame(0, new byte[] {3});
        assertFalse(bounded.publishIn(), "RCVHWM reached: the connection stops reading");
        assertArrayEquals(new byte[] {1}, bounded.pollIn().first());
    }

    @Test
    void oneFrameMessagesGoIntoThePipeAsTheirBareArrayWithTheConnectionsProperties() throws Exception {
        var props = Map.of("Socket-Type", "PUSH");
        frames.start(null, props);
        frames.deliverTo(pipe);
        byte[] one = {7};
        frames.onDataFrame(0, one);
        frames.onDataFrame(FrameFlags.MORE, new byte[] {1});
        frames.onDataFrame(0, new byte[] {2});
        byte[] large = new byte[65_536];
        frames.onFrame(0, large);
        assertEquals(3, frames.pending());
        pipe.publishIn();
        assertSame(one, pipe.pollInFrame(), "no Message for a one-frame message");
        var two = (Message) pipe.pollInFrame();
        assertEquals(2, two.size());
        assertEquals("PUSH", two.property("Socket-Type"));
        var big = pipe.pollIn();
        assertSame(large, big.first());
        assertEquals("PUSH", big.property("Socket-Type"), "wrapped with the properties the pipe holds");
    }

    @Test
    void aConnectionWhosePropertiesThePipeDoesNotHoldQueuesMessages() throws Exception {
        assertTrue(pipe.takesBareFrames(Map.of("User-Id", "earlier"), frame -> Message.of(frame)), "an earlier connection's properties");
        frames.start(null, Map.of("User-Id", "later"));
        frames.deliverTo(pipe);
        frames.onDataFrame(0, new byte[] {1});
        pipe.publishIn();
        var m = pipe.pollInFrame();
        assertTrue(m instanceof Message, "not a bare array: the pipe's properties are another connection's");
        assertEquals("later", ((Message) m).property("User-Id"));
    }

    @Test
    void theCountStartsAgainAfterEachDelivery() throws Exception {
        frames.deliverTo(pipe);
        frames.onFrame(0, new byte[] {1});
        frames.onFrame(0, new byte[] {2});
        assertEquals(2, frames.pending());
        frames.delivered();
        assertEquals(0, frames.pending());
        frames.onFrame(0, new byte[] {3});
        assertEquals(1, frames.pending());
        pipe.publishIn();
        for (byte b = 1; b <= 3; b++) {
            assertArrayEquals(new byte[] {b}, pipe.pollIn().first(), "every message once, in order");
        }
    }

    @Test
    void withoutAPipeMessagesAreCountedAndDropped() throws Exception {
        frames.onFrame(0, new byte[] {1});
        assertEquals(1, frames.pending(), "a refused peer's messages are counted, so the engine lets them go");
        frames.deliverTo(pipe);
        frames.delivered();
        pipe.publishIn();
        assertNull(pipe.pollIn(), "nothing reached the pipe");
    }

    @Test
    void wholeDataFramesBecomeMessagesWithTheConnectionsProperties() throws Exception {
        var properties = Map.of("Socket-Type", "PUSH");
        frames.start(null, properties);
        frames.deliverTo(pipe);
        assertEquals(1, frames.onDataFrame(0, new byte[] {1}));
        assertEquals(1, frames.onDataFrame(FrameFlags.MORE, new byte[] {2}), "a first frame is no message yet");
        assertEquals(2, frames.onDataFrame(0, new byte[] {3, 3}));
        pipe.publishIn();
        Message first = pipe.pollIn();
        Message second = pipe.pollIn();
        assertArrayEquals(new byte[] {1}, first.first());
        assertEquals("PUSH", first.property("Socket-Type"));
        assertEquals(2, second.size());
        assertArrayEquals(new byte[] {3, 3}, second.frame(1));
        assertEquals("PUSH", second.property("Socket-Type"));
    }

    @Test
    void wholeDataFramesAreBoundedByMaxMultipartSize() throws Exception {
        var bounded = new MessageFrames(null, null, SocketType.PULL, 20);
        bounded.start(null, Map.of());
        bounded.deliverTo(pipe);
        assertEquals(1, bounded.onDataFrame(0, new byte[20 - MessageFrames.FRAME_OVERHEAD]), "exactly at the bound");
        assertThrows(ZmtpProtocolException.class, () -> bounded.onDataFrame(0, new byte[21 - MessageFrames.FRAME_OVERHEAD]));
        bounded.onDataFrame(FrameFlags.MORE, new byte[2]);
        assertThrows(ZmtpProtocolException.class, () -> bounded.onDataFrame(0, new byte[2]), "the message as a whole is bounded");
        assertEquals(1, bounded.pending(), "nothing past the bound was taken");
        pipe.publishIn();
        assertEquals(20 - MessageFrames.FRAME_OVERHEAD, pipe.pollIn().first().length);
        assertNull(pipe.pollIn());
    }

    @Test
    void beforeTheHandshakeOutcomeWholeDataFramesTakeTheGeneralPath() throws Exception {
        var bounded = new MessageFrames(null, null, SocketType.PULL, 20);
        bounded.deliverTo(pipe);
        assertThrows(ZmtpProtocolException.class, () -> bounded.onDataFrame(0, new byte[21 - MessageFrames.FRAME_OVERHEAD]));
        assertEquals(1, bounded.onDataFrame(0, new byte[] {9}));
        pipe.publishIn();
        assertArrayEquals(new byte[] {9}, pipe.pollIn().first());
    }

    @Test
    void sealedDataFramesAreOpenedFromTheDecodersBytesAndBoundedByTheirSizeOnTheWire() throws Exception {
        var bounded = new MessageFrames(null, null, SocketType.PULL, 20);
        bounded.start(new DropFirstByte(), Map.of());
        bounded.deliverTo(pipe);
        var bytes = new byte[] {7, 7, 1, 2, 3, 7};
        assertEquals(1, bounded.onSealedDataFrame(bytes, 2, 3), "frame 2, 3 opened from bytes[2..5)");
        assertThrows(ZmtpProtocolException.class, () -> bounded.onSealedDataFrame(new byte[21 - MessageFrames.FRAME_OVERHEAD], 0,
                21 - MessageFrames.FRAME_OVERHEAD), "the bound counts the sealed frame, as when it came copied");
        assertEquals(1, bounded.pending(), "nothing past the bound was taken");
        pipe.publishIn();
        assertArrayEquals(new byte[] {2, 3}, pipe.pollIn().first());
        assertNull(pipe.pollIn());
    }

    @Test
    void openedOneFrameMessagesGoIntoThePipeAsTheirBareArrayToo() throws Exception {
        var props = Map.of("Socket-Type", "PUSH");
        var sealed = new MessageFrames(null, null, SocketType.PULL, -1);
        sealed.start(new DropFirstByte(), props);
        sealed.deliverTo(pipe);
        sealed.onSealedDataFrame(new byte[] {0, 4, 5}, 0, 3);
        sealed.onSealedDataFrame(new byte[] {0, 6}, 0, 2);
        pipe.publishIn();
        var frame = pipe.pollInFrame();
        assertArrayEquals(new byte[] {4, 5}, (byte[]) frame, "no Message for an opened one-frame message");
        var wrapped = pipe.pollIn();
        assertArrayEquals(new byte[] {6}, wrapped.first());
        assertEquals("PUSH", wrapped.property("Socket-Type"), "recv() still gets the connection's properties");
    }

    /** A stand-in codec: a frame on the wire is one byte more than the frame it carries, no flags. */
    private static final class DropFirstByte implements dev.zmq.internal.wire.mechanism.MessageCodec {
        @Override
        public byte[] encode(byte[] frame, int flags) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int encodedLength(int frameLength) {
            return frameLength + 1;
        }

        @Override
        public void encode(byte[] frame, int flags, java.nio.ByteBuffer out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void encode(byte[] frame, int flags, byte[] out, int at) {
            throw new UnsupportedOperationException();
        }

        private byte[] opened;

        @Override
        public void open(byte[] wire, int off, int len) {
            opened = java.util.Arrays.copyOfRange(wire, off + 1, off + len);
        }

        @Override
        public byte[] opened() {
            return opened;
        }

        @Override
        public int lastFlags() {
            return 0;
        }
    }

    /** Both sides of the pipe, doing nothing when told to wake up. */
    private static final class Sides implements PipeEndpoint, PipeOwner {
        @Override
        public void outboundReady() {
        }

        @Override
        public void resumeReading() {
        }

        @Override
        public void inboundArrived(Pipe pipe) {
        }

        @Override
        public void outboundRoom(Pipe pipe) {
        }
    }
}
