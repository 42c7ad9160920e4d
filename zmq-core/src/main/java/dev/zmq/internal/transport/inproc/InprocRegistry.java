package dev.zmq.internal.transport.inproc;

import dev.zmq.SocketOption;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.session.Session;
import dev.zmq.internal.session.SessionHost;
import dev.zmq.internal.transport.Endpoint;
import dev.zmq.internal.transport.Listener;
import dev.zmq.internal.transport.ListeningTransport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The inproc names of one context. Bind and connect work in either order: a connect to a name not
 * bound yet gets its pipe at once (messages queue up to the high-water mark) and is joined to the
 * binder when the bind happens.
 */
public final class InprocRegistry implements ListeningTransport {
    private static final System.Logger LOG = System.getLogger(InprocRegistry.class.getName());

    private final Supplier<IoThread> ioThreads;
    private final Map<String, SessionHost> bound = new HashMap<>();
    private final Map<String, List<InprocSession>> pending = new HashMap<>();

    public InprocRegistry(Supplier<IoThread> ioThreads) {
        this.ioThreads = ioThreads;
    }

    @Override
    public String scheme() {
        return "inproc";
    }

    /** Binds {@code inproc://name} to {@code socket}; joins connects that were waiting for it. */
    @Override
    public Listener bind(SessionHost socket, Endpoint endpoint) {
        var name = name(endpoint);
        List<InprocSession> waiting;
        synchronized (this) {
            if (bound.containsKey(name)) {
                throw new ZmqException(ZmqError.EADDRINUSE, "cannot bind " + endpoint.text() + ": another socket of this context is bound to it");
            }
            bound.put(name, socket);
            waiting = pending.remove(name);
        }
        if (waiting != null) {
            for (var connector : waiting) {
                join(connector, socket, endpoint.text(), false);
            }
        }
        return new Listener() {
            @Override
            public String endpoint() {
                return endpoint.text();
            }

            @Override
            public void start() {
            }

            @Override
            public void close() {
                synchronized (InprocRegistry.this) {
                    bound.remove(name, socket);
                }
            }
        };
    }

    /**
     * Connects {@code socket} to {@code inproc://name}, now or when it is bound. Returns the
     * connecting session. {@code peerRoutingId}, if not null, is the routing id the binder gets on
     * {@code socket} (CONNECT_ROUTING_ID) instead of the one it announces.
     */
    public Session connect(SessionHost socket, Endpoint endpoint, byte[] peerRoutingId) {
        var name = name(endpoint);
        var io = ioThreads.get();
        var session = new InprocSession(socket, io, endpoint.text(), this, peerRoutingId);
        SessionHost binder;
        synchronized (this) {
            binder = bound.get(name);
            if (binder != null && !socket.type().isCompatibleWith(binder.type())) {
                throw new ZmqException(ZmqError.EINVAL, "cannot connect a " + socket.type() + " socket to " + endpoint.text()
                        + ": it is bound by a " + binder.type() + " socket, which is not a valid peer");
            }
            if (!socket.addSession(session)) {
                throw new ZmqException(ZmqError.ENOTSOCK, "the " + socket.type() + " socket is closed");
            }
            if (binder == null) {
                // Not bound yet: queue messages now, join at bind time.
                session.attach(null, null, null);
                pending.computeIfAbsent(name, k -> new ArrayList<>()).add(session);
                return session;
            }
        }
        join(session, binder, endpoint.text(), true);
        return session;
    }

    /** Whether a socket of this context is bound to {@code inproc://name}. */
    public synchronized boolean isBound(String name) {
        return bound.containsKey(name);
    }

    /** Forgets a connect that never got joined (disconnect or close before the bind). */
    public synchronized void forget(Session session) {
        // Loops, not lambdas: a closing socket comes here, often while a cold JVM is busy with the rest.
        for (var it = pending.values().iterator(); it.hasNext(); ) {
            var list = it.next();
            list.remove(session);
            if (list.isEmpty()) {
                it.remove();
            }
        }
    }

    private void join(InprocSession connector, SessionHost binder, String endpoint, boolean fresh) {
        var connecting = connector.host();
        if (!connecting.type().isCompatibleWith(binder.type())) {
            LOG.log(System.Logger.Level.DEBUG, () -> "inproc connect to " + endpoint + " refused: " + connecting.type()
                    + " cannot talk to " + binder.type());
            connector.linger(0);
            return;
        }
        var accepted = new InprocSession(binder, connector.ioThread(), endpoint, this, null);
        if (!binder.addSession(accepted)) {
            connector.linger(0);
            return;
        }
        byte[] connectorId = connecting.options().get(SocketOption.ROUTING_ID);
        byte[] binderId = connector.peerRoutingId() != null ? connector.peerRoutingId() : binder.options().get(SocketOption.ROUTING_ID);
        // Pipes are attached right away, so the connecting socket can send as soon as connect() returns.
        boolean ok = fresh ? connector.attach(binder.type(), binderId, null) : connector.identify(binder.type(), binderId);
        // The binder's pipe is made over the connector's queues: one queue per direction for both sockets.
        if (!ok || !accepted.attach(connecting.type(), connectorId, connector)) {
            connector.linger(0);
            accepted.linger(0);
            return;
        }
        connector.ioThread().execute(new Link(connector, accepted));
    }

    /**
     * Links the two sessions, on the connector's I/O thread. A class, not a lambda: a lambda's class
     * is spun at its first use, ~0.5 ms inside an inproc latency tool's first roundtrip (class-load
     * log). A record whose equals, hashCode and toString (invokedynamic, spun at their first call,
     * see pgm's Tsi) nothing calls.
     */
    private record Link(InprocSession connector, InprocSession accepted) implements Runnable {
        @Override
        public void run() {
            InprocSession.link(connector, accepted);
        }
    }

    private static String name(Endpoint endpoint) {
        return endpoint.address();
    }
}
