package dev.zmq.spring.boot.autoconfigure.context;

import java.time.Duration;

/**
 * What the auto-configured {@code ZmqContext} is built from, open to {@link ZmqContextCustomizer}s
 * (a {@code ZmqContext} has no setters: its I/O threads and close bound are fixed at creation).
 */
public final class ZmqContextSettings {
    private int ioThreads;
    private Duration maxLinger;

    public ZmqContextSettings(int ioThreads, Duration maxLinger) {
        this.ioThreads = ioThreads;
        this.maxLinger = maxLinger;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public ZmqContextSettings ioThreads(int ioThreads) {
        this.ioThreads = ioThreads;
        return this;
    }

    /** The longest the context's close waits for sockets whose LINGER is infinite. */
    public Duration maxLinger() {
        return maxLinger;
    }

    public ZmqContextSettings maxLinger(Duration maxLinger) {
        this.maxLinger = maxLinger;
        return this;
    }
}
