package dev.zmq.internal.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.zmq.testkit.Await;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The socket's lock's conditions keep Condition's contract; the lock itself: WordLockTest. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketLockTest {

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
        awaitWaiterOn(lock, ready);
        lock.lock();
        flag.set(true);
        lock.signalAll(ready);
        lock.unlock();
        assertEquals(2, holds.get(30, TimeUnit.SECONDS), "both holds back after the wait");
        waiter.join(30_000);
        assertFalse(lock.isHeldByCurrentThread());
    }

    /** Waits (with a deadline) until a thread waits on {@code condition}, asked with the lock held as hasWaiters wants. */
    static void awaitWaiterOn(SocketLock lock, SocketLock.Waiters condition) {
        Await.until("the waiter waits on the condition", () -> {
            lock.lock();
            try {
                return lock.hasWaiters(condition);
            } finally {
                lock.unlock();
            }
        });
    }
}
