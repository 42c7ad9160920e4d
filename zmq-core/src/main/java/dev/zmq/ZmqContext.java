package dev.zmq;

import dev.zmq.internal.context.ContextCore;
import dev.zmq.internal.io.IoThread;
import java.time.Duration;

/**
 * Owns the background I/O threads and every socket created from it. Create one per application,
 * share it, and close it last.
 *
 * <pre>{@code
 * try (var ctx = new ZmqContext();
 *      var rep = ctx.socket(SocketType.REP)) {
 *     rep.bind("tcp://*:5555");
 *     var request = rep.recv();
 *     rep.send("World");
 * }
 * }</pre>
 *
 * <p>{@link #close()} closes every socket of the context, lets each flush its pending messages for
 * up to its LINGER, wakes every thread blocked in a send or receive with {@link ZmqError#ETERM},
 * stops the I/O threads and returns. As {@code zmq_ctx_term}, it waits for sockets with an infinite
 * LINGER (the default) to deliver what they queued, also to a peer that is down at close and comes
 * back meanwhile; unlike it, it never hangs: that wait is bounded by {@link #maxLinger()}. Set
 * LINGER to a few seconds, or 0, on sockets whose pending messages may be given up sooner.
 */
public final class ZmqContext implements AutoCloseable {
    /** The bound applied to LINGER = -1 (infinite) at context close, unless configured otherwise. */
    public static final Duration DEFAULT_MAX_LINGER = Duration.ofSeconds(30);
    /**
     * The longest an I/O thread that ran out of work keeps polling before it sleeps, where the JVM has
     * two or more processors (see {@link #defaultIoBusyPoll()}): 200 microseconds, the bound of Linux's
     * guest halt polling and of KVM's host halt polling, and longer than a tcp round trip on loopback
     * or a local network, so that a thread in a request-reply conversation polls through the wait for
     * the answer.
     */
    public static final Duration DEFAULT_IO_BUSY_POLL = Duration.ofNanos(IoThread.DEFAULT_BUSY_POLL_NANOS);
    /** The longest busy poll a context accepts: polling longer only burns processor time. */
    public static final Duration MAX_IO_BUSY_POLL = Duration.ofMillis(10);

    private final ContextCore core;

    /** A context with one I/O thread, as libzmq's default. */
    public ZmqContext() {
        this(1);
    }

    /** A context with {@code ioThreads} I/O threads (at least 1). */
    public ZmqContext(int ioThreads) {
        this(ioThreads, DEFAULT_MAX_LINGER);
    }

    /**
     * A context with {@code ioThreads} I/O threads whose {@link #close()} waits at most
     * {@code maxLinger} for sockets whose LINGER is infinite.
     */
    public ZmqContext(int ioThreads, Duration maxLinger) {
        this(ioThreads, maxLinger, defaultIoBusyPoll());
    }

    /**
     * The busy poll of a context created without one: {@link #DEFAULT_IO_BUSY_POLL} where the JVM has two
     * or more processors available, zero (no polling) where it has one (a container limited to one
     * CPU, for one): there a polling I/O thread only takes the processor from the threads whose work
     * it waits for, and from the container's CPU quota.
     */
    public static Duration defaultIoBusyPoll() {
        return Runtime.getRuntime().availableProcessors() >= 2 ? DEFAULT_IO_BUSY_POLL : Duration.ZERO;
    }

    /**
     * A context with {@code ioThreads} I/O threads whose {@link #close()} waits at most
     * {@code maxLinger} for sockets whose LINGER is infinite, and whose I/O threads poll for up to
     * {@code ioBusyPoll} before they sleep ({@link Duration#ZERO}: they sleep at once, as libzmq's
     * do; see {@link #ioBusyPoll()}).
     *
     * @throws ZmqException EINVAL if {@code ioThreads} is below 1, {@code maxLinger} is negative, or
     *         {@code ioBusyPoll} is negative or longer than {@link #MAX_IO_BUSY_POLL}
     */
    public ZmqContext(int ioThreads, Duration maxLinger, Duration ioBusyPoll) {
        if (ioThreads < 1) {
            throw new ZmqException(ZmqError.EINVAL, "ioThreads must be at least 1, got " + ioThreads);
        }
        if (maxLinger == null || maxLinger.isNegative()) {
            throw new ZmqException(ZmqError.EINVAL, "maxLinger must be zero or positive, got " + maxLinger);
        }
        if (ioBusyPoll == null || ioBusyPoll.isNegative() || ioBusyPoll.compareTo(MAX_IO_BUSY_POLL) > 0) {
            throw new ZmqException(ZmqError.EINVAL, "ioBusyPoll must be between 0 (no polling) and "
                    + MAX_IO_BUSY_POLL.toMillis() + " ms, got " + ioBusyPoll);
        }
        this.core = new ContextCore(ioThreads, maxLinger, ioBusyPoll);
    }

    /**
     * Creates a socket of the given type.
     *
     * @throws ZmqException ETERM if the context is closed
     */
    public ZmqSocket socket(SocketType type) {
        return core.createSocket(type);
    }

    /** The number of I/O threads. */
    public int ioThreads() {
        return core.ioThreadCount();
    }

    /** The longest {@link #close()} waits for a socket whose LINGER is infinite. */
    public Duration maxLinger() {
        return core.maxLinger();
    }

    /**
     * The longest an I/O thread that ran out of work keeps polling its connections and its queue of
     * work (a non-blocking select, then a yield) before it sleeps in the kernel; zero if it sleeps at
     * once. Polling spares the wake-up that follows a sleep, which costs tens of microseconds where a
     * sleeping thread lets its processor go idle (virtual machines without guest halt polling): a
     * request-reply round trip over tcp pays one on each of three hand-overs each way. Each thread
     * adapts its own window up to this bound, as Linux's guest halt polling does: it polls while its
     * idle spells end within the bound (conversations, bursts) and stops polling after spells longer
     * than that, so a thread whose traffic comes less often, or not at all, sleeps at once and uses
     * no processor time. A socket's receive that waits for the answer to what the socket sent (a
     * REQ, a DEALER in a conversation; not a PULL or SUB, whose messages come as peers send them)
     * likewise looks again for up to its own adaptive window, bounded by this, before it parks.
     * The cost: a thread whose work keeps coming back within the bound polls through every gap, up
     * to a whole processor while that lasts. Set zero where processor time matters more than
     * latency, e.g. under a tight container CPU quota.
     */
    public Duration ioBusyPoll() {
        return core.busyPoll();
    }

    /**
     * The I/O threads that stopped for good on an error they could not recover from, each as its name
     * and the error; empty while every I/O thread serves (the normal case, also after connections
     * failed one by one: those cost only themselves, see {@link SocketStatistics#internalErrors()}).
     * Not empty means some connections are no longer served: report the context unhealthy and recreate
     * it. Each such failure is also a {@link SocketEvent.Type#IO_THREAD_FAILED} event on every socket.
     */
    public java.util.List<String> ioThreadFailures() {
        return core.ioThreadFailures();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return core.isClosed();
    }

    /**
     * Closes every socket, honours each one's LINGER (an infinite LINGER bounded by
     * {@link #maxLinger()}), wakes blocked threads with {@link ZmqError#ETERM}, stops the I/O
     * threads and returns. Safe to call more than once and from any thread.
     */
    @Override
    public void close() {
        core.close();
    }
}
