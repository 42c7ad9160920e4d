package dev.zmq;

import dev.zmq.internal.context.ContextCore;
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
        if (ioThreads < 1) {
            throw new ZmqException(ZmqError.EINVAL, "ioThreads must be at least 1, got " + ioThreads);
        }
        if (maxLinger == null || maxLinger.isNegative()) {
            throw new ZmqException(ZmqError.EINVAL, "maxLinger must be zero or positive, got " + maxLinger);
        }
        this.core = new ContextCore(ioThreads, maxLinger);
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
