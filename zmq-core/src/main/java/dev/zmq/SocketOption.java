package dev.zmq;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A typed socket option, named as in libzmq ({@code ZMQ_SNDHWM} is {@link #SNDHWM}) and with
 * libzmq 4.3's default. Durations are in milliseconds as in libzmq, with {@code -1} meaning
 * "infinite" where libzmq says so.
 *
 * <pre>{@code
 * socket.set(SocketOption.SNDHWM, 10_000);
 * String endpoint = socket.get(SocketOption.LAST_ENDPOINT);
 * }</pre>
 *
 * <p>Setting or reading an option on a socket type that does not take it (ROUTER_MANDATORY on a
 * DEALER) fails with {@link ZmqError#EINVAL}, as in libzmq. Deliberate differences from libzmq
 * (see the README): pattern options and CURVE keys, write-only in libzmq, can be read back; an
 * option's default can always be set back (an empty ROUTING_ID or ZAP_DOMAIN, HEARTBEAT_TIMEOUT
 * -1, which libzmq refuses); options libzmq has and this library does not build are listed in
 * the README.
 *
 * @param <T> the value type
 */
public final class SocketOption<T> {
    private static final Map<String, SocketOption<?>> BY_NAME = new LinkedHashMap<>();

    // The checks of validate: a kind and a range per option rather than a lambda each, which the first
    // socket of a process spun at SocketOption's initialization (nine lambda classes, about 0.4 ms each cold).
    private static final int CHECK_NONE = 0;
    private static final int CHECK_RANGE = 1;
    private static final int CHECK_STRING = 2;
    private static final int CHECK_KEY = 3;
    private static final int CHECK_ROUTING_ID = 4;

    /** High-water mark for outbound messages, per peer; 0 means no limit. Default 1000. */
    public static final SocketOption<Integer> SNDHWM = intOption("SNDHWM", 1000, 0, Integer.MAX_VALUE);
    /** High-water mark for inbound messages, per peer; 0 means no limit. Default 1000. */
    public static final SocketOption<Integer> RCVHWM = intOption("RCVHWM", 1000, 0, Integer.MAX_VALUE);
    /**
     * How long, in ms, pending outbound messages are kept after close: -1 until delivered, also to a
     * peer that is down at close and comes back (as libzmq; bounded by {@link ZmqContext#maxLinger()},
     * so {@link ZmqContext#close()} never hangs), 0 discards them at once. Default -1, but 0 for SUB
     * and XSUB (as libzmq 4.3).
     */
    public static final SocketOption<Integer> LINGER = intOption("LINGER", -1, -1, Integer.MAX_VALUE);
    /**
     * The identity this socket announces to ROUTER peers: 1 to 255 bytes, not starting with 0; empty
     * (the default, which libzmq does not let you set back) announces none. Default empty.
     */
    public static final SocketOption<byte[]> ROUTING_ID = new SocketOption<>("ROUTING_ID", byte[].class, new byte[0], false, CHECK_ROUTING_ID, 0, 0);
    /** Initial reconnect interval in ms; -1 disables reconnection. Default 100. */
    public static final SocketOption<Integer> RECONNECT_IVL = intOption("RECONNECT_IVL", 100, -1, Integer.MAX_VALUE);
    /** Upper bound in ms for the exponential reconnect backoff; 0 keeps RECONNECT_IVL constant. Default 0. */
    public static final SocketOption<Integer> RECONNECT_IVL_MAX = intOption("RECONNECT_IVL_MAX", 0, 0, Integer.MAX_VALUE);
    /** Send timeout in ms: -1 blocks forever, 0 never blocks. Default -1. */
    public static final SocketOption<Integer> SNDTIMEO = intOption("SNDTIMEO", -1, -1, Integer.MAX_VALUE);
    /** Receive timeout in ms: -1 blocks forever, 0 never blocks. Default -1. */
    public static final SocketOption<Integer> RCVTIMEO = intOption("RCVTIMEO", -1, -1, Integer.MAX_VALUE);
    /** Largest inbound frame in bytes; a peer sending more is disconnected. -1 means no limit. Default -1. */
    public static final SocketOption<Long> MAXMSGSIZE = longOption("MAXMSGSIZE", -1L, -1L, Long.MAX_VALUE);
    /**
     * Largest inbound message in bytes, all its frames together (each frame counting 16 bytes more,
     * so a never-ending message of empty frames is bounded too); a peer sending more is disconnected
     * at the header of the frame that would pass the bound, before it is read. MAXMSGSIZE, as in
     * libzmq, bounds each frame only, so a peer could otherwise grow one multipart message without
     * end. -1 (the default) derives the bound from MAXMSGSIZE: none when MAXMSGSIZE is -1 (libzmq's
     * behaviour), otherwise 64 frames of MAXMSGSIZE, and at least 1 MiB. Not a libzmq option.
     */
    public static final SocketOption<Long> MAX_MULTIPART_SIZE = longOption("MAX_MULTIPART_SIZE", -1L, -1L, Long.MAX_VALUE);
    /** Queue messages only to completed connections. Default false. */
    public static final SocketOption<Boolean> IMMEDIATE = boolOption("IMMEDIATE", false);
    /**
     * ROUTER: raise {@link ZmqError#EHOSTUNREACH} for unroutable messages instead of dropping them,
     * block (or fail with {@link ZmqError#EAGAIN}) when the peer is at its HWM, and report the
     * socket writable when polled only while some peer can take a message. REP accepts it too, as
     * libzmq (a REP is a ROUTER underneath), where it changes nothing: a reply to a requester that
     * left is dropped. Default false.
     */
    public static final SocketOption<Boolean> ROUTER_MANDATORY = boolOption("ROUTER_MANDATORY", false);
    /** REQ: prefix requests with an id and accept only the matching reply. Default false. */
    public static final SocketOption<Boolean> REQ_CORRELATE = boolOption("REQ_CORRELATE", false);
    /** REQ: allow a new request before the reply to the previous one arrived. Default false. */
    public static final SocketOption<Boolean> REQ_RELAXED = boolOption("REQ_RELAXED", false);
    /** Keep only the latest message in each queue (single-frame messages only). Default false. */
    public static final SocketOption<Boolean> CONFLATE = boolOption("CONFLATE", false);
    /** SO_KEEPALIVE: -1 OS default, 0 off, 1 on. Default -1. */
    public static final SocketOption<Integer> TCP_KEEPALIVE = intOption("TCP_KEEPALIVE", -1, -1, 1);
    /** TCP_KEEPCNT: -1 OS default. Default -1. */
    public static final SocketOption<Integer> TCP_KEEPALIVE_CNT = intOption("TCP_KEEPALIVE_CNT", -1, -1, Integer.MAX_VALUE);
    /** TCP_KEEPIDLE in seconds: -1 OS default. Default -1. */
    public static final SocketOption<Integer> TCP_KEEPALIVE_IDLE = intOption("TCP_KEEPALIVE_IDLE", -1, -1, Integer.MAX_VALUE);
    /** TCP_KEEPINTVL in seconds: -1 OS default. Default -1. */
    public static final SocketOption<Integer> TCP_KEEPALIVE_INTVL = intOption("TCP_KEEPALIVE_INTVL", -1, -1, Integer.MAX_VALUE);
    /** Kernel send buffer size in bytes: -1 OS default. Default -1. */
    public static final SocketOption<Integer> SNDBUF = intOption("SNDBUF", -1, -1, Integer.MAX_VALUE);
    /** Kernel receive buffer size in bytes: -1 OS default. Default -1. */
    public static final SocketOption<Integer> RCVBUF = intOption("RCVBUF", -1, -1, Integer.MAX_VALUE);
    /** Listen backlog for bound endpoints. Default 100. */
    public static final SocketOption<Integer> BACKLOG = intOption("BACKLOG", 100, 0, Integer.MAX_VALUE);
    /** Allow IPv6 when resolving and binding (needed for {@code tcp://[::1]:port} binds to {@code *}). Default false. */
    public static final SocketOption<Boolean> IPV6 = boolOption("IPV6", false);
    /** Time in ms allowed for the ZMTP handshake before the connection is dropped; 0 means no limit. Default 30000. */
    public static final SocketOption<Integer> HANDSHAKE_IVL = intOption("HANDSHAKE_IVL", 30_000, 0, Integer.MAX_VALUE);

    /** Interval in ms between ZMTP PINGs on each connection; 0 disables heartbeats. Default 0. */
    public static final SocketOption<Integer> HEARTBEAT_IVL = intOption("HEARTBEAT_IVL", 0, 0, Integer.MAX_VALUE);
    /**
     * How long, in ms, the peer should wait for traffic after our PING before closing (sent in
     * tenths of a second, at most 6553500 ms); 0 means no limit. Default 0.
     */
    public static final SocketOption<Integer> HEARTBEAT_TTL = intOption("HEARTBEAT_TTL", 0, 0, 6_553_500);
    /** How long, in ms, to wait for any traffic after sending a PING before closing; -1 uses HEARTBEAT_IVL. Default -1. */
    public static final SocketOption<Integer> HEARTBEAT_TIMEOUT = intOption("HEARTBEAT_TIMEOUT", -1, -1, Integer.MAX_VALUE);
    /** XPUB: pass every subscription message to the application, not only new topics. Default false. */
    public static final SocketOption<Boolean> XPUB_VERBOSE = boolOption("XPUB_VERBOSE", false);
    /** XPUB: pass every subscription and unsubscription message to the application. Default false. */
    public static final SocketOption<Boolean> XPUB_VERBOSER = boolOption("XPUB_VERBOSER", false);
    /** XPUB: block (or fail with EAGAIN) when a matching subscriber is at its HWM instead of dropping. Default false. */
    public static final SocketOption<Boolean> XPUB_NODROP = boolOption("XPUB_NODROP", false);
    /**
     * XPUB: subscriptions are not applied automatically; the application applies them with
     * {@link ZmqSocket#subscribe(byte[])} for the subscriber that sent the last one. Default false.
     */
    public static final SocketOption<Boolean> XPUB_MANUAL = boolOption("XPUB_MANUAL", false);
    /** XPUB: a message sent to each new subscriber when it connects; empty for none. Default empty. */
    public static final SocketOption<byte[]> XPUB_WELCOME_MSG = new SocketOption<>("XPUB_WELCOME_MSG", byte[].class, new byte[0], false, CHECK_NONE, 0, 0);

    /**
     * ROUTER (and REP, as libzmq): a new connection announcing a routing id already in use takes
     * it over; the old connection is closed (what it sent stays readable, under a generated id).
     * Without it the new connection is refused. Default false.
     */
    public static final SocketOption<Boolean> ROUTER_HANDOVER = boolOption("ROUTER_HANDOVER", false);
    /**
     * Which I/O threads new connections may use, one bit per thread of the context (bit 0 is the
     * first); 0 means any of them. Default 0.
     */
    public static final SocketOption<Long> AFFINITY = longOption("AFFINITY", 0L, 0L, Long.MAX_VALUE);
    /**
     * How long, in ms, a TCP connect may take before it is abandoned and retried after
     * RECONNECT_IVL; 0 leaves it to the operating system. Default 0.
     */
    public static final SocketOption<Integer> CONNECT_TIMEOUT = intOption("CONNECT_TIMEOUT", 0, 0, Integer.MAX_VALUE);
    /**
     * ROUTER, STREAM (and REP): the routing id the peer of the next {@link ZmqSocket#connect(String)} gets
     * on this socket, instead of the one it announces or a generated one (1 to 255 bytes, not starting with 0).
     * Used by that connect and cleared, as libzmq does. Default empty.
     */
    public static final SocketOption<byte[]> CONNECT_ROUTING_ID = new SocketOption<>("CONNECT_ROUTING_ID", byte[].class, new byte[0], false,
            CHECK_ROUTING_ID, 0, 0);
    /**
     * STREAM: announce every new connection and every disconnection to the application with a
     * message of empty data ([routing id, empty]). Default true, as libzmq's ZMQ_STREAM_NOTIFY.
     */
    public static final SocketOption<Boolean> STREAM_NOTIFY = boolOption("STREAM_NOTIFY", true);
    /**
     * ROUTER, DEALER, REQ and REP: send an empty message to every new peer as soon as it is
     * attached, so a ROUTER on the other side learns our routing id at once. Default false.
     */
    public static final SocketOption<Boolean> PROBE_ROUTER = boolOption("PROBE_ROUTER", false);
    /**
     * Connect to every address behind a host name (not a libzmq option): a {@code tcp://host:port}
     * connect connects to every address the name stands for and follows it as it changes (every
     * {@link #RESOLVE_IVL} and on connection failures), disconnecting vanished addresses once their
     * queues drain within LINGER. See {@link NameResolver} and {@link ResolvedAddress}. Default false.
     */
    public static final SocketOption<Boolean> CONNECT_ALL_ADDRESSES = boolOption("CONNECT_ALL_ADDRESSES", false);
    /**
     * How often, in ms, a name connected with {@link #CONNECT_ALL_ADDRESSES} is resolved again; 0 only
     * on connection failures (and {@link ZmqSocket#refreshAddresses()}). Read at each resolution, so a
     * change applies from the next one. Not a libzmq option. Default 10000.
     */
    public static final SocketOption<Integer> RESOLVE_IVL = intOption("RESOLVE_IVL", 10_000, 0, Integer.MAX_VALUE);
    /** IP type of service (IPv4 TOS byte; traffic class over IPv6) of TCP connections. Default 0. */
    public static final SocketOption<Integer> TOS = intOption("TOS", 0, 0, 255);
    /**
     * PUB, XPUB, SUB: invert subscriptions, so a message goes to (or is received by) those whose
     * subscriptions it does NOT match. Set it on both sides of a PUB-SUB link. Default false.
     */
    public static final SocketOption<Boolean> INVERT_MATCHING = boolOption("INVERT_MATCHING", false);
    /** libzmq's deprecated inverse of {@link #IPV6}: setting it sets IPV6 to its opposite. Default true. */
    public static final SocketOption<Boolean> IPV4ONLY = boolOption("IPV4ONLY", true);

    /**
     * PLAIN (RFC 24): this socket is the server, checking clients' user names and passwords
     * through the ZAP handler ({@code inproc://zeromq.zap.01}). As in libzmq, setting it selects
     * the PLAIN mechanism (true) or NULL (false), and the last of the PLAIN and CURVE options set
     * decides the mechanism. Default false.
     */
    public static final SocketOption<Boolean> PLAIN_SERVER = boolOption("PLAIN_SERVER", false);
    /**
     * PLAIN client: the user name sent to the server (at most 255 bytes); selects PLAIN as client.
     * Setting it empty goes back to the NULL mechanism, as libzmq's {@code zmq_setsockopt} with a
     * NULL value. Default empty.
     */
    public static final SocketOption<String> PLAIN_USERNAME = stringOption("PLAIN_USERNAME");
    /**
     * PLAIN client: the password sent, in clear, to the server (at most 255 bytes); selects PLAIN as
     * client. Setting it empty goes back to the NULL mechanism, as for {@link #PLAIN_USERNAME}. Default empty.
     */
    public static final SocketOption<String> PLAIN_PASSWORD = stringOption("PLAIN_PASSWORD");
    /**
     * CURVE (RFC 25/26): this socket is the server (it needs {@link #CURVE_SECRETKEY}). Setting it
     * selects CURVE (true) or NULL (false). CURVE needs Bouncy Castle
     * ({@code org.bouncycastle:bcprov-jdk18on}) on the classpath. Default false.
     */
    public static final SocketOption<Boolean> CURVE_SERVER = boolOption("CURVE_SERVER", false);
    /**
     * CURVE: this socket's long-term public key, 32 bytes (for a 40-character Z85 string use
     * {@link ZmqSocket#setCurveKey(SocketOption, String)}); selects CURVE. Default empty.
     */
    public static final SocketOption<byte[]> CURVE_PUBLICKEY = keyOption("CURVE_PUBLICKEY");
    /** CURVE: this socket's long-term secret key, 32 bytes (or Z85 via {@link ZmqSocket#setCurveKey}); selects CURVE. Default empty. */
    public static final SocketOption<byte[]> CURVE_SECRETKEY = keyOption("CURVE_SECRETKEY");
    /**
     * CURVE client: the server's long-term public key, 32 bytes (or Z85 via
     * {@link ZmqSocket#setCurveKey}); selects CURVE as client. Default empty.
     */
    public static final SocketOption<byte[]> CURVE_SERVERKEY = keyOption("CURVE_SERVERKEY");
    /**
     * The ZAP domain sent with authentication requests (at most 255 bytes). With the NULL mechanism
     * a non-empty domain makes the socket ask the ZAP handler about each peer (address filtering),
     * as libzmq does. Default empty.
     */
    public static final SocketOption<String> ZAP_DOMAIN = stringOption("ZAP_DOMAIN");

    // ---- multicast (epgm) ----
    /** Multicast data rate in kilobits per second (epgm): sources never send faster, and receivers size their window with it. Default 100. */
    public static final SocketOption<Integer> RATE = intOption("RATE", 100, 1, Integer.MAX_VALUE);
    /**
     * How long, in ms, a multicast source keeps sent data for repairs (epgm); with RATE it sizes
     * the transmit window. Default 10000.
     */
    public static final SocketOption<Integer> RECOVERY_IVL = intOption("RECOVERY_IVL", 10_000, 0, Integer.MAX_VALUE);
    /** Time-to-live of outgoing multicast packets (epgm). Default 1: the local network only. */
    public static final SocketOption<Integer> MULTICAST_HOPS = intOption("MULTICAST_HOPS", 1, 1, 255);
    /**
     * Whether multicast sent by this socket reaches receivers on the same host (libzmq applies it
     * to udp://; its epgm always turns loopback off, and so does this one). Default true.
     */
    public static final SocketOption<Boolean> MULTICAST_LOOP = boolOption("MULTICAST_LOOP", true);

    /** Read-only: the socket's type. */
    public static final SocketOption<SocketType> TYPE = readOnly("TYPE", SocketType.class);
    /** Read-only: the last endpoint bound or connected, with the real port for {@code tcp://host:*}. */
    public static final SocketOption<String> LAST_ENDPOINT = readOnly("LAST_ENDPOINT", String.class);
    /** Read-only: the security mechanism the options select: {@code "NULL"}, {@code "PLAIN"} or {@code "CURVE"}. */
    public static final SocketOption<String> MECHANISM = readOnly("MECHANISM", String.class);
    /** Read-only: whether the message being read frame by frame (by the calling thread) has more frames. */
    public static final SocketOption<Boolean> RCVMORE = readOnly("RCVMORE", Boolean.class);
    /** Read-only: what the socket could do now, as libzmq's ZMQ_EVENTS: {@link ZmqPoller#POLLIN} and/or {@link ZmqPoller#POLLOUT}. */
    public static final SocketOption<Integer> EVENTS = readOnly("EVENTS", Integer.class);
    /**
     * Read-only: whether the socket may be used by several threads at once. Always true here (see
     * {@link ZmqSocket}); libzmq answers false for these socket types.
     */
    public static final SocketOption<Boolean> THREAD_SAFE = readOnly("THREAD_SAFE", Boolean.class);

    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final boolean readOnly;
    /** Which check {@link #validate} applies (CHECK_*), and the range of CHECK_RANGE. */
    private final int check;
    private final long min;
    private final long max;

    private SocketOption(String name, Class<T> type, T defaultValue, boolean readOnly, int check, long min, long max) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.readOnly = readOnly;
        this.check = check;
        this.min = min;
        this.max = max;
        synchronized (BY_NAME) {
            BY_NAME.put(name, this);
        }
    }

    /** The libzmq name without the {@code ZMQ_} prefix, for example {@code "SNDHWM"}. */
    public String name() {
        return name;
    }

    /** The Java type of the value. */
    public Class<T> type() {
        return type;
    }

    /** libzmq 4.3's default, or null for read-only options. */
    public T defaultValue() {
        return defaultValue instanceof byte[] b ? type.cast(b.clone()) : defaultValue;
    }

    /** Whether the option can only be read. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Checks {@code value} and returns it, or throws {@link ZmqError#EINVAL} with a message naming
     * the option, the value and the accepted range.
     */
    public T validate(Object value) {
        if (readOnly) {
            throw new ZmqException(ZmqError.EINVAL, "option " + name + " is read-only");
        }
        if (value == null) {
            throw new ZmqException(ZmqError.EINVAL, "option " + name + " cannot be null");
        }
        Object v = value;
        if (type == Long.class && value instanceof Integer i) {
            v = i.longValue();
        }
        if (!type.isInstance(v)) {
            throw new ZmqException(ZmqError.EINVAL, "option " + name + " takes a " + type.getSimpleName()
                    + ", not a " + value.getClass().getSimpleName());
        }
        T typed = type.cast(v);
        String problem = problem(typed);
        if (problem != null) {
            throw new ZmqException(ZmqError.EINVAL, "option " + name + " " + problem);
        }
        return typed instanceof byte[] b ? type.cast(b.clone()) : typed;
    }

    /** libzmq's older names of options, still defined in zmq.h 4.3. */
    private static final Map<String, String> ALIASES = Map.of(
            "IDENTITY", "ROUTING_ID",
            "CONNECT_RID", "CONNECT_ROUTING_ID",
            "DELAY_ATTACH_ON_CONNECT", "IMMEDIATE",
            "ROUTER_BEHAVIOR", "ROUTER_MANDATORY",
            "FAIL_UNROUTABLE", "ROUTER_MANDATORY");

    /**
     * The option named {@code name} (case-insensitive, with or without {@code ZMQ_}, with {@code -}
     * for {@code _}), also under libzmq's older names ({@code IDENTITY} for {@link #ROUTING_ID},
     * {@code CONNECT_RID}, {@code DELAY_ATTACH_ON_CONNECT}, {@code ROUTER_BEHAVIOR}, {@code FAIL_UNROUTABLE}).
     */
    public static Optional<SocketOption<?>> byName(String name) {
        var key = name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        if (key.startsWith("ZMQ_")) {
            key = key.substring(4);
        }
        key = ALIASES.getOrDefault(key, key);
        synchronized (BY_NAME) {
            return Optional.ofNullable(BY_NAME.get(key));
        }
    }

    /** Every option, in declaration order. */
    public static Map<String, SocketOption<?>> all() {
        synchronized (BY_NAME) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(BY_NAME));
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private static SocketOption<Integer> intOption(String name, int def, int min, int max) {
        return new SocketOption<>(name, Integer.class, def, false, CHECK_RANGE, min, max);
    }

    private static SocketOption<Long> longOption(String name, long def, long min, long max) {
        return new SocketOption<>(name, Long.class, def, false, CHECK_RANGE, min, max);
    }

    private static SocketOption<Boolean> boolOption(String name, boolean def) {
        return new SocketOption<>(name, Boolean.class, def, false, CHECK_NONE, 0, 0);
    }

    private static SocketOption<String> stringOption(String name) {
        return new SocketOption<>(name, String.class, "", false, CHECK_STRING, 0, 0);
    }

    /** A CURVE key: 32 bytes (empty clears it). The value is never put in an error message (it may be a secret key). */
    private static SocketOption<byte[]> keyOption(String name) {
        return new SocketOption<>(name, byte[].class, new byte[0], false, CHECK_KEY, 0, 0);
    }

    private static <T> SocketOption<T> readOnly(String name, Class<T> type) {
        return new SocketOption<>(name, type, null, true, CHECK_NONE, 0, 0);
    }

    /** What is wrong with {@code value} (of this option's type), or null. */
    private String problem(T value) {
        switch (check) {
            case CHECK_RANGE -> {
                long v = ((Number) value).longValue();
                return v < min || v > max ? "must be between " + min + " and " + max + ", got " + v : null;
            }
            case CHECK_STRING -> {
                return ((String) value).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255 ? "must be at most 255 bytes" : null;
            }
            case CHECK_KEY -> {
                int length = ((byte[]) value).length;
                return length != 32 && length != 0 ? "must be a 32-byte CURVE key (or empty to clear it), got " + length
                        + " bytes (a 40-character Z85 key goes through ZmqSocket.setCurveKey)" : null;
            }
            case CHECK_ROUTING_ID -> {
                return checkRoutingId((byte[]) value);
            }
            default -> {
                return null;
            }
        }
    }

    private static String checkRoutingId(byte[] id) {
        if (id.length > 255) {
            return "must be at most 255 bytes, got " + id.length;
        }
        if (id.length > 0 && id[0] == 0) {
            return "must not start with a zero byte (reserved for generated ids), got " + Arrays.toString(Arrays.copyOf(id, Math.min(id.length, 8)));
        }
        return null;
    }

}
