package dev.zmq.internal.socket;

import dev.zmq.MulticastStatistics;
import dev.zmq.NameResolver;
import dev.zmq.ResolvedAddress;
import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.options.Options;
import dev.zmq.internal.session.ConnectingSession;
import dev.zmq.internal.session.ResolvingConnector;
import dev.zmq.internal.session.Session;
import dev.zmq.internal.session.SessionHost;
import dev.zmq.internal.transport.DatagramTransport;
import dev.zmq.internal.transport.Endpoint;
import dev.zmq.internal.transport.Listener;
import dev.zmq.internal.transport.ListeningTransport;
import dev.zmq.internal.transport.NameResolvingTransport;
import dev.zmq.internal.transport.StreamTransport;
import dev.zmq.internal.transport.Transports;
import dev.zmq.internal.transport.inproc.InprocRegistry;
import dev.zmq.internal.wire.mechanism.Mechanisms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A socket's endpoints: what bind, connect, unbind and disconnect did, and the sessions they made.
 * The endpoint's transport comes from the context's {@link Transports}; what the socket keeps depends
 * on what kind of transport it is: a listener (tcp, ipc, inproc), connecting sessions (tcp, ipc, one
 * per address behind a name with CONNECT_ALL_ADDRESSES), an inproc connection (handled here, as
 * libzmq's socket_base handles inproc itself), or one session standing for the whole endpoint
 * whether bound or connected (udp, epgm). Guarded by the socket's lock.
 */
final class Endpoints implements ResolvingConnector.Registry {
    private final SocketCore socket;
    private final SessionHost host;
    private final SocketContext context;
    private final SocketType type;
    private final Options options;
    private final SocketSync sync;
    private final PipeSet pipes;
    private final SocketEvents events;
    private final Set<Session> sessions = new HashSet<>();
    private final Map<String, Listener> listeners = new HashMap<>();
    private final Map<String, String> bindAliases = new HashMap<>();
    private final Map<String, List<Session>> connections = new HashMap<>();
    /** Endpoints connected with CONNECT_ALL_ADDRESSES: their sessions are in {@link #connections} too. */
    private final Map<String, List<ResolvingConnector>> resolving = new HashMap<>();
    private volatile NameResolver nameResolver = NameResolver.system();
    /** Lock held: the PGM counters of epgm sessions that ended, so the socket's never go down. */
    private MulticastStatistics endedMulticast = MulticastStatistics.NONE;
    private String lastEndpoint = "";

    Endpoints(SocketCore socket, SessionHost host, SocketContext context, Options options, SocketSync sync, PipeSet pipes,
              SocketEvents events) {
        this.socket = socket;
        this.host = host;
        this.context = context;
        this.type = socket.type();
        this.options = options;
        this.sync = sync;
        this.pipes = pipes;
        this.events = events;
    }

    // ---- bind and connect ---------------------------------------------------------------------

    String bind(String endpoint) {
        socket.checkUsable();
        var parsed = context.transports().parse(endpoint);
        checkDgramTransport(parsed);
        if (parsed.transport() instanceof DatagramTransport datagram) {
            // udp has no listener; for epgm, as libzmq, bind and connect are the same (both join the group).
            try {
                return open(endpoint, datagram, parsed.endpoint(), true);
            } catch (ZmqException e) {
                events.emit(SocketEvent.Type.BIND_FAILED, endpoint, null, e.error().errno(), e.getMessage());
                throw e;
            }
        }
        var transport = (ListeningTransport) parsed.transport();
        if (transport instanceof StreamTransport) {
            Mechanisms.validate(options);
        }
        Listener listener;
        try {
            listener = transport.bind(host, parsed.endpoint());
        } catch (ZmqException e) {
            events.emit(SocketEvent.Type.BIND_FAILED, endpoint, null, e.error().errno(), e.getMessage());
            throw e;
        }
        var actual = listener.endpoint();
        sync.lock();
        try {
            if (socket.isClosed()) {
                listener.close();
                socket.checkUsable();
            }
            listeners.put(actual, listener);
            bindAliases.put(endpoint, actual);
            lastEndpoint = actual;
        } finally {
            sync.unlock();
        }
        listener.start();
        events.emit(SocketEvent.Type.LISTENING, actual, null, 0, null);
        return actual;
    }

    void connect(String endpoint) {
        socket.checkUsable();
        var parsed = context.transports().parse(endpoint);
        checkDgramTransport(parsed);
        if (parsed.transport() instanceof DatagramTransport datagram) {
            open(endpoint, datagram, parsed.endpoint(), false);
            return;
        }
        if (parsed.transport() instanceof InprocRegistry inproc) {
            var session = inproc.connect(host, parsed.endpoint(), takeConnectRoutingId());
            sync.lock();
            try {
                addConnection(endpoint, session);
                lastEndpoint = endpoint;
            } finally {
                sync.unlock();
            }
            return;
        }
        var stream = (StreamTransport) parsed.transport();
        Mechanisms.validate(options);
        if (stream instanceof NameResolvingTransport resolving && options.flag(SocketOption.CONNECT_ALL_ADDRESSES)) {
            connectAll(endpoint, resolving, parsed.endpoint());
            return;
        }
        var dialer = stream.dialer(host, parsed.endpoint());
        ConnectingSession session;
        sync.lock();
        try {
            socket.checkUsable();
            session = new ConnectingSession(host, socket.nextIoThread(), endpoint, dialer, takeConnectRoutingId());
            sessions.add(session);
            // Connecting twice to one endpoint makes two connections, as in libzmq.
            addConnection(endpoint, session);
            lastEndpoint = endpoint;
        } finally {
            sync.unlock();
        }
        session.start();
    }

    /**
     * Lock held: {@code session} is one of {@code endpoint}'s connections. A get and a put, not
     * computeIfAbsent with a lambda, which a process's first connect spun (about 0.4 ms cold).
     */
    private void addConnection(String endpoint, Session session) {
        var list = connections.get(endpoint);
        if (list == null) {
            list = new ArrayList<>();
            connections.put(endpoint, list);
        }
        list.add(session);
    }

    /** CONNECT_ALL_ADDRESSES: one session per address behind the endpoint's name, following it as it changes. */
    private void connectAll(String endpoint, NameResolvingTransport transport, Endpoint parsed) {
        if (options.get(SocketOption.CONNECT_ROUTING_ID).length > 0) {
            throw new ZmqException(ZmqError.EINVAL, "cannot connect to '" + endpoint + "' with CONNECT_ALL_ADDRESSES and"
                    + " CONNECT_ROUTING_ID: the routing id names one peer and the name may stand for several; clear"
                    + " CONNECT_ROUTING_ID or CONNECT_ALL_ADDRESSES");
        }
        var target = transport.resolvable(host, parsed);
        ResolvingConnector connector;
        sync.lock();
        try {
            socket.checkUsable();
            connector = new ResolvingConnector(host, this, socket.nextIoThread(), endpoint, target, nameResolver, context.nameLookups());
            resolving.computeIfAbsent(endpoint, k -> new ArrayList<>()).add(connector);
            lastEndpoint = endpoint;
        } finally {
            sync.unlock();
        }
        connector.start();
    }

    /**
     * Opens a udp or epgm endpoint (its sockets now, so errors reach the caller) and registers it
     * like a connection, under the endpoint as opened (with the real port of {@code udp://*:*}) and
     * the endpoint as given. Returns the former.
     */
    private String open(String endpoint, DatagramTransport transport, Endpoint parsed, boolean bind) {
        var opened = transport.open(host, parsed, bind);
        var session = opened.session();
        var actual = opened.endpoint();
        sync.lock();
        try {
            if (socket.isClosed()) {
                session.terminate();
                socket.checkUsable();
            }
            // A DGRAM socket's endpoints are all udp (checkDgramTransport).
            if (type == SocketType.DGRAM && !connections.isEmpty()) {
                session.terminate();
                // As libzmq's dgram.cpp, which keeps one pipe only (it would silently ignore this one).
                throw new ZmqException(ZmqError.EINVAL, "a DGRAM socket has one udp endpoint and is already bound to "
                        + String.join(", ", connections.keySet()) + ": unbind it first, or use another socket");
            }
            sessions.add(session);
            addConnection(actual, session);
            if (!actual.equals(endpoint)) {
                bindAliases.put(endpoint, actual);
            }
            lastEndpoint = actual;
        } finally {
            sync.unlock();
        }
        session.start();
        return actual;
    }

    /** DGRAM speaks plain UDP: libzmq gives it no other transport. */
    private void checkDgramTransport(Transports.Parsed parsed) {
        if (type == SocketType.DGRAM && !parsed.transport().carriesDgram()) {
            throw new ZmqException(ZmqError.ENOCOMPATPROTO, "DGRAM sockets work over udp:// only, not " + parsed.endpoint().transport()
                    + ":// ('" + parsed.endpoint().text() + "'): bind e.g. udp://*:5555");
        }
    }

    /**
     * CONNECT_ROUTING_ID, which applies to the next connect only (libzmq clears it there), or null.
     * Types that do not take the option never have it set.
     */
    private byte[] takeConnectRoutingId() {
        var id = options.get(SocketOption.CONNECT_ROUTING_ID);
        if (id.length == 0) {
            return null;
        }
        options.set(SocketOption.CONNECT_ROUTING_ID, new byte[0]);
        return id;
    }

    void setNameResolver(NameResolver resolver) {
        nameResolver = Objects.requireNonNull(resolver, "resolver");
    }

    NameResolver nameResolver() {
        return nameResolver;
    }

    void refreshAddresses() {
        List<ResolvingConnector> all = new ArrayList<>();
        sync.lock();
        try {
            resolving.values().forEach(all::addAll);
        } finally {
            sync.unlock();
        }
        all.forEach(ResolvingConnector::refresh);
    }

    @Override
    public boolean addResolved(ResolvingConnector connector, String address, ConnectingSession session) {
        sync.lock();
        try {
            if (socket.isClosed() || connector.isStopped()) {
                return false;
            }
            sessions.add(session);
            addConnection(connector.endpoint(), session);
            connector.live().put(address, session);
            return true;
        } finally {
            sync.unlock();
        }
    }

    /**
     * An address vanished from behind a name: as {@link #disconnect(String)} does for an endpoint,
     * nothing new is routed to it and its session lingers until what is queued is delivered.
     * False if it was not there (its session ended, or the endpoint is gone).
     */
    @Override
    public boolean retireResolved(ResolvingConnector connector, String address) {
        ConnectingSession session;
        sync.lock();
        try {
            if (connector.isStopped()) {
                return false;
            }
            session = connector.live().remove(address);
            if (session == null) {
                return false;
            }
            connector.retiring().add(session);
            var list = connections.get(connector.endpoint());
            if (list != null) {
                list.remove(session);
                if (list.isEmpty()) {
                    connections.remove(connector.endpoint());
                }
            }
            var retired = session;
            pipes.stopRouting(e -> e == retired);
        } finally {
            sync.unlock();
        }
        session.linger(socket.lingerMillis());
        return true;
    }

    // ---- unbind and disconnect ----------------------------------------------------------------

    void unbind(String endpoint) {
        socket.checkUsable();
        if (context.transports().find(endpoint) instanceof DatagramTransport) {
            // A bound udp or epgm endpoint is a connection (see open), under the endpoint as opened.
            String actual;
            sync.lock();
            try {
                actual = bindAliases.getOrDefault(endpoint, endpoint);
                if (connections.containsKey(actual)) {
                    bindAliases.values().removeIf(actual::equals);
                }
            } finally {
                sync.unlock();
            }
            disconnect(actual);
            return;
        }
        Listener listener;
        sync.lock();
        try {
            var actual = bindAliases.getOrDefault(endpoint, endpoint);
            listener = listeners.remove(actual);
            if (listener == null) {
                throw new ZmqException(ZmqError.ENOENT, "cannot unbind '" + endpoint + "': this socket is not bound to it"
                        + (listeners.isEmpty() ? "" : " (bound: " + String.join(", ", listeners.keySet()) + ")"));
            }
            bindAliases.values().removeIf(actual::equals);
        } finally {
            sync.unlock();
        }
        listener.close();
        events.emit(SocketEvent.Type.CLOSED, listener.endpoint(), null, 0, null);
    }

    void disconnect(String endpoint) {
        socket.checkUsable();
        List<Session> ended;
        sync.lock();
        try {
            ended = connections.remove(endpoint);
            var followed = resolving.remove(endpoint);
            if (ended == null && followed == null) {
                var known = new TreeSet<>(connections.keySet());
                known.addAll(resolving.keySet());
                throw new ZmqException(ZmqError.ENOENT, "cannot disconnect '" + endpoint + "': this socket is not connected to it"
                        + (known.isEmpty() ? "" : " (connected: " + String.join(", ", known) + ")"));
            }
            if (followed != null) {
                followed.forEach(ResolvingConnector::stop);
            }
            if (ended == null) {
                ended = List.of();
            }
        } finally {
            sync.unlock();
        }
        sync.lock();
        try {
            // As libzmq: once disconnect() returns, nothing new is routed to that peer; what is
            // already queued still drains during LINGER.
            var gone = ended;
            pipes.stopRouting(gone::contains);
        } finally {
            sync.unlock();
        }
        long linger = socket.lingerMillis();
        ended.forEach(s -> s.linger(linger));
    }

    /**
     * What closing the socket ends: its listeners, closed outside the lock, and its sessions, which
     * linger.
     */
    record Closing(List<Listener> listeners, List<Session> sessions) {
    }

    /** Lock held, the socket just marked closed: stops following names and says what to close. */
    Closing closeAll() {
        var toClose = new ArrayList<>(listeners.values());
        listeners.clear();
        var toLinger = new ArrayList<>(sessions);
        for (var list : resolving.values()) { // loops, not lambdas: nothing to spin in a cold JVM's close
            for (var connector : list) {
                connector.stop();
            }
        }
        if (sessions.isEmpty()) {
            socket.markTerminated();
        }
        return new Closing(toClose, toLinger);
    }

    /** After {@link #closeAll()}, without the lock: closes the listeners (each told to the monitors). */
    void closeListeners(Closing closing) {
        for (var l : closing.listeners()) {
            l.close();
            events.emit(SocketEvent.Type.CLOSED, l.endpoint(), null, 0, null);
        }
    }

    /** The endpoint last bound or connected (LAST_ENDPOINT); lock held, or once the socket closed. */
    String lastEndpoint() {
        return lastEndpoint;
    }

    // ---- sessions -----------------------------------------------------------------------------

    /** Registers a session created by a listener or a transport; false if the socket is already closed. */
    boolean addSession(Session session) {
        sync.lock();
        try {
            if (socket.isClosed()) {
                return false;
            }
            sessions.add(session);
            return true;
        } finally {
            sync.unlock();
        }
    }

    /** A session ended; the last one to end after close completes the socket's termination. */
    void sessionEnded(Session session) {
        sync.lock();
        try {
            if (sessions.remove(session)) {
                var m = session.multicastStatistics();
                if (m != MulticastStatistics.NONE) { // only epgm sessions have any
                    endedMulticast = endedMulticast.plus(m);
                }
            }
            if (!connections.isEmpty()) {
                for (var it = connections.values().iterator(); it.hasNext(); ) {
                    var list = it.next();
                    list.remove(session);
                    if (list.isEmpty()) {
                        it.remove();
                    }
                }
            }
            if (!resolving.isEmpty() && session instanceof ConnectingSession cs && cs.address() != null) {
                for (var list : resolving.values()) {
                    for (var c : list) {
                        c.retiring().remove(cs);
                        c.live().remove(cs.address(), cs); // ended on its own: the next lookup connects again
                    }
                }
            }
            if (socket.isClosed() && sessions.isEmpty()) {
                socket.markTerminated();
            }
        } finally {
            sync.unlock();
        }
    }

    // ---- statistics ---------------------------------------------------------------------------

    /** Lock held: the addresses behind CONNECT_ALL_ADDRESSES endpoints. */
    List<ResolvedAddress> resolvedAddresses() {
        if (resolving.isEmpty() || socket.isClosed()) {
            return List.of();
        }
        var queued = pipes.queuedByConnection();
        var out = new ArrayList<ResolvedAddress>();
        for (var list : resolving.values()) {
            for (var c : list) {
                c.live().forEach((address, s) -> out.add(new ResolvedAddress(c.endpoint(), address, s.isConnected(), false,
                        queued.getOrDefault(s, 0L))));
                for (var s : c.retiring()) {
                    out.add(new ResolvedAddress(c.endpoint(), s.address(), s.isConnected(), true, queued.getOrDefault(s, 0L)));
                }
            }
        }
        out.sort(Comparator.comparing(ResolvedAddress::endpoint).thenComparing(ResolvedAddress::address)
                .thenComparing(ResolvedAddress::draining));
        return out;
    }

    /** Lock held: the counters of the epgm sessions, live and ended. */
    MulticastStatistics multicastStatistics() {
        var total = endedMulticast;
        for (var session : sessions) {
            var m = session.multicastStatistics();
            if (m != MulticastStatistics.NONE) { // only epgm sessions have any
                total = total.plus(m);
            }
        }
        return total;
    }
}
