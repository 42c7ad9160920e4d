package dev.zmq.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.testkit.Await;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An I/O thread that polls before it sleeps (BusyPollWindow): loses no post, stops on request, idles without cost. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoThreadBusyPollTest {
    private static final long LONGEST = TimeUnit.MILLISECONDS.toNanos(10);

    @Test
    void postsMadeWhileItPollsAreRunWithoutAWakeUp() throws Exception {
        var io = new IoThread("busy-poll-posts", (t, c) -> { }, LONGEST);
        try {
            // Each post made after the last one ran: the thread is then polling (once its window
            // has grown), and a post finds it awake, writes no wake-up, and must still be run.
            int rounds = 20_000;
            var ran = new AtomicInteger();
            postOneAfterAnother(io, rounds, ran::incrementAndGet);
            assertEquals(rounds, ran.get());
        } finally {
            io.stop();
            assertTrue(io.join(5_000), "the I/O thread did not stop");
        }
    }

    @Test
    void stopEndsAThreadThatIsPolling() throws Exception {
        var io = new IoThread("busy-poll-stop", (t, c) -> { }, LONGEST);
        // Keep the window open (posts every few microseconds), then stop while it polls: the
        // poll's non-blocking select takes stop's Selector.wakeup, so the poll must see the
        // stop itself, or the thread would sleep in select for good once its window ran out.
        postOneAfterAnother(io, 2_000, () -> { });
        io.stop();
        assertTrue(io.join(5_000), "the polling I/O thread did not stop");
    }

    @Test
    void anIdleThreadStopsPollingAndUsesNoProcessor() throws Exception {
        var io = new IoThread("busy-poll-idle", (t, c) -> { }, LONGEST);
        try {
            var cpu = new AtomicLong();
            var mx = ManagementFactory.getThreadMXBean();
            // Grow the window to its longest with quick posts, each reading the thread's CPU time.
            postOneAfterAnother(io, 2_000, () -> cpu.set(mx.getCurrentThreadCpuTime()));
            long before = cpu.get();
            long idleFrom = System.nanoTime();
            // Idle for 500 ms: the first idle spell polls up to 10 ms and halves the window, each
            // later one (none here) less. Without the bound the poll would run the whole time.
            Await.until("500 ms idle", Duration.ofSeconds(10), () -> System.nanoTime() - idleFrom > TimeUnit.MILLISECONDS.toNanos(500));
            postOneAfterAnother(io, 1, () -> cpu.set(mx.getCurrentThreadCpuTime()));
            long usedMillis = TimeUnit.NANOSECONDS.toMillis(cpu.get() - before);
            assertTrue(usedMillis < 100, "the idle I/O thread used " + usedMillis + " ms of processor in 500 ms");
        } finally {
            io.stop();
            assertTrue(io.join(5_000), "the I/O thread did not stop");
        }
    }

    /** Posts {@code task} {@code count} times, each once the one before has run (a lost post fails here). */
    private static void postOneAfterAnother(IoThread io, int count, Runnable task) throws InterruptedException {
        var ran = new Semaphore(0);
        for (int i = 0; i < count; i++) {
            io.execute(() -> {
                task.run();
                ran.release();
            });
            assertTrue(ran.tryAcquire(10, TimeUnit.SECONDS), "post " + (i + 1) + " of " + count + " was not run");
        }
    }
}
