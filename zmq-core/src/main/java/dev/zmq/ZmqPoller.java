package dev.zmq;

import dev.zmq.internal.socket.SocketCore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until any of several sockets, and optionally plain NIO channels, can be read or written,
 * like {@code zmq_poll}. One poller is used by one thread at a time.
 *
 * <pre>{@code
 * try (var poller = new ZmqPoller()) {
 *     int frontendIdx = poller.register(frontend, ZmqPoller.POLLIN);
 *     int channelIdx = poller.register(udpChannel, ZmqPoller.POLLIN);
 *     while (poller.poll(Duration.ofSeconds(1)) >= 0) {
 *         if (poller.isReadable(frontendIdx)) { ... frontend.recv() ... }
 *         if (poller.isReadable(channelIdx)) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>A timeout is honoured exactly: {@code poll} returns early only when something is ready.
 * Channels must be in non-blocking mode; the poller registers them with a selector of its own.
 */
public final class ZmqPoller implements AutoCloseable {
    /** The socket or channel can be read without blocking. */
    public static final int POLLIN = 1;
    /** The socket or channel can be written without blocking. */
    public static final int POLLOUT = 2;

    private final List<Item> items = new ArrayList<>();
    private final Runnable wake = this::wake;
    private Selector selector;
    private volatile Thread waiter;
    private volatile boolean signalled;
    private boolean closed;

    private static final class Item {
        final SocketCore socket;
        final SelectableChannel channel;
        int events;
        SelectionKey key;
        int ready;
        boolean removed;

        Item(SocketCore socket, SelectableChannel channel, int events) {
            this.socket = socket;
            this.channel = channel;
            this.events = events;
        }
    }

    /**
     * Adds a socket, watched for {@code events} ({@link #POLLIN}, {@link #POLLOUT} or both).
     *
     * @return the index to ask {@link #readyEvents(int)} about
     */
    public int register(ZmqSocket socket, int events) {
        checkEvents(events);
        if (!(socket instanceof SocketCore core)) {
            throw new ZmqException(ZmqError.EINVAL, "only sockets created by a ZmqContext can be polled");
        }
        ensureOpen();
        core.addWatcher(wake);
        items.add(new Item(core, null, events));
        return items.size() - 1;
    }

    /** Adds a non-blocking NIO channel, watched for {@code events}. */
    public int register(SelectableChannel channel, int events) {
        checkEvents(events);
        ensureOpen();
        if (channel.isBlocking()) {
            throw new ZmqException(ZmqError.EINVAL, "the channel must be in non-blocking mode (configureBlocking(false))");
        }
        try {
            if (selector == null) {
                selector = Selector.open();
            }
            int ops = 0;
            if ((events & POLLIN) != 0) {
                ops |= channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
            }
            if ((events & POLLOUT) != 0) {
                ops |= channel.validOps() & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
            }
            var item = new Item(null, channel, events);
            item.key = channel.register(selector, ops, item);
            items.add(item);
            return items.size() - 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register the channel with the poller", e);
        }
    }

    /**
     * Changes what item {@code index} is watched for; 0 ignores it until changed again (a proxy
     * stops reading one side while the other has no room).
     */
    public void setEvents(int index, int events) {
        if ((events & ~(POLLIN | POLLOUT)) != 0) {
            throw new ZmqException(ZmqError.EINVAL, "events must be a combination of POLLIN and POLLOUT, got " + events);
        }
        var item = items.get(index);
        item.events = events;
        item.ready &= events;
        if (item.key != null && item.key.isValid()) {
            int ops = 0;
            if ((events & POLLIN) != 0) {
                ops |= item.channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
            }
            if ((events & POLLOUT) != 0) {
                ops |= item.channel.validOps() & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
            }
            item.key.interestOps(ops);
        }
    }

    /** Stops watching item {@code index}; its index is not reused. */
    public void unregister(int index) {
        var item = items.get(index);
        if (item.removed) {
            return;
        }
        item.removed = true;
        item.ready = 0;
        if (item.socket != null) {
            item.socket.removeWatcher(wake);
        } else {
            item.key.cancel();
        }
    }

    /** {@link #poll(long)} with a duration. */
    public int poll(Duration timeout) {
        return poll(timeout.toMillis());
    }

    /**
     * Waits until at least one item is ready or {@code timeoutMillis} passes (0: just look;
     * -1: wait forever).
     *
     * @return the number of ready items
     * @throws ZmqException ETERM or ENOTSOCK if a polled socket's context or the socket was closed
     */
    public int poll(long timeoutMillis) {
        ensureOpen();
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        waiter = Thread.currentThread();
        try {
            while (true) {
                signalled = false;
                int count = checkSockets();
                long remaining = timeoutMillis < 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
                boolean justLook = count > 0 || timeoutMillis == 0 || remaining <= 0;
                count += checkChannels(justLook ? 0 : remaining);
                if (count > 0 || timeoutMillis == 0) {
                    return count;
                }
                if (timeoutMillis > 0 && deadline - System.nanoTime() <= 0) {
                    return 0;
                }
                if (selector == null && !signalled) {
                    if (timeoutMillis < 0) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, deadline - System.nanoTime());
                    }
                }
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new ZmqException(ZmqError.EINTR, "interrupted while polling");
                }
            }
        } finally {
            waiter = null;
        }
    }

    private int checkSockets() {
        int count = 0;
        for (var item : items) {
            if (item.socket != null && !item.removed) {
                // Checked even with no events of interest, so a closed context still surfaces as ETERM.
                item.ready = item.socket.pollEvents() & item.events;
                if (item.ready != 0) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Selects on the channels (blocking up to {@code nanos} if positive) and counts ready ones. */
    private int checkChannels(long nanos) {
        if (selector == null) {
            return 0;
        }
        try {
            for (var key : selector.keys()) {
                ((Item) key.attachment()).ready = 0;
            }
            if (nanos <= 0 || signalled) {
                selector.selectNow();
            } else if (nanos == Long.MAX_VALUE) {
                selector.select();
            } else {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
            }
            int count = 0;
            var selected = selector.selectedKeys();
            for (var key : selected) {
                var item = (Item) key.attachment();
                if (!key.isValid()) {
                    continue;
                }
                int ops = key.readyOps();
                int ready = 0;
                if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
                    ready |= POLLIN;
                }
                if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
                    ready |= POLLOUT;
                }
                item.ready = ready & item.events;
                if (item.ready != 0) {
                    count++;
                }
            }
            selected.clear();
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("polling channels failed", e);
        }
    }

    /** The events item {@code index} was ready for at the last poll. */
    public int readyEvents(int index) {
        return items.get(index).ready;
    }

    /** Whether item {@code index} was readable at the last poll. */
    public boolean isReadable(int index) {
        return (readyEvents(index) & POLLIN) != 0;
    }

    /** Whether item {@code index} was writable at the last poll. */
    public boolean isWritable(int index) {
        return (readyEvents(index) & POLLOUT) != 0;
    }

    /** The number of registered items, unregistered ones included. */
    public int size() {
        return items.size();
    }

    private void wake() {
        signalled = true;
        var s = selector;
        if (s != null) {
            s.wakeup();
        } else {
            var t = waiter;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    private static void checkEvents(int events) {
        if (events == 0 || (events & ~(POLLIN | POLLOUT)) != 0) {
            throw new ZmqException(ZmqError.EINVAL, "events must be POLLIN, POLLOUT or both, got " + events);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new ZmqException(ZmqError.EINVAL, "the poller is closed");
        }
    }

    /** Stops watching everything and releases the selector. The channels themselves stay open. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < items.size(); i++) {
            unregister(i);
        }
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
