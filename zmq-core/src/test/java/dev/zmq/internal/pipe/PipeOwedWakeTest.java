package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A REQ/REP connection publishes what it decoded without waking the reader there
 * ({@link Pipe#publishInWakingLater}) and wakes it once it let go of its own lock: the wake-up is
 * owed exactly once, to whoever takes it, and only when the reader was asleep.
 */
class PipeOwedWakeTest {
    private static final Message FIRST = Message.of("first");
    private static final Message SECOND = Message.of("second");

    @ParameterizedTest(name = "conflate={0}")
    @ValueSource(booleans = {false, true})
    void aSleepingReaderIsOwedOneWakeUpThatOnlyTheCallerRuns(boolean conflate) {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, conflate, wakes, wakes, new DropCounter());
        assertNull(pipe.pollIn()); // the reader found nothing: asleep

        pipe.offerIn(FIRST);
        assertTrue(pipe.publishInWakingLater());

        assertEquals(0, wakes.reader.get(), "woken while the connection still held its lock");
        var wake = pipe.owedReaderWake();
        assertNotNull(wake, "the sleeping reader was owed no wake-up: it would never see the message");
        assertNull(pipe.owedReaderWake(), "owed twice");
        wake.run();
        assertEquals(1, wakes.reader.get());
        assertSame(FIRST, pipe.pollIn());
    }

    @ParameterizedTest(name = "conflate={0}")
    @ValueSource(booleans = {false, true})
    void anAwakeReaderIsOwedNothing(boolean conflate) {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, conflate, wakes, wakes, new DropCounter());
        pipe.pushIn(FIRST);
        int woken = wakes.reader.get();
        assertSame(FIRST, pipe.pollIn()); // took it: awake

        pipe.offerIn(SECOND);
        pipe.publishInWakingLater();

        assertNull(pipe.owedReaderWake());
        assertEquals(woken, wakes.reader.get());
        assertSame(SECOND, pipe.pollIn());
    }

    @ParameterizedTest(name = "conflate={0}")
    @ValueSource(booleans = {false, true})
    void publishInStillWakesAtOnce(boolean conflate) {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, conflate, wakes, wakes, new DropCounter());
        assertNull(pipe.pollIn());

        pipe.pushIn(FIRST);

        assertEquals(1, wakes.reader.get());
        assertNull(pipe.owedReaderWake(), "publishIn left a wake-up owed: a second one would follow");
    }
}
