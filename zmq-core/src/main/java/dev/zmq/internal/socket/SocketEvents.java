package dev.zmq.internal.socket;

import dev.zmq.SocketEvent;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.monitor.MonitorWire;
import dev.zmq.internal.monitor.SocketMonitors;
import dev.zmq.internal.transport.inproc.InprocRegistry;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A socket's monitor events: counted where statistics count them, then handed to the socket's
 * monitors, among them the libzmq-style monitor that sends each event to an inproc PAIR socket
 * ({@link #monitor(String, int)}). Any thread.
 */
final class SocketEvents implements ZmtpEngine.Events {
    private final SocketContext context;
    private final SocketCounters counters;
    private final SocketMonitors monitors;
    /** The PAIR socket of a libzmq-style monitor, with its handle; guarded by {@link #monitors}. */
    private ZmqSocket wireMonitor;
    private AutoCloseable wireMonitorHandle;

    SocketEvents(SocketContext context, SocketCounters counters) {
        this.context = context;
        this.counters = counters;
        this.monitors = new SocketMonitors(context.monitorDispatcher());
    }

    @Override
    public void emit(SocketEvent.Type type, String endpoint, String peer, long value, String reason) {
        counters.event(type);
        monitors.emit(type, endpoint, peer, value, reason);
    }

    @Override
    public void internalError(Throwable t) {
        counters.internalError();
    }

    /** An I/O thread of the context stopped for good: counted and told to the monitors. */
    void ioThreadFailed(String thread, Throwable cause) {
        counters.ioThreadFailed();
        monitors.emit(SocketEvent.Type.IO_THREAD_FAILED, null, null, 0, "I/O thread " + thread + " stopped: " + cause);
    }

    /** Adds a listener for {@code types}; closing the handle removes it. */
    AutoCloseable add(Set<SocketEvent.Type> types, Consumer<SocketEvent> listener) {
        return monitors.add(types, listener);
    }

    /** The socket closed: every monitor hears MONITOR_STOPPED for {@code lastEndpoint} and is removed. */
    void closeAll(String lastEndpoint) {
        monitors.closeAll(lastEndpoint);
    }

    /**
     * libzmq's zmq_socket_monitor: events in {@code eventMask} go, in libzmq's wire format, to a PAIR
     * socket bound to {@code endpoint} (inproc); null stops the monitor.
     */
    void monitor(String endpoint, int eventMask) {
        AutoCloseable previous;
        synchronized (monitors) {
            previous = wireMonitorHandle;
            wireMonitorHandle = null;
            wireMonitor = null;
        }
        if (previous != null) {
            closeQuietly(previous);
        }
        if (endpoint == null) {
            return;
        }
        var parsed = context.transports().parse(endpoint);
        if (!(parsed.transport() instanceof InprocRegistry)) {
            throw new ZmqException(ZmqError.EPROTONOSUPPORT, "a monitor endpoint must be inproc://, got '" + endpoint + "'");
        }
        var pair = context.createSocket(SocketType.PAIR);
        try {
            pair.bind(endpoint);
        } catch (ZmqException e) {
            pair.close();
            throw e;
        }
        var types = SocketEvent.Type.fromMask(eventMask);
        // libzmq's format has 16 bits for the event code: events above them are not carried.
        types.removeIf(t -> t.code() > 0xFFFF);
        var handle = monitors.add(EnumSet.allOf(SocketEvent.Type.class), event -> {
            if (types.contains(event.type())) {
                pair.trySend(MonitorWire.encode(event));
            }
            if (event.type() == SocketEvent.Type.MONITOR_STOPPED) {
                pair.close();
            }
        });
        synchronized (monitors) {
            wireMonitor = pair;
            wireMonitorHandle = handle;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // a monitor handle does not fail
        }
    }
}
