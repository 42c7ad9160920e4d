package dev.zmq.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.testkit.Workers;
import java.nio.channels.Selector;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tasks posted from other threads wake the I/O thread out of select (through its {@link WakeupPipe}):
 * none is left waiting, whoever posts it, even a thread that was interrupted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoThreadWakeupTest {
    private final IoThread io = new IoThread("wakeup-test");

    @AfterEach
    void stop() throws InterruptedException {
        io.stop();
        assertTrue(io.join(5_000), "the I/O thread did not stop");
    }

    /** Posts a task and waits for it: each post finds the loop asleep, or about to be. */
    private void roundTrip(String what) throws InterruptedException {
        var ran = new CountDownLatch(1);
        io.execute(ran::countDown);
        assertTrue(ran.await(10, TimeUnit.SECONDS), what + ": a posted task never ran (its wake-up was lost)");
    }

    @Test
    void everyTaskPostedFromSeveralThreadsRuns() throws Exception {
        var ran = new AtomicInteger();
        int perThread = 5_000;
        try (var posters = Workers.start("poster", 4, i -> {
            for (int n = 0; n < perThread; n++) {
                var done = new CountDownLatch(1);
                io.execute(() -> {
                    ran.incrementAndGet();
                    done.countDown();
                });
                if (!done.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("poster " + i + ": task " + n + " never ran (its wake-up was lost)");
                }
            }
        })) {
            posters.join();
        }
        assertEquals(4 * perThread, ran.get());
    }

    @Test
    void anInterruptedThreadStillWakesTheLoopAndLeavesThePipeUsable() throws Exception {
        roundTrip("before");
        Thread.currentThread().interrupt();
        try {
            roundTripIgnoringInterrupt();
        } finally {
            Thread.interrupted();
        }
        for (int i = 0; i < 100; i++) {
            roundTrip("after the interrupted post, round " + i);
        }
    }

    private void roundTripIgnoringInterrupt() {
        var ran = new CountDownLatch(1);
        io.execute(ran::countDown); // with our interrupt flag set: a blocking channel would be closed by it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ran.getCount() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, ran.getCount(), "the task posted by an interrupted thread never ran");
    }

    @Test
    void aShortDrainEmptiesThePipeAndTheNextWakeUpIsSeenAgain() throws Exception {
        try (var pipe = new WakeupPipe(); var selector = Selector.open()) {
            var key = pipe.register(selector);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i <= round * 10; i++) {
                    pipe.wake(); // 1, 11, 21 bytes: fewer than one read takes
                }
                assertEquals(1, selector.selectNow(), "woken in round " + round);
                assertTrue(selector.selectedKeys().contains(key));
                selector.selectedKeys().clear();
                pipe.drain();
                assertEquals(0, selector.selectNow(), "nothing left after the drain of round " + round);
            }
        }
    }

    @Test
    void wakeUpsNeverBlockTheWakerAndOneDrainClearsThemAll() throws Exception {
        try (var pipe = new WakeupPipe(); var selector = Selector.open()) {
            var key = pipe.register(selector);
            for (int i = 0; i < 200_000; i++) {
                pipe.wake(); // far more than a pipe's buffer: a blocking write would hang here
            }
            assertEquals(1, selector.selectNow(), "woken");
            assertTrue(selector.selectedKeys().contains(key));
            selector.selectedKeys().clear();
            pipe.drain();
            assertEquals(0, selector.selectNow(), "nothing left after one drain");
        }
    }
}
