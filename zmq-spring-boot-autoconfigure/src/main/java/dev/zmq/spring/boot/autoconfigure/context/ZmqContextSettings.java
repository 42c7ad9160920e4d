package dev.zmq.spring.boot.autoconfigure.context;

import dev.zmq.ZmqContext;
import java.time.Duration;

/**
 * What the auto-configured {@code ZmqContext} is built from, open to {@link ZmqContextCustomizer}s
 * (a {@code ZmqContext} has no setters: its I/O threads and close bound are fixed at creation).
 */
public final class ZmqContextSettings {
    private int ioThreads;
    private Duration maxLinger;
    private Duration ioBusyPoll;

    public ZmqContextSettings(int ioThreads, Duration maxLinger) {
        this(ioThreads, maxLinger, ZmqContext.defaultIoBusyPoll());
    }

    public ZmqContextSettings(int ioThreads, Duration maxLinger, Duration ioBusyPoll) {
        this.ioThreads = ioThreads;
        this.maxLinger = maxLinger;
        this.ioBusyPoll = ioBusyPoll;
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

    /** The longest an I/O thread polls before it sleeps (see {@link ZmqContext#ioBusyPoll()}). */
    public Duration ioBusyPoll() {
        return ioBusyPoll;
    }

    public ZmqContextSettings ioBusyPoll(Duration ioBusyPoll) {
        this.ioBusyPoll = ioBusyPoll;
        return this;
    }
}
