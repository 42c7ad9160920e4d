package dev.zmq.internal.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One background thread running a NIO selector loop: it owns the channels registered with it,
 * runs tasks posted from other threads, and fires timers. Everything a connection does happens
 * here, so connection state needs no locking.
 *
 * <p>Whatever a handler, task or timer throws (an {@link OutOfMemoryError} included) costs that
 * handler's channel only: the handler is told ({@link IoHandler#onFailure}) and its key cancelled,
 * the loop goes on serving the others and accepting new peers. Only a failure of the thread itself
 * (its selector unusable) ends the loop; it is reported to the {@link FailureListener} and every
 * channel is closed, never left open silently.
 */
public final class IoThread {
    private static final System.Logger LOG = System.getLogger(IoThread.class.getName());

    /** Told of failures, on this I/O thread. Implementations must not throw. */
    public interface FailureListener {
        /** A handler, task or timer threw; only its channel (if any) was closed. */
        default void contained(IoThread thread, Throwable cause) {
        }

        /** The thread stops for good: its channels are closed, it serves nothing any more. */
        void fatal(IoThread thread, Throwable cause);
    }

    /** Failures in a row, without a successful loop turn, after which the thread gives up. */
    private static final int FATAL_AFTER = 1000;
    private static final FailureListener NO_LISTENER = (thread, cause) -> { };

    private final Selector selector;
    /** How {@link #execute} wakes the loop (see {@link WakeupPipe}), and its key in {@link #selector}. */
    private final WakeupPipe wakeup;
    private final SelectionKey wakeupKey;
    private final FailureListener failures;
    private final BufferPool buffers = new BufferPool();
    private volatile Throwable fatalCause;
    private final Thread thread;
    /**
     * Tasks posted from any thread, guarded by its own monitor, as is the decision to wake the loop
     * ({@link #sleeping}). Not a ConcurrentLinkedQueue with an AtomicBoolean: their VarHandle code
     * (CLQ's offer, poll, first, updateHead, isEmpty, its Node, their VarHandle guards) was the
     * biggest JDK share of the C1 queue while a cold connection warms up (~15 ms of C1 in the
     * window of a cold tcp 16 B or CURVE receiver, LogCompilation); a monitor compiles to nothing
     * of its own, ArrayDeque's methods are compiled for other uses anyway, and a post allocates no node.
     */
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /**
     * True while the loop is (about to be) blocked in select: only then does a post need a wakeup.
     * Set, and read by posters, under {@link #tasks}' monitor; cleared without it once awake.
     */
    private volatile boolean sleeping;
    /** A task's selectNow ({@link #flushCancelledKeys}) left keys in the selected-key set; this thread only. */
    private boolean leftovers;
    private volatile boolean stopping;
    /** How long this thread polls before it sleeps; this thread only. */
    private final BusyPollWindow busyPoll;
    /** A handler expects more work soon (see {@link #yieldBeforeSleep()}); this thread only. */
    private boolean yieldBeforeSleep;
    /**
     * The size of the read buffer. Large, as it is one per thread, not per connection: a stream of
     * 64 KiB messages is read several messages per read, not about one (with a 64 KiB buffer the
     * receiver made 1.3 reads and 1.3 context switches per message, and its CPU per message fell
     * from about 63 to 45 us with this size; 256 KiB gave 47, 1 MiB no less than this).
     */
    static final int READ_BUFFER_SIZE = 512 * 1024;
    /** The read buffer's size when the JVM's direct memory is nearly used up (a small -XX:MaxDirectMemorySize). */
    static final int SMALL_READ_BUFFER_SIZE = 64 * 1024;
    /** The read buffer starts at a page boundary (see {@link #pageAligned}). */
    static final int PAGE = 4096;
    /** One read buffer for every connection of this thread (see ZmtpEngine). */
    private final java.nio.ByteBuffer readBuffer = pageAligned(
            BufferPool.directMemoryAvailable(READ_BUFFER_SIZE + PAGE) ? READ_BUFFER_SIZE : SMALL_READ_BUFFER_SIZE);
    private final HeldInputBuffers heldInput = new HeldInputBuffers(readBuffer.capacity());
    private long timerSequence;
    /**
     * The keys registered here (cancelled ones swept now and then): what a thread whose selector
     * failed still closes, since a closed selector no longer lists its keys.
     */
    private final java.util.Set<SelectionKey> registered = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private int registeredAfterSweep = 64;
    /** Cancelled timers still in {@link #timers}. */
    private int cancelledTimers;
    private final java.util.concurrent.atomic.AtomicLong timersCreated = new java.util.concurrent.atomic.AtomicLong();

    /** How long a thread out of work polls before it sleeps, at most, unless told otherwise (see {@link BusyPollWindow}). */
    public static final long DEFAULT_BUSY_POLL_NANOS = 200_000;

    public IoThread(String name) {
        this(name, NO_LISTENER);
    }

    public IoThread(String name, FailureListener failures) {
        this(name, failures, DEFAULT_BUSY_POLL_NANOS);
    }

    /** A thread that polls for up to {@code busyPollNanos} before it sleeps (0: sleeps at once; see {@link BusyPollWindow}). */
    public IoThread(String name, FailureListener failures, long busyPollNanos) {
        this.failures = failures;
        this.busyPoll = new BusyPollWindow(busyPollNanos);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a NIO selector", e);
        }
        try {
            this.wakeup = new WakeupPipe();
            this.wakeupKey = wakeup.register(selector);
        } catch (IOException e) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // failing anyway
            }
            throw new UncheckedIOException("cannot open the I/O thread's wake-up pipe", e);
        }
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A direct buffer of {@code size} bytes that starts at a page boundary: every read into it
     * starts there. The kernel's copy of received bytes into it (tcp_recvmsg's _copy_to_iter) was
     * about ten times slower into malloc's address, 16 bytes into a page: perf of a tcp 64 KiB
     * latency run, 1,015 samples for 8,000 reads (~25 us per 64 KiB) against 98 page-aligned, and
     * 91 for libzmq's reads of the same bytes.
     */
    static java.nio.ByteBuffer pageAligned(int size) {
        int whole = (size + PAGE - 1) / PAGE * PAGE; // alignedSlice keeps whole pages only
        return java.nio.ByteBuffer.allocateDirect(whole + PAGE).alignedSlice(PAGE).limit(size).slice();
    }

    /** Runs {@code task} on this I/O thread, soon. Safe from any thread. */
    public void execute(Runnable task) {
        boolean wake;
        synchronized (tasks) {
            tasks.addLast(task);
            wake = sleeping;
            sleeping = false;
        }
        if (wake) {
            wakeup.wake();
        }
    }

    /**
     * This thread gives up the processor once before it next sleeps in select, unless a task is
     * waiting by then. For a handler that has just emptied a queue another thread keeps filling
     * (a connection that wrote all its socket's pending messages): that thread often runs meanwhile
     * and posts its next messages while this one is still awake, which costs it no wake-up write and
     * this thread no sleep in epoll, no wake-up read and two context switches. Call on this thread.
     */
    public void yieldBeforeSleep() {
        yieldBeforeSleep = true;
    }

    /** The read buffer shared by this thread's connections; use only on this thread, and leave it clear. */
    public java.nio.ByteBuffer readBuffer() {
        return readBuffer;
    }

    /** Where this thread's paused connections keep the bytes they read and could not decode yet; use only on this thread. */
    public HeldInputBuffers heldInput() {
        return heldInput;
    }

    /** The output buffers of this thread's connections; use only on this thread. */
    public BufferPool buffers() {
        return buffers;
    }

    /** The thread's name. */
    public String name() {
        return thread.getName();
    }

    /** Why this thread stopped serving for good, or null while it serves (or stopped on request). */
    public Throwable fatalCause() {
        return fatalCause;
    }

    /** Whether the caller is this I/O thread. */
    public boolean inThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Registers {@code channel} with this thread's selector, or hands its existing key to a new
     * handler (a connect attempt passing its channel to the connection). Call on this I/O thread only.
     */
    public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) throws ClosedChannelException {
        assert inThread();
        var existing = channel.keyFor(selector);
        if (existing != null && existing.isValid()) {
            existing.attach(handler);
            existing.interestOps(ops);
            return existing;
        }
        var key = channel.register(selector, ops, handler);
        registered.add(key);
        if (registered.size() > 2 * registeredAfterSweep) {
            registered.removeIf(k -> !k.isValid());
            registeredAfterSweep = Math.max(64, registered.size());
        }
        return key;
    }

    /** Runs {@code action} after {@code delayMillis}, once. Call on this I/O thread only. */
    public Timer schedule(long delayMillis, Runnable action) {
        assert inThread();
        var timer = new Timer(null);
        timer.enqueue(delayMillis, action);
        return timer;
    }

    /**
     * A timer that runs {@code task} each time it is {@linkplain Timer#start started}: for what
     * recurs (a reconnect interval), so that each round allocates nothing. Create it on any thread;
     * start and cancel it on this I/O thread.
     */
    public Timer timer(Runnable task) {
        return new Timer(java.util.Objects.requireNonNull(task));
    }

    /** Timers created since this thread started (for tests: a recurring task must reuse its timer). */
    public long timersCreated() {
        return timersCreated.get();
    }

    /** Timers in the heap, cancelled ones not swept yet included (for tests). Call on this I/O thread only. */
    public int pendingTimers() {
        return timers.size();
    }

    /**
     * Deregisters cancelled keys now, so closed channels release their ports at once. Call from a
     * task on this I/O thread (never from a readiness handler).
     */
    public void flushCancelledKeys() {
        try {
            selector.selectNow();
            leftovers = !selector.selectedKeys().isEmpty();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "selectNow failed", e);
        }
    }

    /** Asks the loop to stop; registered handlers get {@link IoHandler#onShutdown()}. */
    public void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** Waits up to {@code millis} for the thread to end; true if it did. */
    public boolean join(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    private void loop() {
        int failuresInARow = 0;
        try {
            while (!stopping) {
                try {
                    turn();
                    failuresInARow = 0;
                } catch (ClosedSelectorException e) {
                    fatal(e);
                    return;
                } catch (ThreadDeath e) {
                    fatal(e);
                    throw e;
                } catch (Throwable t) {
                    // select() itself failed (the handlers' failures are contained in handle).
                    if (++failuresInARow >= FATAL_AFTER) {
                        fatal(t);
                        return;
                    }
                    report(null, t);
                    // Leave the CPU (and the heap) to whatever would relieve the condition.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(failuresInARow, 100)));
                }
            }
        } finally {
            shutdown();
        }
    }

    /** One loop turn: tasks, timers, select (handling each ready key). */
    private void turn() throws IOException {
        runTasks();
        long waitMillis = runTimers();
        if (stopping) {
            return;
        }
        // An interrupt from elsewhere must not turn select into a busy loop: this thread is ours.
        Thread.interrupted();
        // A task's selectNow (flushCancelledKeys) may have left keys in the selected-key set.
        if (leftovers) {
            leftovers = false;
            dispatchLeftovers();
        }
        if (yieldBeforeSleep) {
            yieldBeforeSleep = false;
            if (!hasTasks()) {
                Thread.yield();
            }
        }
        boolean idle;
        synchronized (tasks) {
            idle = tasks.isEmpty();
            sleeping = idle; // from here a post wakes the select below
        }
        if (!idle) {
            selector.selectNow(onSelected);
        } else {
            long idleSince = System.nanoTime();
            long window = busyPoll.nanos();
            if (window == 0 || !pollUntilWork(idleSince, window)) {
                // 0 blocks indefinitely, as select(action) does: one JDK entry compiled, not two.
                selector.select(onSelected, waitMillis);
                busyPoll.slept(System.nanoTime() - idleSince);
            }
        }
        sleeping = false;
    }

    /**
     * Polls (a non-blocking select, then a yield) for up to {@code window} nanoseconds from
     * {@code idleSince}, handling what it finds; true if it found keys ready, a task or a stop.
     * Posts meanwhile need no wake-up, as the poll looks for them; false (nothing found) leaves
     * {@link #sleeping} set again, under the tasks' monitor, for the select that follows.
     * The timers are not looked at: one due meanwhile runs at most {@code window} late.
     */
    private boolean pollUntilWork(long idleSince, long window) throws IOException {
        sleeping = false;
        while (true) {
            // selectNow also clears a pending Selector.wakeup (stop's): hence the look at stopping
            if (selector.selectNow(onSelected) > 0 || stopping || hasTasks()) {
                return true;
            }
            if (System.nanoTime() - idleSince >= window) {
                break;
            }
            Thread.yield();
        }
        synchronized (tasks) {
            sleeping = tasks.isEmpty();
            return !sleeping;
        }
    }

    private boolean hasTasks() {
        synchronized (tasks) {
            return !tasks.isEmpty();
        }
    }

    private Runnable nextTask() {
        synchronized (tasks) {
            return tasks.pollFirst();
        }
    }

    private void fatal(Throwable cause) {
        fatalCause = cause;
        try {
            failures.fatal(this, cause);
        } catch (Throwable ignored) {
            // the listener must not throw; nothing more to tell
        }
        try {
            LOG.log(System.Logger.Level.ERROR, "I/O thread " + thread.getName() + " failed and stopped; its connections are closed", cause);
        } catch (Throwable ignored) {
            // logging may fail for the same reason (out of memory)
        }
    }

    /** Tells the listener, then logs, of a contained failure; neither may take the loop down. */
    private void report(IoHandler handler, Throwable t) {
        try {
            failures.contained(this, t);
        } catch (Throwable ignored) {
            // the listener must not throw
        }
        try {
            LOG.log(System.Logger.Level.ERROR, handler == null ? "I/O thread " + thread.getName() + " failed; going on"
                    : "a channel's handling failed; only that channel is affected", t);
        } catch (Throwable ignored) {
            // logging may fail for the same reason (out of memory)
        }
    }

    private void runTasks() {
        // Bounded so that a flood of posts cannot starve the channels.
        for (int i = 0; i < 1024; i++) {
            var task = nextTask();
            if (task == null) {
                return;
            }
            runSafely(task);
        }
    }

    /** Fires due timers; returns how long select may block (0 = indefinitely). */
    private long runTimers() {
        while (true) {
            var next = timers.peek();
            if (next == null) {
                return 0;
            }
            if (next.action == null) {
                timers.poll();
                next.queued = false;
                cancelledTimers--;
                continue;
            }
            long remaining = next.deadlineNanos - System.nanoTime();
            if (remaining > 0) {
                // Rounded up to whole milliseconds; a division, not TimeUnit.toMillis: every turn of a
                // thread with a timer pending (a receiver's returned-frames check) comes here, and
                // toMillis was one more JDK method for C1 in a cold window.
                return Math.max(1, (remaining + 999_999) / 1_000_000);
            }
            timers.poll();
            next.queued = false;
            var action = next.action;
            next.action = null;
            runSafely(action);
        }
    }

    /** The keys a task's selectNow left selected, each handled as {@link #onSelected} does. */
    private void dispatchLeftovers() {
        for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            var key = it.next();
            it.remove();
            handle(key);
        }
    }

    /**
     * Handles each ready key as select finds it (Selector.select with an action): no selected-key
     * set to fill, iterate (an iterator allocated per turn) and empty, a HashSet add and remove per
     * ready key, all of it more JDK code for the JIT to compile while a cold run warms up.
     */
    private final java.util.function.Consumer<SelectionKey> onSelected = key -> {
        sleeping = false; // awake: a post from now on is seen by the next turn without a wake-up
        handle(key);
    };

    private void handle(SelectionKey key) {
        if (key == wakeupKey) {
            wakeup.drain();
            return;
        }
        if (key.isValid() && key.attachment() instanceof IoHandler handler) {
            try {
                handler.onReady(key);
            } catch (ThreadDeath t) {
                throw t;
            } catch (Throwable t) {
                contain(key, handler, t);
            }
        }
    }

    /** A handler threw: it gives up its channel; if even that fails, the channel is closed here. */
    private void contain(SelectionKey key, IoHandler handler, Throwable t) {
        boolean kept = false;
        try {
            kept = handler.onFailure(t);
        } catch (Throwable again) {
            t.addSuppressed(again);
        }
        if (!kept) {
            key.cancel();
            try {
                key.channel().close();
            } catch (Throwable ignored) {
                // closing is all we wanted
            }
        }
        report(handler, t);
    }

    private void runSafely(Runnable r) {
        try {
            r.run();
        } catch (ThreadDeath t) {
            throw t;
        } catch (Throwable t) {
            report(null, t);
        }
    }

    private void shutdown() {
        // Tasks posted during shutdown (termination of sessions) still run once.
        runTasks();
        var keys = new ArrayList<SelectionKey>(registered);
        try {
            keys.addAll(selector.keys());
        } catch (ClosedSelectorException e) {
            // only ours to go by
        }
        var handlers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<IoHandler, Boolean>());
        for (var key : keys) {
            if (key.attachment() instanceof IoHandler h) {
                handlers.add(h);
            }
        }
        for (var h : handlers) {
            try {
                h.onShutdown();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.DEBUG, "handler shutdown failed", t);
            }
        }
        for (var key : keys) {
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        registered.clear();
        wakeup.close();
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
        synchronized (tasks) {
            tasks.clear(); // dropped: the thread is gone
        }
        timers.clear();
    }

    /**
     * A timer was cancelled: its action is already released; once cancelled timers are most of the
     * heap, they are swept out, so the heap stays proportional to the live timers.
     */
    private void timerCancelled() {
        cancelledTimers++;
        if (cancelledTimers > 256 && cancelledTimers > timers.size() / 2) {
            timers.removeIf(Timer::swept);
            cancelledTimers = 0;
        }
    }

    /**
     * A timer: one-shot ({@link #schedule}) or started again and again ({@link #timer}). Start and
     * cancel it on the I/O thread. A cancelled (or fired) timer drops its action at once, so what
     * the action refers to (a closed connection and its buffers) is not kept reachable until the
     * deadline: a one-shot timer is swept out of the heap later, a reusable one leaves it at once.
     */
    public final class Timer implements Comparable<Timer> {
        private long deadlineNanos;
        private long sequence;
        /** Null unless pending. */
        private Runnable action;
        /** What a reusable timer runs each time it is started; null for a one-shot timer. */
        private final Runnable task;
        /** In the heap: pending, or (one-shot only) cancelled and not swept yet. */
        private boolean queued;

        Timer(Runnable task) {
            this.task = task;
            timersCreated.incrementAndGet();
        }

        private void enqueue(long delayMillis, Runnable run) {
            deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
            sequence = timerSequence++;
            action = run;
            queued = true;
            timers.add(this);
        }

        /**
         * Runs this reusable timer's task after {@code delayMillis}; if it is pending, its deadline
         * moves. Call on the I/O thread.
         */
        public void start(long delayMillis) {
            assert inThread();
            if (task == null) {
                throw new IllegalStateException("a one-shot timer cannot be started again; use IoThread.timer(task)");
            }
            if (queued) {
                timers.remove(this);
            }
            enqueue(delayMillis, task);
        }

        /** Whether the timer will fire (started or scheduled, and neither fired nor cancelled yet). */
        public boolean pending() {
            return action != null;
        }

        public void cancel() {
            if (action != null) {
                action = null;
                if (task != null) {
                    // Reusable: out of the heap now (O(timers), rare: its owner is closing), so a
                    // pending timer stays the only way the heap refers to it.
                    timers.remove(this);
                    queued = false;
                } else {
                    timerCancelled();
                }
            }
        }

        /** For the sweep of cancelled one-shot timers: whether this one goes (and is then out of the heap). */
        private boolean swept() {
            if (action != null) {
                return false;
            }
            queued = false;
            return true;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadlineNanos - o.deadlineNanos, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
