package dev.zmq.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketType;
import dev.zmq.internal.wire.FrameFlags;
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
}
