package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
