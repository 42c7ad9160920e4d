package dev.zmq.internal.socket;

import dev.zmq.internal.sync.WordLock;
import java.util.ArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A socket's lock: {@link WordLock} (reentrant and non-fair as
 * {@link java.util.concurrent.locks.ReentrantLock}, one long word) with condition queues
 * ({@link Waiters}) for the socket's blocking sends and receives.
 */
final class SocketLock extends WordLock {
    private static final long serialVersionUID = 1L;

    SocketLock() {
        super(SOCKET_SPINS);
    }

    Waiters newCondition() {
        return new Waiters();
    }

    /** Whether a thread waits on {@code condition} (one of this lock's); the lock must be held. */
    boolean hasWaiters(Waiters condition) {
        return !condition.waiting.isEmpty();
    }

    /**
     * Lock held (any number of times): releases it, waits until {@code condition} is signalled, the
     * time is up or the thread is interrupted, and takes the lock again with as many holds; the
     * nanoseconds left ({@code Long.MAX_VALUE}: no time limit, and then returns that). As
     * {@link java.util.concurrent.locks.Condition#awaitNanos}: interrupted before or while waiting,
     * throws InterruptedException (lock held again, interrupt status cleared).
     */
    long await(Waiters condition, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        var thread = Thread.currentThread();
        long me = thread.getId() << OWNER_SHIFT;
        long s = get();
        if ((s & OWNER) != me || (s & HOLDS) == 0) {
            throw new IllegalMonitorStateException();
        }
        var node = new Waiter(thread);
        condition.waiting.add(node);
        release();
        boolean forever = nanos == Long.MAX_VALUE;
        long deadline = forever ? 0 : System.nanoTime() + nanos;
        long left = nanos;
        boolean interrupted = false;
        while (!node.signalled) {
            if (forever) {
                LockSupport.park(this);
            } else if (left > 0) {
                LockSupport.parkNanos(this, left);
                left = deadline - System.nanoTime();
            } else {
                break;
            }
            if (Thread.interrupted()) {
                interrupted = true;
                break;
            }
        }
        long holds = s & HOLDS;
        if (!tryAcquire(me, holds)) {
            acquireQueued(me, holds);
        }
        if (!node.signalled) {
            condition.waiting.remove(node); // signalAll empties the list under the lock: still in it
        }
        if (interrupted) {
            throw new InterruptedException();
        }
        return forever ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    /** Lock held: wakes every thread waiting on {@code condition}; each takes the lock again before it returns. */
    void signalAll(Waiters condition) {
        var waiting = condition.waiting;
        for (int i = 0, n = waiting.size(); i < n; i++) {
            var node = waiting.get(i);
            node.signalled = true;
            LockSupport.unpark(node.thread);
        }
        waiting.clear();
    }

    /** A condition queue of this lock: threads in {@link #await} on it; guarded by the lock. */
    static final class Waiters {
        private final ArrayList<Waiter> waiting = new ArrayList<>(2);
    }

    private static final class Waiter {
        final Thread thread;
        /** Set by the signalling holder before it unparks the thread; read by the waiter, without the lock, before each park. */
        volatile boolean signalled;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }
}
