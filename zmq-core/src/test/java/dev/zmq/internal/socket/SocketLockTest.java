package dev.zmq.internal.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.testkit.Await;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The socket's lock keeps ReentrantLock's contract: reentrant, owner-checked, exclusive, with conditions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketLockTest {

    @Test
    void itIsReentrantAndCountsItsHolds() {
        var lock = new SocketLock();
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
        var lock = new SocketLock();
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
        var lock = new SocketLock();
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
    void aConditionReleasesTheLockWhileWaitingAndRestoresTheHolds() throws Exception {
        var lock = new SocketLock();
        var ready = lock.newCondition();
        var flag = new AtomicBoolean();
        var holds = new CompletableFuture<Integer>();
        var waiter = new Thread(() -> {
            lock.lock();
            lock.lock();
            try {
                while (!flag.get()) {
                    lock.await(ready, Long.MAX_VALUE);
                }
                holds.complete(lock.getHoldCount());
            } catch (InterruptedException e) {
                holds.completeExceptionally(e);
            } finally {
                lock.unlock();
                lock.unlock();
            }
        });
        waiter.start();
        Await.until("the waiter waits on the condition", () -> {
            lock.lock();
            try {
                return lock.hasWaiters(ready);
            } finally {
                lock.unlock();
            }
        });
        lock.lock();
        flag.set(true);
        lock.signalAll(ready);
        lock.unlock();
        assertEquals(2, holds.get(30, TimeUnit.SECONDS), "both holds back after the wait");
        waiter.join(30_000);
        assertFalse(lock.isHeldByCurrentThread());
    }
}
