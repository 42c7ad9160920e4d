package dev.zmq.internal.io;

/**
 * How long an {@link IoThread} that ran out of work keeps polling (a non-blocking select, then a
 * yield) before it sleeps in select, or a socket's receive that waits for an answer looks again
 * before it parks, adapted to how soon work has been coming back, as Linux's cpuidle-haltpoll
 * adapts its guest poll window.
 *
 * <p>Why poll at all: on a virtual machine without guest halt polling a thread that sleeps lets its
 * virtual CPU go idle, and the wake-up that follows (the peer's reply on the socket, the
 * application's next message) costs 15-20 us before the thread runs again. A request-reply
 * round trip over tcp pays that three times each way (the application's post to this thread, the
 * kernel's readiness to the peer's I/O thread, that thread to its application). Polling through the
 * short gaps of a conversation keeps the processor awake and takes the work without a wake-up.
 *
 * <p>Why adapt: polling through long gaps only burns processor time (and, under a cgroup quota, the
 * container's share). The window grows (doubling from a quarter of the maximum) while the thread's
 * idle spells end within the maximum, so polling would have caught them, and halves, down to no
 * polling at all, after each spell the window did not catch that lasted longer than the maximum.
 * So a thread whose work comes in bursts or conversations polls, and one whose work comes less
 * often than the maximum sleeps at once, as without polling. One thread's (an I/O thread's), or
 * updated under its owner's lock (a socket's: a read without it sees a recent window, enough for
 * a heuristic).
 */
public final class BusyPollWindow {
    private final long maxNanos;
    private final long startNanos;
    private long windowNanos;

    /** A window of at most {@code maxNanos}; 0 never polls. */
    public BusyPollWindow(long maxNanos) {
        if (maxNanos < 0) {
            throw new IllegalArgumentException("busy-poll maximum must be 0 or more, got " + maxNanos);
        }
        this.maxNanos = maxNanos;
        this.startNanos = maxNanos / 4;
    }

    /** How long to poll now before sleeping: 0 to sleep at once. */
    public long nanos() {
        return windowNanos;
    }

    /**
     * The thread was idle for {@code idleNanos} in all (polling, then sleeping) before work came,
     * the poll having found none.
     */
    public void slept(long idleNanos) {
        if (idleNanos <= maxNanos) {
            windowNanos = windowNanos == 0 ? startNanos : Math.min(maxNanos, windowNanos * 2);
        } else if (windowNanos > 0) {
            long half = windowNanos / 2;
            windowNanos = half < startNanos ? 0 : half;
        }
    }
}
