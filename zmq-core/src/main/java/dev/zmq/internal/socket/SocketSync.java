package dev.zmq.internal.socket;

import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A socket's lock and who it wakes: application threads waiting to receive ({@link #readable}) or
 * to send ({@link #writable}), pollers watching the socket, and inproc peer sockets whose wake-ups
 * wait until the lock is released ({@link #runAfterUnlock}), so no thread ever holds two sockets'
 * locks.
 *
 * <p>A pipe's connection side (the I/O thread, or an inproc peer) wakes a single waiting thread
 * without this lock ({@link #wakeReaderWithoutLock}, {@link #wakeWriterWithoutLock}): taking it
 * made the first contention between an application thread and the I/O thread, which came after
 * C2 had compiled the send and receive paths and threw their code away (unstable_if traps in
 * SocketLock.lock and AbstractQueuedSynchronizer's queue, once a cascade of ~280 ms of C2 inside a
 * cold window), and cost every wake-up a lock round trip. It works as an event count: a waiting
 * thread reads the wake-ups counted so far ({@link #readTicket}, {@link #writeTicket}) before its
 * last look at the pipes, makes itself visible (the parked slot, or {@link #conditionWaiters}), and
 * waits only if no wake-up was counted since; a waker counts first, then looks for whom to wake.
 * One of them always sees the other (all of it volatile). Threads waiting on the conditions and
 * pollers are woken under the lock, as before: the waker takes it when it sees any.
 */
final class SocketSync {
    private static final VarHandle PARKED_READER;
    private static final VarHandle PARKED_WRITER;
    private static final VarHandle READ_WAKES;
    private static final VarHandle WRITE_WAKES;

    static {
        try {
            var lookup = MethodHandles.lookup();
            PARKED_READER = lookup.findVarHandle(SocketSync.class, "parkedReader", Parked.class);
            PARKED_WRITER = lookup.findVarHandle(SocketSync.class, "parkedWriter", Parked.class);
            READ_WAKES = lookup.findVarHandle(SocketSync.class, "readWakes", int.class);
            WRITE_WAKES = lookup.findVarHandle(SocketSync.class, "writeWakes", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SocketLock lock = new SocketLock();
    private final SocketLock.Waiters readable = lock.newCondition();
    private final SocketLock.Waiters writable = lock.newCondition();
    /**
     * Threads inside {@link #await} on {@link #readable} or {@link #writable}; changed with the lock
     * held, read without it by the wakers (a waker that sees any takes the lock). A signal asks a
     * condition only when there are some ({@link #signalAllOn}): with AbstractQueuedSynchronizer's
     * conditions (the lock's until session 18) its hasWaiters was a chain of seven calls, run by every
     * inproc wake-up, interpreted for a cold run's first thousand messages.
     */
    private volatile int conditionWaiters;
    /**
     * Wake-ups of waiting receivers ({@link #wakeReaderWithoutLock}) counted so far: a waiter that
     * read it before its last look and finds it changed looks again instead of waiting. Only ever
     * added to (getAndAdd: two wakers counting at once must both change it).
     */
    private volatile int readWakes;
    /** As {@link #readWakes}, for waiting senders ({@link #wakeWriterWithoutLock}). */
    private volatile int writeWakes;
    /** Test seam: runs in a wait just before the thread parks or awaits (after its last check); null outside tests. */
    private Runnable beforeWait;
    /** Pollers waiting on this socket: told whenever readiness may have changed. */
    private final CopyOnWriteArrayList<Runnable> watchers = new CopyOnWriteArrayList<>();
    /** Wake-ups of inproc peer sockets, run once the lock is released; guarded by the lock. */
    private final ArrayList<Runnable> afterUnlock = new ArrayList<>();
    /**
     * Whether {@link #afterUnlock} holds any; guarded by the lock. What {@link #unlock} reads: a
     * field, where afterUnlock.isEmpty() was an interpreted call per unlock for a cold socket's
     * first thousands of messages (ArrayList.isEmpty is compiled with our own methods, not before).
     */
    private boolean collected;
    /**
     * The thread waiting to receive without the condition, parked by itself (see {@link #awaitReadable}).
     * Set by that thread with the lock held; taken (set to null) by whoever wakes it, with or without
     * the lock, always by compareAndSet, so a thread is unparked by one waker only. Others waiting to
     * receive at the same time use {@link #readable}.
     */
    private volatile Parked parkedReader;
    /** As {@link #parkedReader}, for a thread waiting for room to send ({@link #awaitWritable}). */
    private volatile Parked parkedWriter;

    void lock() {
        lock.lock();
    }

    /**
     * Releases the lock; the last release runs what {@link #runAfterUnlock} collected (without
     * allocating for one task). 23 bytes of bytecode, the rare case out of line: at 34 it was over
     * what C1 inlines two calls deep (31), a call of its own in the send and receive paths' profiling
     * code, and C2 compiled it on its own as well as inside them (PrintCompilation of tcp latency runs).
     */
    void unlock() {
        if (!collected) {
            lock.unlock();
            return;
        }
        unlockWithCollected();
    }

    /** {@link #unlock} with wake-ups collected: they run at the last release only. */
    private void unlockWithCollected() {
        if (lock.heldMoreThanOnce()) {
            lock.unlock();
            return;
        }
        runCollected();
    }

    /**
     * Called by an inproc pipe with the lock held, to wake the peer socket: {@code task} runs on
     * this thread right after it released this socket's lock (or at once if it does not hold it),
     * so a send or receive wakes the other socket without an I/O-thread hop, while no thread ever
     * holds two sockets' locks (two sockets sending to each other cannot deadlock).
     */
    void runAfterUnlock(Runnable task) {
        if (lock.isHeldByCurrentThread()) {
            collect(task);
        } else {
            task.run();
        }
    }

    /** Lock held: {@code task} runs once the lock is released. */
    private void collect(Runnable task) {
        afterUnlock.add(task);
        collected = true;
    }

    /** Lock held once: releases it, runs the collected tasks, and leaves the lock released. */
    private void runCollected() {
        int n = afterUnlock.size();
        Runnable single = n == 1 ? afterUnlock.get(0) : null;
        Runnable[] several = n > 1 ? afterUnlock.toArray(new Runnable[0]) : null;
        afterUnlock.clear();
        collected = false;
        lock.unlock();
        if (single != null) {
            single.run();
        } else {
            for (var task : several) {
                task.run();
            }
        }
    }

    /** Lock held: the receivers' wake-ups counted so far; read before the last look at the pipes that may end in {@link #awaitReadable}. */
    int readTicket() {
        return readWakes;
    }

    /** As {@link #readTicket}, before the last look that may end in {@link #awaitWritable}. */
    int writeTicket() {
        return writeWakes;
    }

    /**
     * Lock held: waits until a receive may succeed; returns the nanoseconds left (Long.MAX_VALUE
     * stays "forever"); may return early (the caller looks again). {@code ticket} is what
     * {@link #readTicket} gave before the caller's last look: a wake-up counted since then (that
     * look may have missed what it was for) returns at once. One receiving thread at a time parks by
     * itself, not on the condition: it registers, releases the lock, parks, and is unparked by
     * whoever makes the socket readable: the connection side without the lock
     * ({@link #wakeReaderWithoutLock}), or a holder of the lock once it released it
     * ({@link #signalReadable}, through {@link #runAfterUnlock}'s list). The condition's wait and
     * signal, per message of a request-reply exchange on both sides, ran (when the lock was an
     * AbstractQueuedSynchronizer) a dozen of its methods (a node allocated and queued twice,
     * ForkJoinPool.managedBlock, the six-argument acquire on waking: C2's largest compile of the
     * receive path, 18 ms), most of a cold run in the interpreter and C1.
     */
    long awaitReadable(long nanos, SocketType type, int ticket) {
        if (parkedReader != null || lock.getHoldCount() != 1 || collected) {
            // Another thread parks already, or nested in the lock's holder, or wake-ups to run
            // first (see await): the condition's way.
            return await(readable, nanos, type, READ_WAKES, ticket);
        }
        var me = new Parked(Thread.currentThread());
        parkedReader = me; // visible before the check: a waker that counted after it sees us
        try {
            if (readWakes != ticket) {
                return nanos; // woken since the caller's look: look again
            }
            return parkUnlocked(nanos, type);
        } finally {
            PARKED_READER.compareAndSet(this, me, null); // unless a waker took it (then its unpark is a spurious one for us)
        }
    }

    /**
     * Lock held: waits until a send may succeed (room in a pipe); returns the nanoseconds left
     * (Long.MAX_VALUE stays "forever"); may return early (the caller looks again); {@code ticket}
     * from {@link #writeTicket}, as in {@link #awaitReadable}. One sending thread at a time parks by
     * itself, as in {@link #awaitReadable}: a first untimed await of AbstractQueuedSynchronizer's
     * condition (the lock's until session 18) loaded ForkJoinPool (managedBlock: 8 classes and their
     * initialisation, 1.4-2.6 ms cold), which an inproc_thr sender's first wait at SNDHWM paid inside
     * its window; a wait on the condition still allocates and releases more than a park.
     */
    long awaitWritable(long nanos, SocketType type, int ticket) {
        if (parkedWriter != null || lock.getHoldCount() != 1 || collected) {
            return await(writable, nanos, type, WRITE_WAKES, ticket);
        }
        var me = new Parked(Thread.currentThread());
        parkedWriter = me;
        try {
            if (writeWakes != ticket) {
                return nanos;
            }
            return parkUnlocked(nanos, type);
        } finally {
            PARKED_WRITER.compareAndSet(this, me, null);
        }
    }

    /**
     * Lock held once, this thread registered as parked: releases the lock, parks until unparked (or
     * the time is up, or spuriously), takes the lock again; the nanoseconds left.
     */
    private long parkUnlocked(long nanos, SocketType type) {
        runBeforeWait();
        lock.unlock();
        long start = nanos == Long.MAX_VALUE ? 0 : System.nanoTime();
        try {
            if (nanos == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            lock.lock();
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new ZmqException(ZmqError.EINTR, "interrupted while waiting on the " + type + " socket");
        }
        return nanos == Long.MAX_VALUE ? Long.MAX_VALUE : nanos - (System.nanoTime() - start);
    }

    /** Lock held: the parked reader, if any, is unparked once the lock is released (never twice for one park). */
    private void wakeParkedReader() {
        var r = parkedReader;
        if (r != null && PARKED_READER.compareAndSet(this, r, null)) {
            collect(r);
        }
    }

    /** As {@link #wakeParkedReader}, for the parked writer. */
    private void wakeParkedWriter() {
        var w = parkedWriter;
        if (w != null && PARKED_WRITER.compareAndSet(this, w, null)) {
            collect(w);
        }
    }

    /**
     * Lock not held (a pipe's connection side, or an inproc peer after releasing its own socket's
     * lock): a receive may succeed now. Counts the wake-up, then unparks the parked reader if there
     * is one, without the lock; returns false, having woken nobody, when a thread waits on the
     * readable condition or a poller watches: the caller then takes the lock and
     * {@link #signalReadable}s. The count comes first: a receiver that looked before it and has not
     * registered yet sees it changed and looks again (see {@link #awaitReadable}).
     */
    boolean wakeReaderWithoutLock() {
        READ_WAKES.getAndAdd(this, 1);
        if (conditionWaiters != 0 || !watchers.isEmpty()) {
            return false;
        }
        var r = parkedReader;
        if (r != null && PARKED_READER.compareAndSet(this, r, null)) {
            r.run();
        }
        return true;
    }

    /** As {@link #wakeReaderWithoutLock}, for a send that may succeed now (false: {@link #signalWritable} under the lock). */
    boolean wakeWriterWithoutLock() {
        WRITE_WAKES.getAndAdd(this, 1);
        if (conditionWaiters != 0 || !watchers.isEmpty()) {
            return false;
        }
        var w = parkedWriter;
        if (w != null && PARKED_WRITER.compareAndSet(this, w, null)) {
            w.run();
        }
        return true;
    }

    /** A thread parked in {@link #awaitReadable} or {@link #awaitWritable}; running it unparks that thread. */
    private static final class Parked implements Runnable {
        private final Thread thread;

        Parked(Thread thread) {
            this.thread = thread;
        }

        @Override
        public void run() {
            LockSupport.unpark(thread);
        }
    }

    /**
     * The condition's wait: registered in {@link #conditionWaiters} before the last check of the
     * wake count {@code wakes} against {@code ticket}, so a waker either sees it (and signals under
     * the lock, which this thread holds until the condition releases it) or counted before that check.
     */
    private long await(SocketLock.Waiters condition, long nanos, SocketType type, VarHandle wakes, int ticket) {
        if (collected && lock.getHoldCount() == 1) {
            // Wake-ups of inproc peers collected before this wait must not wait with us (the peer
            // could be waiting for exactly that one): run them first, then let the caller look again.
            runCollected();
            lock.lock();
            return nanos;
        }
        conditionWaiters++; // with the lock held: no other writer
        try {
            if ((int) wakes.getVolatile(this) != ticket) {
                return nanos; // woken since the caller's look: look again
            }
            runBeforeWait();
            return lock.await(condition, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZmqException(ZmqError.EINTR, "interrupted while waiting on the " + type + " socket", e);
        } finally {
            conditionWaiters--; // the condition's await returns (or throws) with the lock held again
        }
    }

    /** Test seam: {@code seam} runs in every wait right before the thread parks or awaits, its last check of the wake count made. */
    void beforeWait(Runnable seam) {
        this.beforeWait = seam;
    }

    private void runBeforeWait() {
        var seam = beforeWait;
        if (seam != null) {
            seam.run();
        }
    }

    /** Lock held: wakes every waiting thread and poller (the socket closes). */
    void wakeAll() {
        wakeParkedReader();
        wakeParkedWriter();
        lock.signalAll(readable);
        lock.signalAll(writable);
        notifyWatchers();
    }

    /** Lock held: wakes those waiting to send or receive, and the pollers. */
    void signalWaiters() {
        wakeParkedWriter();
        signalAllOn(writable);
        wakeParkedReader();
        signalAllOn(readable);
        notifyWatchers();
    }

    /** Lock held: a receive may succeed now. */
    void signalReadable() {
        wakeParkedReader();
        signalAllOn(readable);
        notifyWatchers();
    }

    /** Lock held: a send may succeed now. */
    void signalWritable() {
        wakeParkedWriter();
        signalAllOn(writable);
        notifyWatchers();
    }

    /** Lock held: wakes the threads waiting on {@code condition}, asking it only if any thread waits on a condition at all. */
    private void signalAllOn(SocketLock.Waiters condition) {
        if (conditionWaiters > 0 && lock.hasWaiters(condition)) {
            lock.signalAll(condition);
        }
    }

    private void notifyWatchers() {
        if (watchers.isEmpty()) {
            return; // no poller: no iterator made per wake-up
        }
        for (var w : watchers) {
            w.run();
        }
    }

    void addWatcher(Runnable watcher) {
        watchers.add(watcher);
    }

    void removeWatcher(Runnable watcher) {
        watchers.remove(watcher);
    }
}
