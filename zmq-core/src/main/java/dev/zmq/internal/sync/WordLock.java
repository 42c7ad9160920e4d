package dev.zmq.internal.sync;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A lock reentrant and non-fair as {@link java.util.concurrent.locks.ReentrantLock}, the cheap one
 * of a cold path: a socket's lock (with its condition queues: {@code SocketLock}) and a
 * connection's ({@code ZmtpEngine}). The owner's thread id and the hold count are one {@code long}
 * word, the value of the AtomicLong it is: bits 16-63 the id (ids are below 2<sup>47</sup>), bits
 * 1-15 the holds, 0 when free. Taking it is one compareAndSet of the word from 0; releasing it a
 * single hold is a read of the word (that checks the owner and the hold count at once), a volatile
 * write of 0 and a read of {@link #queued}; nested holds, contention and queueing are out of line.
 *
 * <p>Why not AbstractQueuedSynchronizer (ReentrantLock's, and the socket's until session 18): a
 * cold socket's first thousands of messages run in the interpreter, then in C1's profiling code,
 * and AQS's release was a chain of nine calls per unlock (release, tryRelease, the owner's id,
 * getState, setState, signalNext...), a third of the interpreted calls of a send or receive
 * (counted in a cold inproc run's interpreted phase). Here a lock and unlock pair makes 9
 * interpreted calls instead of 15 (-Xint: 0.75
 * of the time per pair); a cold inproc 16 B x2M run compiles 8 lock units instead of 17 with C1
 * and 4 instead of 8 with C2 (LogCompilation). AtomicLong's methods and not a VarHandle: interpreted,
 * a VarHandle's compareAndSet runs its guard and linker methods too (-Xint: twice AQS's time per pair).
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
public class WordLock extends AtomicLong {
    private static final long serialVersionUID = 1L;

    /** One hold, in bits 1-15. */
    protected static final long HOLD = 2;
    /** The hold count's bits, in {@link #HOLD} units. */
    protected static final long HOLDS = 0xFFFE;
    /** Where the owner's thread id starts in the word. */
    protected static final int OWNER_SHIFT = 16;
    /** The owner's bits. */
    protected static final long OWNER = -1L << OWNER_SHIFT;

    /** How many threads are in {@link #queue}; changed under its monitor. */
    private volatile int queued;
    /** Threads waiting to take the lock, oldest first; guarded by its own monitor, with {@link #queued}. */
    private final ArrayDeque<Thread> queue = new ArrayDeque<>(2);

    public final void lock() {
        // Interpreted: three calls (the id, the compare-and-set). Too much stack for C1 to inline
        // (two longs, as AQS's compareAndSetState was): its own small tier-3 unit, the CAS intrinsic in it.
        if (!compareAndSet(0L, Thread.currentThread().getId() << OWNER_SHIFT | HOLD)) {
            lockContended();
        }
    }

    /**
     * Takes the lock if no thread holds it, this one neither: one compareAndSet, never waits.
     * Non-fair as ReentrantLock.tryLock: a free lock is taken ahead of queued threads. Unlike it,
     * false for a thread that holds the lock already (no nested hold): what a connection's
     * application thread writing directly wants (ZmtpEngine.tryDirectFlush, never inside the I/O
     * thread's own handling of it), where ReentrantLock's isHeldByCurrentThread and tryLock were 11
     * interpreted calls and this is 5.
     */
    public final boolean tryLockIfFree() {
        return compareAndSet(0L, Thread.currentThread().getId() << OWNER_SHIFT | HOLD);
    }

    public final void unlock() {
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

    /**
     * Turns a contended lock() tries again before it queues, each after a spin-wait hint. For a
     * socket's lock {@link #SOCKET_SPINS}: it is held for well under a microsecond per send or
     * receive, so the I/O thread waking the socket nearly always gets it this way, where queueing
     * parks it and makes the holder's unlock unpark it. A queued thread counts itself in
     * {@link #queued}, and every compiled send and receive path's next unlock then takes the branch
     * that wakes it, which C2 compiled as never taken: an unstable_if trap that threw away
     * NativeSocket.recv's compiled code and compiled it again (18-29 ms of the C2 thread) inside the
     * window of most cold receivers. LogCompilation of cold tcp 16 B x2M receivers (with AQS's
     * queue, the same branch): that trap in 6 of 8 before, 1 of 8 with 1,024 turns (4 of 16 with 64).
     * A connection's lock: none (see ZmtpEngine's).
     */
    private final int spins;

    /** {@link #spins} for a socket's lock: tens of microseconds at most. */
    public static final int SOCKET_SPINS = 1024;

    /** @param spins the turns a contended lock() tries again before it queues ({@link #spins}) */
    public WordLock(int spins) {
        this.spins = spins;
    }

    /** The lock is held (maybe by this thread: reentry): tries again {@link #spins} times, then queues. */
    private void lockContended() {
        long me = Thread.currentThread().getId() << OWNER_SHIFT;
        for (int i = spins; !tryAcquire(me, HOLD); i--) {
            if (i == 0) {
                acquireQueued(me, HOLD);
                return;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Takes the lock with {@code holds} (in {@link #HOLD} units) if it is free, or adds one hold
     * if {@code me} (an owner field) owns it; false if another thread owns it.
     */
    protected final boolean tryAcquire(long me, long holds) {
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
    protected final void acquireQueued(long me, long holds) {
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
    protected final void release() {
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

    public final boolean isHeldByCurrentThread() {
        return (get() & OWNER) == Thread.currentThread().getId() << OWNER_SHIFT;
    }

    /**
     * For the holder: whether it holds the lock more than once (a nested hold). The state alone, no
     * owner check: a non-holder's release fails in {@link #unlock} anyway.
     */
    public final boolean heldMoreThanOnce() {
        return (get() & HOLDS) > HOLD;
    }

    /** How many times the current thread holds the lock (0 if it does not). */
    public final int getHoldCount() {
        long s = get();
        return (s & OWNER) == Thread.currentThread().getId() << OWNER_SHIFT ? (int) ((s & HOLDS) >>> 1) : 0;
    }
}
