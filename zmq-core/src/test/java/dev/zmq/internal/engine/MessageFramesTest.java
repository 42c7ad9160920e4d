package dev.zmq.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketType;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Data frames become messages in the batch the engine delivers; the batch is reused unless a burst grew it. */
class MessageFramesTest {
    /** A PULL's inbound side with no limit; data frames never reach the engine or the commands. */
    private final MessageFrames frames = new MessageFrames(null, null, SocketType.PULL, -1);

    @Test
    void framesBecomeWholeMessagesInOrder() throws Exception {
        frames.onFrame(FrameFlags.MORE, new byte[] {1});
        frames.onFrame(0, new byte[] {2, 2});
        frames.onFrame(0, new byte[65_536]);
        var batch = frames.batch();
        assertEquals(2, batch.size());
        assertEquals(2, batch.get(0).size());
        assertArrayEquals(new byte[] {2, 2}, batch.get(0).frame(1));
        assertEquals(65_536, batch.get(1).first().length);
        assertTrue(frames.betweenMessages());
    }

    @Test
    void anOrdinaryBatchIsEmptiedAndReusedAfterDelivery() throws Exception {
        for (int i = 0; i < MessageFrames.KEPT_BATCH; i++) {
            frames.onFrame(0, new byte[] {(byte) i});
        }
        var batch = frames.batch();
        frames.delivered();
        assertSame(batch, frames.batch(), "a batch of ordinary size is kept for the next read");
        assertTrue(frames.batch().isEmpty());
    }

    @Test
    void aBatchGrownByABurstIsLetGoAfterDelivery() throws Exception {
        for (int i = 0; i <= MessageFrames.KEPT_BATCH * 100; i++) {
            frames.onFrame(0, new byte[0]);
        }
        var burst = frames.batch();
        frames.delivered();
        assertNotSame(burst, frames.batch(), "the array a burst grew would stay with the connection");
        assertTrue(frames.batch().isEmpty());
        frames.onFrame(0, new byte[] {7});
        assertEquals(1, frames.batch().size());
    }

    @Test
    void wholeDataFramesBecomeMessagesWithTheConnectionsProperties() throws Exception {
        var properties = Map.of("Socket-Type", "PUSH");
        frames.start(null, properties);
        assertEquals(1, frames.onDataFrame(0, new byte[] {1}));
        assertEquals(1, frames.onDataFrame(FrameFlags.MORE, new byte[] {2}), "a first frame is no message yet");
        assertEquals(2, frames.onDataFrame(0, new byte[] {3, 3}));
        var batch = frames.batch();
        assertArrayEquals(new byte[] {1}, batch.get(0).first());
        assertEquals("PUSH", batch.get(0).property("Socket-Type"));
        assertEquals(2, batch.get(1).size());
        assertArrayEquals(new byte[] {3, 3}, batch.get(1).frame(1));
        assertEquals("PUSH", batch.get(1).property("Socket-Type"));
    }

    @Test
    void wholeDataFramesAreBoundedByMaxMultipartSize() throws Exception {
        var bounded = new MessageFrames(null, null, SocketType.PULL, 20);
        bounded.start(null, Map.of());
        assertEquals(1, bounded.onDataFrame(0, new byte[20 - MessageFrames.FRAME_OVERHEAD]), "exactly at the bound");
        assertThrows(ZmtpProtocolException.class, () -> bounded.onDataFrame(0, new byte[21 - MessageFrames.FRAME_OVERHEAD]));
        bounded.onDataFrame(FrameFlags.MORE, new byte[2]);
        assertThrows(ZmtpProtocolException.class, () -> bounded.onDataFrame(0, new byte[2]), "the message as a whole is bounded");
        assertEquals(1, bounded.batch().size(), "nothing past the bound was taken");
    }

    @Test
    void beforeTheHandshakeOutcomeWholeDataFramesTakeTheGeneralPath() throws Exception {
        var bounded = new MessageFrames(null, null, SocketType.PULL, 20);
        assertThrows(ZmtpProtocolException.class, () -> bounded.onDataFrame(0, new byte[21 - MessageFrames.FRAME_OVERHEAD]));
        assertEquals(1, bounded.onDataFrame(0, new byte[] {9}));
        assertArrayEquals(new byte[] {9}, bounded.batch().get(0).first());
    }
}
