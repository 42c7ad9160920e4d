package dev.zmq.internal.socket;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;

/**
 * A socket's lock: reentrant and non-fair as {@link java.util.concurrent.locks.ReentrantLock},
 * with conditions, but recording its owner as a thread id (a {@code long}) instead of a
 * {@code Thread} reference. Taking a ReentrantLock stores a reference into the heap, and with the
 * card-marking collectors (Parallel, Serial) every reference store also writes the card-table byte
 * of the object stored into; the locks of two sockets, one per thread, are usually close in the
 * heap, so their card bytes share a cache line, which then moved between the two threads' cores
 * on every send and every receive (inproc: about a third of both threads' time at 20M messages).
 */
final class SocketLock extends AbstractQueuedSynchronizer {
    private static final long serialVersionUID = 1L;

    /** The owner's thread id, 0 when free. Written by the owner only, while it holds the state. */
    private transient long ownerId;

    private static long me() {
        return Thread.currentThread().getId();
    }

    void lock() {
        // 22 bytes of bytecode: C1 inlines it four calls deep (24 there), as on the send path
        if (compareAndSetState(0, 1)) {
            ownerId = me();
            return;
        }
        lockContended();
    }

    /** Turns a contended lock() tries again before it queues (each with a spin-wait hint): tens of microseconds at most. */
    private static final int SPINS = 1024;

    /**
     * The lock is held (maybe by this thread: reentry): tries again for a short while before it
     * queues. A socket's lock is held for well under a microsecond per send or receive, so the
     * I/O thread waking the socket nearly always gets it this way, where queueing parks it and
     * makes the holder's unlock unpark it. A queued thread also makes AbstractQueuedSynchronizer
     * create its queue, and every compiled send and receive path's next unlock then takes the
     * branch that signals it, which C2 compiled as never taken: an unstable_if trap that threw
     * away NativeSocket.recv's compiled code and compiled it again (18-29 ms of the C2 thread)
     * inside the window of most cold receivers. LogCompilation of cold tcp 16 B x2M receivers:
     * that trap in 6 of 8 before, 1 of 8 with 1,024 turns (4 of 16 with 64).
     */
    private void lockContended() {
        for (int i = 0; i < SPINS; i++) {
            if (tryAcquire(1)) {
                return;
            }
            Thread.onSpinWait();
        }
        acquire(1);
    }

    void unlock() {
        release(1);
    }

    @Override
    protected boolean tryAcquire(int acquires) {
        long me = me();
        int c = getState();
        if (c == 0) {
            if (compareAndSetState(0, acquires)) {
                ownerId = me;
                return true;
            }
        } else if (ownerId == me) {
            int next = c + acquires;
            if (next < 0) {
                throw new Error("maximum lock count exceeded");
            }
            setState(next);
            return true;
        }
        return false;
    }

    @Override
    protected boolean tryRelease(int releases) {
        if (ownerId != me()) {
            throw new IllegalMonitorStateException();
        }
        int c = getState() - releases;
        boolean free = c == 0;
        if (free) {
            ownerId = 0;
        }
        setState(c);
        return free;
    }

    @Override
    protected boolean isHeldExclusively() {
        return getState() != 0 && ownerId == me();
    }

    boolean isHeldByCurrentThread() {
        return isHeldExclusively();
    }

    /**
     * For the holder: whether it holds the lock more than once (a nested hold). The state alone, no
     * owner check (getHoldCount's four calls, run by every release that has wake-ups to run): a
     * non-holder's release fails in {@link #tryRelease} anyway.
     */
    boolean heldMoreThanOnce() {
        return getState() > 1;
    }

    /** How many times the current thread holds the lock (0 if it does not). */
    int getHoldCount() {
        return isHeldExclusively() ? getState() : 0;
    }

    Condition newCondition() {
        return new ConditionObject();
    }

    /** Whether a thread waits on {@code condition} (one of this lock's); the lock must be held. */
    boolean hasWaiters(Condition condition) {
        return hasWaiters((ConditionObject) condition);
    }
}
