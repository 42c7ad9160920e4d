package dev.zmq.internal.socket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A socket's lock: reentrant and non-fair as {@link java.util.concurrent.locks.ReentrantLock},
 * with condition queues ({@link Waiters}). The owner's thread id and the hold count are one
 * {@code long} word, the value of the AtomicLong it is: bits 16-63 the id (ids are below
 * 2<sup>47</sup>), bits 1-15 the holds, 0 when free. Taking it is one compareAndSet of the word
 * from 0; releasing it a single hold is a read of the word (that checks the owner and the hold
 * count at once), a volatile write of 0 and a read of {@link #queued}; nested holds, contention,
 * queueing and conditions are out of line.
 *
 * <p>Why not AbstractQueuedSynchronizer (which it was until session 18): a cold socket's first
 * thousands of messages run in the interpreter, then in C1's profiling code, and AQS's release
 * was a chain of nine calls per unlock (release, tryRelease, the owner's id, getState, setState,
 * signalNext...), a third of the interpreted calls of a send or receive (s17-findings). Now a
 * lock and unlock pair makes 9 interpreted calls instead of 15 (-Xint: 0.75 of the time per pair);
 * a cold inproc 16 B x2M run compiles 8 lock units instead of 17 with C1 and 4 instead of 8 with
 * C2 (s18-findings). AtomicLong's methods and not a VarHandle: interpreted, a VarHandle's
 * compareAndSet runs its guard and linker methods too (-Xint: twice AQS's time per pair).
 *
 * <p>Why the owner as a thread id and no {@code Thread} reference: with the card-marking
 * collectors (Parallel, Serial) every reference store also writes the card-table byte of the
 * object stored into; the locks of two sockets, one per thread, are usually close in the heap, so
 * their card bytes share a cache line, which then moved between the two threads' cores on every
 * send and every receive (inproc: about a third of both threads' time at 20M messages).
 *
 * <p>No lost wake-up: a thread that queues counts itself in {@link #queued} and only then reads
 * the word, and parks only if that read found the lock held; a releasing owner writes the word,
 * then reads {@link #queued} (all volatile, so one of the two sees the other's write) and wakes the
 * queue's head if any thread is queued. A woken head that lost the lock to another thread parks
 * again, and that thread's release wakes it.
 */
final class SocketLock extends AtomicLong {
    private static final long serialVersionUID = 1L;

    /** One hold, in bits 1-15. */
    private static final long HOLD = 2;
    private static final long HOLDS = 0xFFFE;
    private static final int OWNER_SHIFT = 16;
    private static final long OWNER = -1L << OWNER_SHIFT;

    /** How many threads are in {@link #queue}; changed under its monitor. */
    private volatile int queued;
    /** Threads waiting to take the lock, oldest first; guarded by its own monitor, with {@link #queued}. */
    private final ArrayDeque<Thread> queue = new ArrayDeque<>(2);

    void lock() {
        // Interpreted: three calls (the id, the compare-and-set). Too much stack for C1 to inline
        // (two longs, as AQS's compareAndSetState was): its own small tier-3 unit, the CAS intrinsic in it.
        if (!compareAndSet(0L, Thread.currentThread().getId() << OWNER_SHIFT | HOLD)) {
            lockContended();
        }
    }

    void unlock() {
        // Only the owner writes the word while it is held: a read checks owner and holds at once.
        // A volatile write and not a compareAndSet: level steady-state CPU with AQS's release
        // (ab.sh 16 B x20M, receiver's application thread), where the CAS cost ~5% of it.
        if (get() != (Thread.currentThread().getId() << OWNER_SHIFT | HOLD)) {
            unlockContended();
            return;
        }
        set(0L);
        if (queued != 0) {
            wakeHead();
        }
    }

    /** Turns a contended lock() tries again before it queues (each with a spin-wait hint): tens of microseconds at most. */
    private static final int SPINS = 1024;

    /**
     * The lock is held (maybe by this thread: reentry): tries again for a short while before it
     * queues. A socket's lock is held for well under a microsecond per send or receive, so the
     * I/O thread waking the socket nearly always gets it this way, where queueing parks it and
     * makes the holder's unlock unpark it. A queued thread counts itself in {@link #queued}, and
     * every compiled send and receive path's next unlock then takes the branch that wakes it, which C2
     * compiled as never taken: an unstable_if trap that threw away NativeSocket.recv's compiled
     * code and compiled it again (18-29 ms of the C2 thread) inside the window of most cold
     * receivers. LogCompilation of cold tcp 16 B x2M receivers (with AQS's queue, the same
     * branch): that trap in 6 of 8 before, 1 of 8 with 1,024 turns (4 of 16 with 64).
     */
    private void lockContended() {
        long me = Thread.currentThread().getId() << OWNER_SHIFT;
        for (int i = 0; i < SPINS; i++) {
            if (tryAcquire(me, HOLD)) {
                return;
            }
            Thread.onSpinWait();
        }
        acquireQueued(me, HOLD);
    }

    /**
     * Takes the lock with {@code holds} (in {@link #HOLD} units) if it is free, or adds one hold
     * if {@code me} (an owner field) owns it; false if another thread owns it.
     */
    private boolean tryAcquire(long me, long holds) {
        for (;;) {
            long s = get();
            long next;
            if ((s & HOLDS) == 0) {
                next = me | holds;
            } else if ((s & OWNER) == me) {
                if ((s & HOLDS) == HOLDS) {
                    throw new Error("maximum lock count exceeded");
                }
                next = s + HOLD;
            } else {
                return false;
            }
            if (compareAndSet(s, next)) {
                return true;
            }
        }
    }

    /** Joins the queue and parks until it took the lock with {@code holds}; interrupts are kept for later, as ReentrantLock.lock does. */
    private void acquireQueued(long me, long holds) {
        var thread = Thread.currentThread();
        synchronized (queue) {
            queue.addLast(thread);
            queued++;
        }
        boolean interrupted = false;
        try {
            // Counted in queued from here until this thread leaves: a holder seen below reads it after its release.
            while (!tryAcquire(me, holds)) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
        } finally {
            synchronized (queue) {
                queue.removeFirstOccurrence(thread);
                queued--;
            }
            if (interrupted) {
                thread.interrupt();
            }
        }
    }

    /** unlock() found no single hold of this thread: a nested hold, or the caller does not hold the lock. */
    private void unlockContended() {
        long s = get();
        if ((s & OWNER) != Thread.currentThread().getId() << OWNER_SHIFT || (s & HOLDS) == 0) {
            throw new IllegalMonitorStateException();
        }
        if ((s & HOLDS) != HOLD) {
            set(s - HOLD); // held: no other thread writes the word
        } else {
            release();
        }
    }

    /** The owner releases all its holds: the word, then the look at the queue (see the class comment). */
    private void release() {
        set(0L);
        if (queued != 0) {
            wakeHead();
        }
    }

    /** Unparks the oldest queued thread, if any. */
    private void wakeHead() {
        Thread head;
        synchronized (queue) {
            head = queue.peekFirst();
        }
        if (head != null) {
            LockSupport.unpark(head);
        }
    }

    boolean isHeldByCurrentThread() {
        return (get() & OWNER) == Thread.currentThread().getId() << OWNER_SHIFT;
    }

    /**
     * For the holder: whether it holds the lock more than once (a nested hold). The state alone, no
     * owner check: a non-holder's release fails in {@link #unlock} anyway.
     */
    boolean heldMoreThanOnce() {
        return (get() & HOLDS) > HOLD;
    }

    /** How many times the current thread holds the lock (0 if it does not). */
    int getHoldCount() {
        long s = get();
        return (s & OWNER) == Thread.currentThread().getId() << OWNER_SHIFT ? (int) ((s & HOLDS) >>> 1) : 0;
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
