package dev.zmq.internal.monitor;

import dev.zmq.SocketEvent;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The monitors of one socket. Emitting with no monitor costs one volatile read. */
public final class SocketMonitors {
    private final MonitorDispatcher dispatcher;
    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    public SocketMonitors(MonitorDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    private final class Subscription implements AutoCloseable {
        final Set<SocketEvent.Type> types;
        final Consumer<SocketEvent> listener;

        Subscription(Set<SocketEvent.Type> types, Consumer<SocketEvent> listener) {
            this.types = types;
            this.listener = listener;
        }

        @Override
        public void close() {
            if (subscriptions.remove(this)) {
                stopped(this, null);
            }
        }
    }

    /** Adds a monitor; closing the handle stops it with a MONITOR_STOPPED event. */
    public AutoCloseable add(Set<SocketEvent.Type> types, Consumer<SocketEvent> listener) {
        var s = new Subscription(Set.copyOf(types), listener);
        subscriptions.add(s);
        return s;
    }

    /** Whether anyone listens (cheap check before building an event). */
    public boolean active() {
        return !subscriptions.isEmpty();
    }

    public void emit(SocketEvent.Type type, String endpoint, String peer, long value, String reason) {
        if (subscriptions.isEmpty()) {
            return;
        }
        var event = new SocketEvent(type, endpoint, peer, value, reason);
        for (var s : subscriptions) {
            if (s.types.contains(type)) {
                dispatcher.submit(() -> s.listener.accept(event));
            }
        }
    }

    /** The socket closed: every monitor gets MONITOR_STOPPED and ends. */
    public void closeAll(String endpoint) {
        for (var s : subscriptions) {
            if (subscriptions.remove(s)) {
                stopped(s, endpoint);
            }
        }
    }

    private void stopped(Subscription s, String endpoint) {
        var event = new SocketEvent(SocketEvent.Type.MONITOR_STOPPED, endpoint == null ? "" : endpoint, null, 0, null);
        // Always delivered (even if the listener did not ask for it): it tells the listener it is done.
        dispatcher.submit(() -> s.listener.accept(event));
    }
}
