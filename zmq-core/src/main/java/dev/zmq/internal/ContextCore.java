package dev.zmq.internal;

import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import java.time.Duration;

/** The context's machinery: I/O threads, socket registry, termination. */
public final class ContextCore {
    private final int ioThreads;
    private final Duration maxLinger;
    private volatile boolean closed;

    public ContextCore(int ioThreads, Duration maxLinger) {
        this.ioThreads = ioThreads;
        this.maxLinger = maxLinger;
    }

    public ZmqSocket createSocket(SocketType type) {
        throw new ZmqException(ZmqError.ENOTSUP, "engine under construction");
    }

    public int ioThreadCount() {
        return ioThreads;
    }

    public Duration maxLinger() {
        return maxLinger;
    }

    public boolean isClosed() {
        return closed;
    }

    public void close() {
        closed = true;
    }
}
