package dev.zmq.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.testkit.Await;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lock word keeps ReentrantLock's contract: reentrant, owner-checked, exclusive; and a try that
 * never waits and takes only a free lock (a connection's application thread only ever tries it, see
 * ZmtpEngine). Its conditions and heavier contention: SocketLockTest, SocketLockContentionTest.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WordLockTest {

    @Test
    void itIsReentrantAndCountsItsHolds() {
        var lock = new WordLock(0);
        assertFalse(lock.isHeldByCurrentThread());
        lock.lock();
        lock.lock();
        assertTrue(lock.isHeldByCurrentThread());
        assertEquals(2, lock.getHoldCount());
        lock.unlock();
        assertEquals(1, lock.getHoldCount());
        lock.unlock();
        assertFalse(lock.isHeldByCurrentThread());
        assertEquals(0, lock.getHoldCount());
    }

    @Test
    void onlyTheOwnerMayReleaseIt() throws Exception {
        var lock = new WordLock(0);
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "not held at all");
        lock.lock();
        var other = CompletableFuture.supplyAsync(() -> {
            try {
                lock.unlock();
                return "released by another thread";
            } catch (IllegalMonitorStateException e) {
                return lock.isHeldByCurrentThread() ? "held by the other thread" : "refused";
            }
        });
        assertEquals("refused", other.get(30, TimeUnit.SECONDS));
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
    }

    @Test
    void anotherThreadWaitsUntilItIsReleased() throws Exception {
        var lock = new WordLock(0);
        var got = new AtomicBoolean();
        lock.lock();
        var waiter = new Thread(() -> {
            lock.lock();
            got.set(true);
            lock.unlock();
        });
        waiter.start();
        Await.parked(waiter);
        assertFalse(got.get(), "taken while held");
        lock.unlock();
        waiter.join(30_000);
        assertTrue(got.get());
    }

    @Test
    void aNestedHoldIsSeenByItsHolder() {
        var lock = new WordLock(0);
        lock.lock();
        assertFalse(lock.heldMoreThanOnce());
        assertFalse(lock.tryLockIfFree(), "not free for its holder either");
        assertEquals(1, lock.getHoldCount(), "no hold added by the try");
        lock.lock();
        assertTrue(lock.heldMoreThanOnce());
        assertEquals(2, lock.getHoldCount());
        lock.unlock();
        assertFalse(lock.heldMoreThanOnce());
        lock.unlock();
        assertEquals(0, lock.getHoldCount());
        assertTrue(lock.tryLockIfFree(), "free again");
        assertEquals(1, lock.getHoldCount());
        lock.unlock();
    }

    @Test
    void aTryFailsAtOnceWhileAnotherThreadHoldsIt() throws Exception {
        var lock = new WordLock(0);
        var taken = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var holder = new Thread(() -> {
            lock.lock();
            taken.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        });
        holder.start();
        assertTrue(taken.await(30, TimeUnit.SECONDS));
        assertFalse(lock.tryLockIfFree());
        assertFalse(lock.isHeldByCurrentThread());
        assertEquals(0, lock.getHoldCount());
        release.countDown();
        holder.join(30_000);
        assertTrue(lock.tryLockIfFree(), "released by its holder");
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
    }

    /**
     * As a connection's lock is used: threads that take it with lock() (its I/O thread) and threads
     * that only try it (the application writing directly); tries fail while it is held and never
     * let two in, and a waiting lock() is woken after a successful try's release.
     */
    @Test
    void lockersAndTriersExcludeEachOther() throws Exception {
        var lock = new WordLock(0);
        int rounds = 40_000;
        var inside = new AtomicInteger();
        var overlap = new AtomicBoolean();
        var tried = new AtomicInteger();
        long[] counted = {0};
        Runnable critical = () -> {
            if (inside.incrementAndGet() != 1) {
                overlap.set(true);
            }
            counted[0]++;
            inside.decrementAndGet();
        };
        CompletableFuture<?>[] all = new CompletableFuture<?>[4];
        for (int t = 0; t < all.length; t++) {
            boolean trier = (t & 1) == 1;
            all[t] = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < rounds; i++) {
                    if (trier) {
                        if (!lock.tryLockIfFree()) {
                            continue;
                        }
                        tried.incrementAndGet();
                    } else {
                        lock.lock();
                    }
                    try {
                        critical.run();
                    } finally {
                        lock.unlock();
                    }
                }
            }, command -> new Thread(command).start());
        }
        CompletableFuture.allOf(all).get(60, TimeUnit.SECONDS);
        assertFalse(overlap.get(), "two threads held the lock at once");
        assertEquals(2L * rounds + tried.get(), counted[0]);
        assertEquals(0, lock.getHoldCount());
        assertTrue(lock.tryLockIfFree());
        lock.unlock();
    }
}
