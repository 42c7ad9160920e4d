package dev.zmq.spring.listener;

/** Names of the Spring Messaging headers a {@code @ZmqListener} method can ask for with {@code @Header}. */
public final class ZmqHeaders {
    private static final String PREFIX = "zmq_";

    /** SUB/XSUB: the topic, i.e. the first frame of a multi-frame message, else the subscription that matched (String). */
    public static final String TOPIC = PREFIX + "topic";
    /** ROUTER: the routing id of the peer that sent the message (byte[]; a String parameter gets it as UTF-8). */
    public static final String ROUTING_ID = PREFIX + "routingId";
    /**
     * The IP address of the peer that sent this message (String, e.g. {@code 127.0.0.1}; libzmq's
     * {@code Peer-Address} message property), whatever the number of peers; null for ipc and inproc.
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

    private ZmqHeaders() {
    }
}
