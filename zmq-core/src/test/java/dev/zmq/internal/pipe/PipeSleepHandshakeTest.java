package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each of the pipe's four sleep/wake hand-shakes with the other side acting in the narrowest
 * window there is: after this side found it must sleep and before it raised its flag (the pipe's
 * test seam runs the other side's step right there, on the same thread). The other side then sees
 * no flag and sends no wake-up, so only the re-check this side makes after raising its flag can
 * notice the change. Remove any re-check and its case here fails, every time: the stress tests
 * cannot show that, the window being a few nanoseconds wide.
 */
class PipeSleepHandshakeTest {
    private static final Message PRESENT = Message.of("present");
    private static final Message RACED = Message.of("raced");

    /** Counts the pipe's wake-ups. */
    /** Runs {@code step} the first time the pipe is about to raise the flag {@code at}; counts it. */
    private static AtomicInteger once(Pipe pipe, Pipe.Sleep at, Runnable step) {
        var ran = new AtomicInteger();
        pipe.beforeSleep(where -> {
            if (where == at && ran.get() == 0) {
                ran.incrementAndGet();
                step.run();
            }
        });
        return ran;
    }

    @ParameterizedTest(name = "conflate={0}")
    @ValueSource(booleans = {false, true})
    void aReaderGoingToSleepSeesTheMessageDeliveredAsItDid(boolean conflate) {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, conflate, wakes, wakes, new DropCounter());
        pipe.pushIn(PRESENT);
        assertSame(PRESENT, pipe.pollIn()); // the reader is awake: a delivery need not wake it
        int woken = wakes.reader.get();
        var ran = once(pipe, Pipe.Sleep.READER, () -> pipe.pushIn(RACED));

        var m = pipe.pollIn();

        assertEquals(1, ran.get(), "the delivery ran in the window");
        assertTrue(m == RACED || wakes.reader.get() > woken,
                () -> "the reader found nothing and was not woken: the message is lost to it (" + pipe + ")");
    }

    @Test
    void aReaderPeekingBeforeSleepSeesTheMessageDeliveredAsItDid() {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, false, wakes, wakes, new DropCounter());
        pipe.pushIn(PRESENT);
        assertSame(PRESENT, pipe.pollIn());
        int woken = wakes.reader.get();
        var ran = once(pipe, Pipe.Sleep.READER, () -> pipe.pushIn(RACED));

        boolean has = pipe.hasIn();

        assertEquals(1, ran.get());
        assertTrue(has || wakes.reader.get() > woken, () -> "hasIn said no and nothing will wake the reader (" + pipe + ")");
    }

    @ParameterizedTest(name = "conflate={0}")
    @ValueSource(booleans = {false, true})
    void aConnectionGoingIdleSeesTheMessageQueuedAsItDid(boolean conflate) {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, conflate, wakes, wakes, new DropCounter());
        pipe.pushOut(PRESENT); // the connection is told, and comes to drain
        int woken = wakes.connection.get();
        var ran = once(pipe, Pipe.Sleep.CONNECTION, () -> pipe.pushOut(RACED));
        var taken = new ArrayList<Message>();

        drainUntilEmpty(pipe, taken);

        assertEquals(1, ran.get(), "the send ran in the window");
        assertTrue(taken.contains(RACED) || wakes.connection.get() > woken,
                () -> "the connection went idle without the message and was not woken (" + pipe + ")");
    }

    /**
     * As a connection does: drains until a drain takes nothing. One message per drain, so the
     * drain that goes to sleep is one that took nothing: a drain that took messages is followed by
     * another anyway, which is what makes that drain's own re-check matter.
     */
    private static void drainUntilEmpty(Pipe pipe, List<Message> taken) {
        int before;
        do {
            before = taken.size();
            pipe.drainOut(taken, 1);
        } while (taken.size() > before);
    }

    @Test
    void aWriterFindingThePipeFullSeesTheRoomMadeAsItLooked() {
        var wakes = new WakeCounts();
        int hwm = 2;
        var pipe = new Pipe(hwm, 1000, false, wakes, wakes, new DropCounter());
        for (int i = 0; i < hwm; i++) {
            assertTrue(pipe.hasRoomOut());
            pipe.pushOut(PRESENT);
        }
        var ran = once(pipe, Pipe.Sleep.WRITER, () -> drainUntilEmpty(pipe, new ArrayList<>()));

        boolean room = pipe.hasRoomOut();

        assertEquals(1, ran.get(), "the drain ran in the window");
        assertTrue(room || wakes.writer.get() > 0,
                () -> "the writer was told the pipe is full, the pipe is empty, and nothing will wake it (" + pipe + ")");
    }

    /**
     * Two application threads of one socket at SNDHWM (here one thread playing both): the first
     * waits on the flag it raised; the second, about to raise it too, sees the connection take one
     * message (not enough to wake anyone: the queue is above the wake mark), then finds that room on
     * its second look and sends. The flag must stay up for the first: when the connection has taken
     * the rest, it is the only thing that wakes it. (Taken down on that second look, it left the
     * other senders of SharedSocketTest's frame-at-a-time PUSH waiting for good, ~1 run in 1,000.)
     */
    @Test
    void aWriterFindingRoomOnItsSecondLookLeavesTheFlagUpForAnotherStillWaiting() {
        var wakes = new WakeCounts();
        int hwm = 4; // woken at 2 or fewer queued
        var pipe = new Pipe(hwm, 1000, false, wakes, wakes, new DropCounter());
        for (int i = 0; i < hwm; i++) {
            assertTrue(pipe.hasRoomOut());
            pipe.pushOut(PRESENT);
        }
        assertFalse(pipe.hasRoomOut(), "the first writer finds the pipe full and waits");
        var taken = new ArrayList<Message>();
        var ran = once(pipe, Pipe.Sleep.WRITER, () -> pipe.drainOut(taken, 1));

        assertTrue(pipe.hasRoomOut(), "the second writer finds the room made as it looked");
        pipe.pushOut(RACED);
        assertEquals(1, ran.get(), "the connection's take ran in the window");
        assertEquals(0, wakes.writer.get(), "one message taken is not yet room to wake the waiting writer for");

        drainUntilEmpty(pipe, taken);

        assertEquals(hwm + 1, taken.size());
        assertTrue(wakes.writer.get() > 0,
                () -> "the pipe is empty and nothing woke the writer still waiting for room (" + pipe + ")");
    }

    /** {@link #aWriterFindingRoomOnItsSecondLookLeavesTheFlagUpForAnotherStillWaiting} over inproc: the peer's reads wake. */
    @Test
    void anInprocWriterFindingRoomOnItsSecondLookLeavesTheFlagUpForAnotherStillWaiting() {
        var sender = new WakeCounts();
        var receiver = new WakeCounts();
        var pipes = mates(2, 2, false, sender, receiver); // 4 messages; the writer is woken at 2 or fewer
        for (int i = 0; i < 4; i++) {
            assertTrue(pipes[0].hasRoomOut());
            pipes[0].pushOut(PRESENT);
        }
        assertFalse(pipes[0].hasRoomOut(), "the first writer finds the pipe full and waits");
        var ran = once(pipes[0], Pipe.Sleep.WRITER, () -> assertSame(PRESENT, pipes[1].pollIn()));

        assertTrue(pipes[0].hasRoomOut(), "the second writer finds the room its peer made as it looked");
        pipes[0].pushOut(RACED);
        assertEquals(1, ran.get(), "the peer's read ran in the window");
        while (pipes[1].pollIn() != null) {
            // the peer reads the rest
        }

        assertTrue(sender.writer.get() > 0,
                () -> "the peer read everything and nothing woke the writer still waiting for room (" + pipes[0] + ")");
    }

    @Test
    void aConnectionPausingAtTheMarkSeesTheReadMadeAsItPaused() {
        var wakes = new WakeCounts();
        int hwm = 2;
        var pipe = new Pipe(1000, hwm, false, wakes, wakes, new DropCounter());
        assertTrue(pipe.pushIn(PRESENT));
        var ran = once(pipe, Pipe.Sleep.READ_PAUSE, () -> assertSame(PRESENT, pipe.pollIn()));

        boolean keepReading = pipe.pushIn(RACED);

        assertEquals(1, ran.get(), "the read ran in the window");
        assertTrue(keepReading || wakes.resume.get() > 0,
                () -> "the connection paused reading below the mark and nothing will resume it (" + pipe + ")");
    }

    // ---- inproc: two sockets' pipes over the same queues ---------------------------------------

    /** An inproc pair: {@code [0]} made first, {@code [1]} over its queues, both linked. */
    private static Pipe[] mates(int sndhwm, int rcvhwm, boolean conflate, WakeCounts first, WakeCounts second) {
        var a = Pipe.inproc(sndhwm, rcvhwm, conflate, first, first, new DropCounter());
        var b = Pipe.mateOf(a, sndhwm, rcvhwm, second, second, new DropCounter());
        a.linkMate(b);
        return new Pipe[] {a, b};
    }

    @ParameterizedTest(name = "conflate={0}")
    @ValueSource(booleans = {false, true})
    void anInprocReaderGoingToSleepSeesTheMessageItsPeerSentAsItDid(boolean conflate) {
        var sender = new WakeCounts();
        var receiver = new WakeCounts();
        var pipes = mates(1000, 1000, conflate, sender, receiver);
        pipes[0].pushOut(PRESENT);
        assertSame(PRESENT, pipes[1].pollIn());
        int woken = receiver.reader.get();
        var ran = once(pipes[1], Pipe.Sleep.READER, () -> pipes[0].pushOut(RACED));

        var m = pipes[1].pollIn();

        assertEquals(1, ran.get(), "the peer's send ran in the window");
        assertTrue(m == RACED || receiver.reader.get() > woken,
                () -> "the reader found nothing and its peer did not wake it: the message is lost to it (" + pipes[1] + ")");
    }

    @Test
    void anInprocWriterFindingThePipeFullSeesTheRoomItsPeerMadeAsItLooked() {
        var sender = new WakeCounts();
        var receiver = new WakeCounts();
        var pipes = mates(1, 1, false, sender, receiver); // SNDHWM 1 + RCVHWM 1: two messages
        for (int i = 0; i < 2; i++) {
            assertTrue(pipes[0].hasRoomOut());
            pipes[0].pushOut(PRESENT);
        }
        var ran = once(pipes[0], Pipe.Sleep.WRITER, () -> {
            while (pipes[1].pollIn() != null) {
                // the peer reads everything
            }
        });

        boolean room = pipes[0].hasRoomOut();

        assertEquals(1, ran.get(), "the peer's read ran in the window");
        assertTrue(room || sender.writer.get() > 0,
                () -> "the writer was told the pipe is full, its peer read it empty, and nothing will wake it (" + pipes[0] + ")");
    }

    @Test
    void anInprocWriterAtTheMarkIsWokenByItsPeersReadAndNeverByItsOwnConnection() {
        var sender = new WakeCounts();
        var receiver = new WakeCounts();
        var pipes = mates(2, 3, false, sender, receiver);
        int accepted = 0;
        while (pipes[0].hasRoomOut()) {
            pipes[0].pushOut(Message.of("m" + accepted++));
        }
        assertEquals(5, accepted, "libzmq's inproc limit: the sender's SNDHWM plus the receiver's RCVHWM");
        assertEquals(1, receiver.reader.get(), "the first message woke the sleeping reader, the others did not");

        for (int i = 0; i < accepted; i++) {
            assertEquals("m" + i, pipes[1].pollIn().frameString(0));
        }

        assertEquals(1, sender.writer.get(), "the reads woke the waiting writer once");
        assertEquals(0, sender.connection.get() + receiver.connection.get(), "an inproc pipe has no connection side to wake");
        assertTrue(pipes[0].hasRoomOut());
    }

    @Test
    void anInprocConnectBeforeTheBindHoldsSndhwmThenBothMarksOnceBound() {
        var sender = new WakeCounts();
        var receiver = new WakeCounts();
        var first = Pipe.inproc(3, 1000, false, sender, sender, new DropCounter());
        int accepted = 0;
        while (first.hasRoomOut()) {
            first.pushOut(Message.of("m" + accepted++));
        }
        assertEquals(3, accepted, "not bound yet: SNDHWM alone");
        var second = Pipe.mateOf(first, 1000, 4, receiver, receiver, new DropCounter());

        first.linkMate(second);

        assertEquals(1, receiver.reader.get(), "the bind wakes the reader for what was queued before");
        while (first.hasRoomOut()) {
            first.pushOut(Message.of("m" + accepted++));
        }
        assertEquals(7, accepted, "bound: SNDHWM 3 plus the binder's RCVHWM 4");
        for (int i = 0; i < accepted; i++) {
            assertEquals("m" + i, second.pollIn().frameString(0));
        }
        assertEquals(null, second.pollIn());
    }
}
