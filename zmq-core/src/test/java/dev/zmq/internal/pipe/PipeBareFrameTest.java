package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.internal.Frames;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** One-frame messages a connection queues as their bare array: read as frames or as Messages with the pipe's properties. */
class PipeBareFrameTest {
    private static final Map<String, String> PROPS = Map.of("User-Id", "admin");
    private static final Function<byte[], Message> WRAP = frame -> Frames.wrapOne(frame, PROPS);

    @Test
    void aBareFrameIsReadAsItselfOrAsAMessageWithTheConnectionsProperties() {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, false, wakes, wakes, new DropCounter());
        assertTrue(pipe.takesBareFrames(PROPS, WRAP));
        byte[] a = {1};
        byte[] b = {2, 3};
        pipe.offerInFrame(a);
        pipe.offerIn(Message.of("x", "y"));
        pipe.offerInFrame(b);
        pipe.publishIn();
        assertEquals(3, pipe.inboundSize());
        assertSame(a, pipe.pollInFrame());
        assertEquals(Message.of("x", "y"), pipe.pollInFrame());
        var m = pipe.peekIn();
        assertSame(b, m.frame(0));
        assertEquals("admin", m.property("User-Id"));
        m = pipe.pollIn();
        assertSame(b, m.frame(0));
        assertEquals(1, m.size());
        assertEquals("admin", m.property("User-Id"));
        assertNull(pipe.pollInFrame());
        assertEquals(0, pipe.inboundSize());
    }

    @Test
    void bareFramesCountTowardsRcvhwmAsMessagesDo() {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 4, false, wakes, wakes, new DropCounter());
        assertTrue(pipe.takesBareFrames(PROPS, WRAP));
        for (int i = 0; i < 3; i++) {
            pipe.offerInFrame(new byte[] {(byte) i});
        }
        assertEquals(1, pipe.inboundRoom());
        assertTrue(pipe.publishIn());
        pipe.offerInFrame(new byte[] {3});
        assertFalse(pipe.publishIn(), "the fourth message reaches RCVHWM 4");
        assertTrue(pipe.isReadPaused());
        pipe.pollInFrame();
        pipe.pollInFrame();
        assertFalse(pipe.isReadPaused(), "read down to the low-water mark, the connection resumes");
        assertEquals(1, wakes.resume.get());
    }

    @Test
    void onlyTheFirstConnectionsPropertiesOrEqualOnesQualify() {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, false, wakes, wakes, new DropCounter());
        assertTrue(pipe.takesBareFrames(PROPS, WRAP));
        assertTrue(pipe.takesBareFrames(Map.of("User-Id", "admin"), WRAP));
        assertFalse(pipe.takesBareFrames(Map.of("User-Id", "other"), WRAP), "a reconnect with other properties queues Messages");
        var conflating = new Pipe(1000, 1000, true, wakes, wakes, new DropCounter());
        assertFalse(conflating.takesBareFrames(PROPS, WRAP), "CONFLATE keeps its slot of Messages");
    }
}
