package dev.zmq.spring.listener;

/** Names of the Spring Messaging headers a {@code @ZmqListener} method can ask for with {@code @Header}. */
public final class ZmqHeaders {
    private static final String PREFIX = "zmq_";

    /** SUB/XSUB: the topic, i.e. the first frame of a multi-frame message, else the subscription that matched (String). */
    public static final String TOPIC = PREFIX + "topic";
    /**
     * ROUTER: the routing id of the peer that sent the message; DGRAM: the sender's address frame,
     * {@code ip:port}, where the listener's return value goes (byte[]; a String parameter gets it as UTF-8).
     */
    public static final String ROUTING_ID = PREFIX + "routingId";
    /**
     * The IP address of the peer that sent this message (String, e.g. {@code 127.0.0.1}; libzmq's
     * {@code Peer-Address} message property), whatever the number of peers; null for ipc and inproc. On
     * DGRAM the IP address of the datagram's sender (its address frame without the port).
     */
    public static final String PEER_ADDRESS = PREFIX + "peerAddress";
    /** The name of the socket the message came from (String). */
    public static final String SOCKET = PREFIX + "socket";
    /** The type of that socket (dev.zmq.SocketType). */
    public static final String SOCKET_TYPE = PREFIX + "socketType";
    /** The id of the listener handling the message (String). */
    public static final String LISTENER_ID = PREFIX + "listenerId";
    /** The message as received, without the ROUTER/REP envelope (dev.zmq.Message). */
    public static final String RAW_MESSAGE = PREFIX + "message";
    /** The number of frames of {@link #RAW_MESSAGE} (Integer). */
    public static final String FRAME_COUNT = PREFIX + "frames";
    /**
     * The authenticated identity of the sender (String): the {@code User-Id} the ZAP authenticator gave
     * its connection, i.e. the PLAIN user name, or the client's public key in Z85 for CURVE. Absent with
     * the NULL mechanism, so ask for it with {@code @Header(name = ZmqHeaders.USER_ID, required = false)}
     * on sockets that may have unauthenticated peers.
     */
    public static final String USER_ID = PREFIX + "userId";
    /**
     * All the properties of the sender's connection ({@code Map<String, String>}, names case-insensitive):
     * {@code Socket-Type}, {@code Identity}, {@code Peer-Address}, {@code User-Id} and the metadata a ZAP
     * handler returned ({@code dev.zmq.Message#properties()}).
     */
    public static final String PROPERTIES = PREFIX + "properties";

    /**
     * All the headers of the message's header frame ({@code Map<String, String>}; empty on sockets without
     * the header envelope). Each is also a message header of its own name, so {@code @Header("traceparent")}
     * or {@code @Header("tenant")} reads one.
     */
    public static final String ENVELOPE = PREFIX + "envelope";
    /** Header-envelope name: the payload's content type (e.g. {@code application/json}), written by the template. */
    public static final String CONTENT_TYPE = "content-type";
    /**
     * Header-envelope name: the payload's type, a simple or fully qualified class name (e.g. {@code Order}), which
     * picks the {@link ZmqHandler} of a class-level {@link ZmqListener}. Set by the sender; never used to load a class.
     */
    public static final String PAYLOAD_TYPE = "payload-type";
    /** Header-envelope name: a correlation id, echoed in the replies of listeners on sockets with the envelope. */
    public static final String CORRELATION_ID = "correlation-id";

    /** True on the message given to a batch listener (Boolean). */
    public static final String BATCH = PREFIX + "batch";
    /** A batch listener's messages as received ({@code List<dev.zmq.Message>}). */
    public static final String BATCH_MESSAGES = PREFIX + "batchMessages";

    private ZmqHeaders() {
    }
}
