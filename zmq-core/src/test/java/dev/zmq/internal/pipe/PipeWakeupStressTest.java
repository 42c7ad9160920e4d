package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * The pipe's wake-up protocol with nothing else around it: each side runs on its own thread and
 * sleeps (on a semaphore, with a deadline) whenever the pipe says it must, and is woken only by the
 * pipe's callbacks. A lost wake-up leaves a side asleep: the deadline then fails the test instead
 * of hanging it. Every message must arrive once, in order, and the high-water marks must hold at
 * every moment the producer looks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeWakeupStressTest {
    /** Long enough never to trip on a loaded machine; only a lost wake-up waits this long. */
    private static final long WAKE_DEADLINE_SECONDS = 20;

    /**
     * The application side's sleep, as the socket's: look at the pipe and wait with one lock held,
     * so a wake-up is not stored for later (a signal with nobody waiting is gone), exactly like a
     * {@link java.util.concurrent.locks.Condition} in the socket.
     */
    private static final class AppSleep {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition woken = lock.newCondition();

        <T> T takeOrSleep(Supplier<T> look, String who) throws InterruptedException {
            lock.lock();
            try {
                var t = look.get();
                if (t == null && !woken.await(WAKE_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError(who + " was never woken: lost wake-up");
                }
                return t;
            } finally {
                lock.unlock();
            }
        }

        void wake() {
            lock.lock();
            try {
                woken.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Counts the callbacks. The connection side's wake-ups become semaphore permits, like the tasks
     * an I/O thread is posted; the application side's go to {@link AppSleep}.
     */
    private static final class Wakes implements PipeEndpoint, PipeOwner {
        final Semaphore connection = new Semaphore(0);
        final Semaphore resume = new Semaphore(0);
        final AppSleep readable = new AppSleep();
        final AppSleep writable = new AppSleep();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong writableWakes = new AtomicLong();

        @Override
        public void outboundReady() {
            calls.incrementAndGet();
            connection.release();
        }

        @Override
        public void resumeReading() {
            calls.incrementAndGet();
            resume.release();
        }

        @Override
        public void inboundArrived(Pipe pipe) {
            calls.incrementAndGet();
            readable.wake();
        }

        @Override
        public void outboundRoom(Pipe pipe) {
            calls.incrementAndGet();
            writableWakes.incrementAndGet();
            writable.wake();
        }
    }

    private static Message numbered(long i) {
        return Message.of(ByteBuffer.allocate(8).putLong(i).array());
    }

    private static long number(Message m) {
        return ByteBuffer.wrap(m.frame(0)).getLong();
    }

    private static void sleepOn(Semaphore s, String who) throws InterruptedException {
        if (!s.tryAcquire(WAKE_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError(who + " was never woken: lost wake-up");
        }
    }

    private static <T> T within(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(100, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("a side hung", e);
        }
    }

    /** Application thread sends with SNDHWM; the connection thread drains in batches, sleeping when told. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 100, 1000})
    void outboundSenderAndConnectionNeverLoseAWakeUp(int sndhwm) throws Exception {
        var wakes = new Wakes();
        var pipe = new Pipe(sndhwm, 1000, false, wakes, wakes, new DropCounter());
        long total = 150_000;
        var maxSeen = new AtomicInteger();
        var sender = CompletableFuture.supplyAsync(() -> {
            try {
                for (long i = 0; i < total; i++) {
                    while (wakes.writable.takeOrSleep(() -> pipe.hasRoomOut() ? Boolean.TRUE : null, "sender") == null) {
                        // woken: look again
                    }
                    pipe.pushOut(numbered(i));
                    maxSeen.accumulateAndGet(pipe.outboundSize(), Math::max);
                }
                return total;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        var connection = CompletableFuture.supplyAsync(() -> {
            try {
                var batch = new ArrayList<Message>();
                long expected = 0;
                while (expected < total) {
                    batch.clear();
                    // Wake-ups posted before this look are for messages it will find: forget them,
                    // so that only a wake-up sent after it can end the sleep below.
                    wakes.connection.drainPermits();
                    pipe.drainOut(batch, 1 + (int) (expected % 300));
                    if (batch.isEmpty()) {
                        sleepOn(wakes.connection, "connection");
                        continue;
                    }
                    for (var m : batch) {
                        assertEquals(expected++, number(m), "order");
                    }
                }
                return expected;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(total, within(sender));
        assertEquals(total, within(connection));
        assertTrue(maxSeen.get() <= sndhwm, "SNDHWM " + sndhwm + " exceeded: " + maxSeen.get() + " queued");
        // Credit as libzmq's: between two wake-ups of the sender it must have refilled the pipe by a
        // whole credit batch, so a sender is never woken per message read (unless SNDHWM is 1).
        long bound = total / Pipe.creditBatch(sndhwm) + 1;
        assertTrue(wakes.writableWakes.get() <= bound, "sender woken " + wakes.writableWakes.get() + " times, more than " + bound);
    }

    /** Connection thread delivers batches with RCVHWM; the application thread reads, sleeping when told. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 100, 1000})
    void inboundConnectionAndReaderNeverLoseAWakeUp(int rcvhwm) throws Exception {
        var wakes = new Wakes();
        var pipe = new Pipe(1000, rcvhwm, false, wakes, wakes, new DropCounter());
        long total = 150_000;
        var connection = CompletableFuture.supplyAsync(() -> {
            try {
                var batch = new ArrayList<Message>();
                long next = 0;
                while (next < total) {
                    batch.clear();
                    int size = (int) Math.min(total - next, 1 + next % 50);
                    for (int i = 0; i < size; i++) {
                        batch.add(numbered(next++));
                    }
                    if (!pipe.pushIn(batch)) {
                        // Paused at RCVHWM, as the engine stops reading; resumeReading() must come.
                        sleepOn(wakes.resume, "connection");
                        assertTrue(!pipe.isReadPaused(), "resumed but still paused");
                    }
                }
                return next;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        var reader = CompletableFuture.supplyAsync(() -> {
            try {
                long expected = 0;
                while (expected < total) {
                    var m = wakes.readable.takeOrSleep(pipe::pollIn, "reader");
                    if (m == null) {
                        continue;
                    }
                    assertEquals(expected++, number(m), "order");
                    // The pipe never holds more than RCVHWM plus the batch that reached it.
                    assertTrue(pipe.inboundSize() <= rcvhwm + 50, "RCVHWM " + rcvhwm + " overrun: " + pipe.inboundSize());
                }
                return expected;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(total, within(connection));
        assertEquals(total, within(reader));
    }

    /** CONFLATE keeps the newest message: the reader never goes backwards and always gets the last one. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void conflatedPipesDeliverTheNewestAndCountTheRest(int direction) throws Exception {
        var wakes = new Wakes();
        var drops = new DropCounter();
        var pipe = new Pipe(1, 1, true, wakes, wakes, drops);
        long total = 200_000;
        var producer = CompletableFuture.runAsync(() -> {
            for (long i = 0; i < total; i++) {
                if (direction == 0) {
                    pipe.pushOut(numbered(i));
                } else {
                    pipe.pushIn(numbered(i));
                }
            }
        });
        var consumer = CompletableFuture.supplyAsync(() -> {
            try {
                long last = -1;
                long got = 0;
                var batch = new ArrayList<Message>();
                while (last < total - 1) {
                    Message m;
                    if (direction == 0) {
                        batch.clear();
                        wakes.connection.drainPermits();
                        pipe.drainOut(batch, 10);
                        m = batch.isEmpty() ? null : batch.get(0);
                    } else {
                        m = wakes.readable.takeOrSleep(pipe::pollIn, "reader");
                    }
                    if (m == null) {
                        if (direction == 0) {
                            sleepOn(wakes.connection, "connection");
                        }
                        continue;
                    }
                    long n = number(m);
                    assertTrue(n > last, "went backwards: " + n + " after " + last);
                    last = n;
                    got++;
                }
                return got;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        within(producer);
        long got = within(consumer);
        long dropped = direction == 0 ? drops.outbound() : drops.inbound();
        assertEquals(total, got + dropped, "every message either delivered or counted as replaced");
    }

    /**
     * One message at a time, each acknowledged before the next: the reader finds the pipe empty
     * right when the next message is being published, every time, so each single wake-up matters
     * (a lost one is never made up by a later message).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void pingPongRacesTheSleepFlagEveryMessage(int direction) throws Exception {
        var wakes = new Wakes();
        var pipe = new Pipe(1000, 1000, false, wakes, wakes, new DropCounter());
        long total = 100_000;
        var acked = new AtomicLong(-1);
        var consumer = CompletableFuture.supplyAsync(() -> {
            try {
                var batch = new ArrayList<Message>();
                long expected = 0;
                while (expected < total) {
                    Message m;
                    if (direction == 0) {
                        batch.clear();
                        wakes.connection.drainPermits();
                        pipe.drainOut(batch, 10);
                        m = batch.isEmpty() ? null : batch.get(0);
                        if (m == null) {
                            sleepOn(wakes.connection, "connection");
                            continue;
                        }
                    } else {
                        m = wakes.readable.takeOrSleep(pipe::pollIn, "reader");
                        if (m == null) {
                            continue;
                        }
                    }
                    assertEquals(expected, number(m), "order");
                    acked.set(expected++);
                }
                return expected;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        for (long i = 0; i < total; i++) {
            if (direction == 0) {
                pipe.pushOut(numbered(i));
            } else {
                pipe.pushIn(numbered(i));
            }
            // Spin (yielding) for the acknowledgement: the producer must be running when the
            // consumer looks again, which is the race being tested.
            while (acked.get() < i) {
                if (System.nanoTime() > deadline || consumer.isDone()) {
                    throw new AssertionError("message " + i + " never taken: lost wake-up (" + consumer + ")");
                }
                Thread.yield();
            }
        }
        assertEquals(total, within(consumer));
    }
}
