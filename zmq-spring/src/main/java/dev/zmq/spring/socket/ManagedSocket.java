package dev.zmq.spring.socket;

import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A socket the starter created, with what health and metrics need to know about it: the
 * endpoints it really bound, the peers connected (from the socket monitor) and its last error.
 */
public final class ManagedSocket {

    /** Who owns the socket. */
    public enum Origin {
        /** Declared under {@code zmq.sockets}; a bean. */
        CONFIGURATION,
        /** Declared inline by a {@code @ZmqListener}; owned by its container. */
        LISTENER
    }

    /** The last failure seen on the socket. */
    public record LastError(String message, Instant at) {
    }

    private final String name;
    private final SocketType type;
    private final Origin origin;
    private final ZmqSocket socket;
    private final SocketStats stats;
    private final List<String> bound = new CopyOnWriteArrayList<>();
    private final List<String> connected = new CopyOnWriteArrayList<>();
    private final Map<String, String> peers = new ConcurrentHashMap<>();
    /** Connect endpoints that follow a name: zmq-core's endpoint to the one configured. */
    private final Map<String, String> followed = new ConcurrentHashMap<>();
    private volatile AutoCloseable monitor;
    private volatile LastError lastError;
    private volatile boolean bindFailed;
    private volatile String security;
    private volatile String zapDomain;
    private volatile List<String> subscriptions = List.of();
    private volatile boolean headerEnvelope;

    public ManagedSocket(String name, SocketType type, Origin origin, ZmqSocket socket, SocketStats stats) {
        this.name = name;
        this.type = type;
        this.origin = origin;
        this.socket = socket;
        this.stats = stats;
        stats.attach(socket);
    }

    public String name() {
        return name;
    }

    /** The topics a SUB or XSUB socket was subscribed to when created (empty for other types). */
    public List<String> subscriptions() {
        return subscriptions;
    }

    /** Records the subscriptions made when the socket was created. */
    public void subscribed(List<String> topics) {
        this.subscriptions = List.copyOf(topics);
    }

    /**
     * Whether every message on this socket starts with a header frame
     * ({@link dev.zmq.spring.headers.ZmqHeaderFrame}; {@code zmq.sockets.<name>.headers}). Off: the socket's
     * messages are plain ZeroMQ, byte for byte.
     */
    public boolean headerEnvelope() {
        return headerEnvelope;
    }

    /** Turns the header envelope on or off (set once, when the socket is created). */
    public void headerEnvelope(boolean on) {
        this.headerEnvelope = on;
    }

    public SocketType type() {
        return type;
    }

    public Origin origin() {
        return origin;
    }

    public ZmqSocket socket() {
        return socket;
    }

    public SocketStats stats() {
        return stats;
    }

    /** Endpoints bound, with the real port of {@code tcp://host:*}. */
    public List<String> boundEndpoints() {
        return List.copyOf(bound);
    }

    /** Endpoints this socket connects to. */
    public List<String> connectEndpoints() {
        return List.copyOf(connected);
    }

    /** Remote addresses of the peers whose handshake completed and that are still connected. */
    public List<String> peers() {
        return List.copyOf(peers.values());
    }

    public LastError lastError() {
        return lastError;
    }

    /**
     * The security mechanism and role, as the socket's options select them: {@code "NULL"},
     * {@code "PLAIN server"}, {@code "CURVE client"}... Never a key.
     */
    public String security() {
        var known = security;
        if (known == null && !socket.isClosed()) {
            describeSecurity();
            known = security;
        }
        return known;
    }

    /** The socket's ZAP domain, or null when it has none. */
    public String zapDomain() {
        return zapDomain;
    }

    /** Reads the mechanism, role and ZAP domain from the socket's options (after security settings and customizers). */
    void describeSecurity() {
        try {
            var mechanism = socket.get(SocketOption.MECHANISM);
            boolean server = socket.get(SocketOption.PLAIN_SERVER) || socket.get(SocketOption.CURVE_SERVER);
            var domain = socket.get(SocketOption.ZAP_DOMAIN);
            zapDomain = domain == null || domain.isEmpty() ? null : domain;
            security = mechanism.equals("NULL") ? mechanism : mechanism + (server ? " server" : " client");
        } catch (dev.zmq.ZmqException e) {
            // closed meanwhile: keep what was known
        }
    }

    /** Whether binding one of its endpoints failed. */
    public boolean bindFailed() {
        return bindFailed;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    void addBound(String endpoint) {
        bound.add(endpoint);
    }

    void addConnected(String endpoint) {
        connected.add(endpoint);
    }

    void addFollowed(String configured, String endpoint) {
        connected.add(configured);
        followed.put(endpoint, configured);
    }

    /** Whether some connect endpoint follows a name (dns+tcp://, discovery://), so a refresh may change its addresses. */
    public boolean followsNames() {
        return !followed.isEmpty();
    }

    /**
     * Resolves the names of the endpoints that follow names (dns+tcp://, discovery://, or any connect
     * made with the option connect-all-addresses) again now: a registry announced a change.
     */
    public void refreshAddresses() {
        if (!socket.isClosed()) {
            try {
                socket.refreshAddresses();
            } catch (dev.zmq.ZmqException e) {
                // closed meanwhile: nothing to refresh
            }
        }
    }

    /**
     * The addresses behind the endpoints that follow a name, each with its configured endpoint
     * ({@code discovery://orders-service}), whether it is connected, draining (gone from the name,
     * delivering what was queued) and how many messages are queued for it.
     */
    public List<Map<String, Object>> resolvedAddresses() {
        if (socket.isClosed()) {
            return List.of();
        }
        var out = new java.util.ArrayList<Map<String, Object>>();
        for (var a : socket.statistics().resolvedAddresses()) {
            var d = new java.util.LinkedHashMap<String, Object>();
            d.put("endpoint", followed.getOrDefault(a.endpoint(), a.endpoint()));
            d.put("address", a.address());
            d.put("connected", a.connected());
            if (a.draining()) {
                d.put("draining", true);
            }
            d.put("queued", a.messagesQueued());
            out.add(d);
        }
        return out;
    }

    void bindFailed(String endpoint, Exception e) {
        bindFailed = true;
        error("bind " + endpoint + " failed: " + e.getMessage());
    }

    void monitor(AutoCloseable handle) {
        this.monitor = handle;
    }

    /** Records a failure seen by the starter (listener, template) on this socket. */
    public void error(String message) {
        lastError = new LastError(message, Instant.now());
    }

    void onEvent(SocketEvent event) {
        var key = event.endpoint() + " " + event.peerAddress();
        switch (event.type()) {
            case HANDSHAKE_SUCCEEDED -> peers.put(key, event.peerAddress() != null ? event.peerAddress() : event.endpoint());
            case DISCONNECTED -> peers.remove(key); // peers come and go: not an error
            case HANDSHAKE_FAILED_NO_DETAIL, HANDSHAKE_FAILED_PROTOCOL, HANDSHAKE_FAILED_AUTH ->
                    error("handshake with " + event.peerAddress() + " failed: " + event.reason());
            case BIND_FAILED, ACCEPT_FAILED, CLOSE_FAILED -> error(event.type() + " " + event.endpoint() + ": " + event.reason());
            case MONITOR_STOPPED -> peers.clear();
            default -> {
            }
        }
    }

    /** Closes the socket (pending output keeps flushing for up to its LINGER). */
    public void close() {
        var m = monitor;
        if (m != null) {
            try {
                m.close();
            } catch (Exception ignored) {
                // the socket is going anyway
            }
        }
        socket.close();
        peers.clear();
        stats.detach(socket);
    }
}
