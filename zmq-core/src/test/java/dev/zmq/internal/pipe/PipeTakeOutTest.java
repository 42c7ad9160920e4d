package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connection side taking outbound messages one at a time ({@link Pipe#pollOut}, as the engine
 * does while encoding) and reporting them taken ({@link Pipe#commitOut}): SNDHWM counts what was
 * taken until the commit, the commit wakes a waiting sender once there is room, messages a lost
 * connection put back come first, and an empty pipe leaves the connection to be woken.
 */
class PipeTakeOutTest {
    @Test
    void takenMessagesCountTowardsSndhwmUntilCommitted() {
        var wakes = new WakeCounts();
        var pipe = new Pipe(4, 1000, false, wakes, wakes, new DropCounter());
        for (int i = 0; i < 4; i++) {
            assertTrue(pipe.hasRoomOut());
            pipe.pushOut(Message.of("m" + i));
        }
        assertFalse(pipe.hasRoomOut(), "at SNDHWM");

        assertEquals("m0", ((Message) pipe.pollOut()).frameString(0));
        assertEquals("m1", ((Message) pipe.pollOut()).frameString(0));
        assertEquals(4, pipe.outboundSize(), "taken, not committed: still counted");
        assertEquals(0, wakes.writer.get());

        pipe.commitOut();

        assertEquals(2, pipe.outboundSize());
        assertEquals(1, wakes.writer.get(), "the waiting sender is woken: 2 queued is at the low-water mark of 4");
        assertTrue(pipe.hasRoomOut());
    }

    @Test
    void commitWakesNoSenderBeforeTheLowWaterMark() {
        var wakes = new WakeCounts();
        var pipe = new Pipe(4, 1000, false, wakes, wakes, new DropCounter());
        for (int i = 0; i < 4; i++) {
            pipe.pushOut(Message.of("m" + i));
        }
        assertFalse(pipe.hasRoomOut());

        pipe.pollOut();
        pipe.commitOut();

        assertEquals(0, wakes.writer.get(), "3 queued is above the low-water mark of 4");
    }

    @Test
    void messagesPutBackComeFirstInTheirOrder() {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, false, wakes, wakes, new DropCounter());
        var queued = Message.of("queued");
        pipe.pushOut(queued);
        var back = new ArrayDeque<Message>();
        var first = Message.of("first");
        var second = Message.of("second");
        back.add(first);
        back.add(second);
        pipe.requeueOut(back);

        assertSame(first, pipe.pollOut());
        assertSame(second, pipe.pollOut());
        assertSame(queued, pipe.pollOut());
        assertNull(pipe.pollOut());
    }

    @ParameterizedTest(name = "conflate={0}")
    @ValueSource(booleans = {false, true})
    void anEmptyPipeWakesTheConnectionForTheNextMessage(boolean conflate) {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, conflate, wakes, wakes, new DropCounter());
        var m = Message.of("one");
        pipe.pushOut(m);
        int woken = wakes.connection.get();

        assertSame(m, pipe.pollOut());
        assertNull(pipe.pollOut());
        pipe.commitOut();
        pipe.pushOut(Message.of("two"));

        assertEquals(woken + 1, wakes.connection.get(), "the connection found the pipe empty, so the next message wakes it");
        assertEquals("two", ((Message) pipe.pollOut()).frameString(0));
    }

    @Test
    void nothingIsTakenOnceTheOutboundQueueIsDiscarded() {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, false, wakes, wakes, new DropCounter());
        pipe.pushOut(Message.of("dropped"));

        pipe.clearOutbound();

        assertNull(pipe.pollOut());
        assertEquals(0, pipe.outboundSize());
    }
}
