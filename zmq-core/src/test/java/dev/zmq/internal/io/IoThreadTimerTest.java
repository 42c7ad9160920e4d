package dev.zmq.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import dev.zmq.testkit.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, defect 5: a cancelled timer must not keep what its action refers to (a closed
 * connection, its engine and buffers) reachable until its deadline.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoThreadTimerTest {
    private final IoThread io = new IoThread("timer-test");

    @AfterEach
    void stop() throws InterruptedException {
        io.stop();
        assertTrue(io.join(5_000), "the I/O thread did not stop");
    }

    @Test
    void aCancelledTimerReleasesItsActionAtOnce() throws Exception {
        var held = new WeakReference<>(new byte[1 << 20]);
        var scheduled = new CompletableFuture<IoThread.Timer>();
        io.execute(() -> {
            var payload = held.get();
            // A deadline far away: before the fix the heap kept the action (and the payload) until then.
            var timer = io.schedule(600_000, () -> System.out.println(payload == null ? 0 : payload.length));
            timer.cancel();
            scheduled.complete(timer);
        });
        var timer = scheduled.get(5, TimeUnit.SECONDS);
        Await.until("the cancelled timer's payload collected", Duration.ofSeconds(10), () -> {
            System.gc();
            return held.get() == null;
        });
        assertTrue(timer != null);
    }

    @Test
    void cancelledTimersDoNotPileUpAndLiveOnesStillFire() throws Exception {
        var fired = new AtomicInteger();
        var done = new CompletableFuture<Void>();
        io.execute(() -> {
            var timers = new ArrayList<IoThread.Timer>();
            for (int i = 0; i < 10_000; i++) {
                timers.add(io.schedule(600_000, fired::incrementAndGet));
            }
            timers.forEach(IoThread.Timer::cancel);
            io.schedule(1, fired::incrementAndGet);
            io.schedule(5, () -> done.complete(null));
        });
        done.get(10, TimeUnit.SECONDS);
        assertEquals(1, fired.get(), "exactly the live short timer fired");
        var pending = new CompletableFuture<Integer>();
        io.execute(() -> pending.complete(io.pendingTimers()));
        assertTrue(pending.get(5, TimeUnit.SECONDS) <= 512, "cancelled timers were swept out of the heap");
    }
}
