package dev.zmq.internal.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The socket's lock under contention: several threads taking it (nested too), queueing, and waiting
 * on its conditions. A lost wake-up leaves a thread waiting for good; every test here waits for its
 * threads with a deadline, so it fails instead.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SocketLockContentionTest {
    private static final int THREADS = 4;
    private static final long DEADLINE_MILLIS = 60_000;

    /** Guarded by the lock: plain fields, so two holders at once show as a lost update or an overlap. */
    private long counted;
    private int inside;
    private int turn;

    @Test
    void contendingThreadsWithNestedHoldsExcludeEachOther() throws Exception {
        var lock = new SocketLock();
        int rounds = 50_000;
        var overlap = new AtomicBoolean();
        runAll(THREADS, index -> {
            for (int i = 0; i < rounds; i++) {
                lock.lock();
                try {
                    if (++inside != 1) {
                        overlap.set(true);
                    }
                    if ((i & 3) == index) {
                        lock.lock(); // nested hold
                        try {
                            assertEquals(2, lock.getHoldCount());
                            assertTrue(lock.heldMoreThanOnce());
                        } finally {
                            lock.unlock();
                        }
                    }
                    counted++;
                    inside--;
                } finally {
                    lock.unlock();
                }
            }
        });
        assertFalse(overlap.get(), "two threads held the lock at once");
        assertEquals((long) THREADS * rounds, counted);
        assertFalse(lock.isHeldByCurrentThread());
        assertEquals(0, lock.getHoldCount());
    }

    /**
     * Threads take turns in a fixed order, each waiting on one condition until its turn comes and
     * signalling all at the end of its turn: every turn needs the wake-up of the one before it, so a
     * single lost wake-up stops them all. Half the waits have no time limit, half are short timed
     * waits, some nested in a second hold (restored after the wait).
     */
    @Test
    void threadsTakingTurnsOnAConditionNeverLoseAWakeUp() throws Exception {
        var lock = new SocketLock();
        var myTurn = lock.newCondition();
        int turnsEach = 3_000;
        runAll(THREADS, index -> {
            for (int i = 0; i < turnsEach; i++) {
                boolean nested = (i % 3) == 0;
                lock.lock();
                if (nested) {
                    lock.lock();
                }
                try {
                    while (turn % THREADS != index) {
                        long left = (i & 1) == 0
                                ? lock.await(myTurn, Long.MAX_VALUE)
                                : lock.await(myTurn, TimeUnit.MICROSECONDS.toNanos(200));
                        if ((i & 1) == 0) {
                            assertEquals(Long.MAX_VALUE, left);
                        }
                        assertEquals(nested ? 2 : 1, lock.getHoldCount(), "holds restored after the wait");
                    }
                    if (++inside != 1) {
                        throw new AssertionError("two threads held the lock at once");
                    }
                    turn++;
                    inside--;
                    lock.signalAll(myTurn);
                } finally {
                    if (nested) {
                        lock.unlock();
                    }
                    lock.unlock();
                }
            }
        });
        assertEquals(THREADS * turnsEach, turn);
    }

    @Test
    void aTimedWaitWithoutSignalRunsOutAndHoldsTheLockAgain() throws Exception {
        var lock = new SocketLock();
        var never = lock.newCondition();
        lock.lock();
        try {
            long left = lock.await(never, TimeUnit.MILLISECONDS.toNanos(5));
            assertTrue(left <= 0, "time left " + left);
            assertEquals(1, lock.getHoldCount());
            assertFalse(lock.hasWaiters(never), "a wait that ran out leaves the condition");
        } finally {
            lock.unlock();
        }
    }

    @Test
    void anInterruptedWaitThrowsWithTheLockHeldAgain() throws Exception {
        var lock = new SocketLock();
        var never = lock.newCondition();
        var outcome = new CompletableFuture<String>();
        var waiter = new Thread(() -> {
            lock.lock();
            try {
                lock.await(never, Long.MAX_VALUE);
                outcome.complete("returned");
            } catch (InterruptedException e) {
                outcome.complete(lock.getHoldCount() == 1 && !lock.hasWaiters(never) ? "interrupted, held again" : "interrupted, not held");
            } finally {
                lock.unlock();
            }
        });
        waiter.start();
        SocketLockTest.awaitWaiterOn(lock, never);
        lock.lock(); // the interrupted waiter must wait for this hold to end
        try {
            waiter.interrupt();
            Await.parked(waiter);
            assertFalse(outcome.isDone(), "returned while the lock was held by another thread");
        } finally {
            lock.unlock();
        }
        assertEquals("interrupted, held again", outcome.get(30, TimeUnit.SECONDS));
        waiter.join(30_000);
        assertFalse(waiter.isAlive());
    }

    @Test
    void aQueuedThreadInterruptedStillTakesTheLockAndKeepsItsInterrupt() throws Exception {
        var lock = new SocketLock();
        var outcome = new CompletableFuture<Boolean>();
        lock.lock();
        var waiter = new Thread(() -> {
            lock.lock();
            try {
                outcome.complete(Thread.currentThread().isInterrupted());
            } finally {
                lock.unlock();
            }
        });
        waiter.start();
        Await.parked(waiter);
        waiter.interrupt();
        // still queued: lock() is not interruptible
        Await.parked(waiter);
        assertFalse(outcome.isDone());
        lock.unlock();
        assertTrue(outcome.get(30, TimeUnit.SECONDS), "interrupt status kept");
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
    }

    interface Body {
        void run(int index) throws Exception;
    }

    /** Runs {@code body} on {@code n} threads started together; fails with the first failure, or if they are not done by the deadline. */
    private static void runAll(int n, Body body) throws Exception {
        var start = new CyclicBarrier(n);
        var failure = new AtomicReference<Throwable>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int index = t;
            var thread = new Thread(() -> {
                try {
                    start.await();
                    body.run(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "contender-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        for (var thread : threads) {
            thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            if (thread.isAlive()) {
                var stuck = new AssertionError(thread.getName() + " not done by the deadline (a lost wake-up?)");
                stuck.setStackTrace(thread.getStackTrace());
                throw stuck;
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a contender failed", failure.get());
        }
    }
}
