package dev.zmq;

/**
 * A snapshot of one socket's counters, read with {@link ZmqSocket#statistics()}. Counters start at
 * zero when the socket is created and only grow (except the two gauges, {@link #messagesQueued()}
 * and {@link #connectedPeers()}); they are not reset by reconnections and stay readable after
 * {@link ZmqSocket#close()}.
 *
 * <p>Messages are counted whole, however many frames they have; bytes are the sum of the frame
 * contents ({@link Message#byteSize()}), without ZMTP framing. Traffic is counted as the
 * application sees it: a ROUTER's routing-id frame counts in the messages it sends and receives,
 * the envelope a REQ or REP adds or strips on the wire does not, and frames sent with
 * {@code sendMore}/{@code send(byte[])} count as one message when the last frame is sent.
 *
 * @param messagesSent      messages the socket accepted from {@code send}/{@code trySend} (the call
 *                          returned normally or true): queued for a peer's connection, or dropped as
 *                          the pattern says (then also counted in {@code messagesDropped}). A message
 *                          accepted is not proof of delivery: it may still be queued, and a message
 *                          still queued when a connection is lost for good or LINGER expires is lost
 *                          without being counted anywhere. A PUB message counts once however many
 *                          subscribers it goes to. Sends that timed out or failed are not counted.
 * @param bytesSent         the frame bytes of {@code messagesSent}
 * @param messagesReceived  messages returned to the application by {@code recv}/{@code tryRecv}/{@code recvFrame}
 *                          (the latter counts a message once, when its first frame is taken)
 * @param bytesReceived     the frame bytes of {@code messagesReceived}
 * @param messagesDropped   accepted outgoing messages that the pattern silently did not queue: a PUB or
 *                          XPUB subscriber at its SNDHWM (one per subscriber that missed the message), a
 *                          ROUTER message whose routing id matches no connected peer or whose peer is at
 *                          its SNDHWM (without ROUTER_MANDATORY, which fails the send instead), a REP reply
 *                          whose requester left or is full, an XSUB upstream message to a publisher at its
 *                          SNDHWM, and a queued message replaced by a newer one under CONFLATE
 * @param messagesDiscarded messages that arrived from peers but were thrown away before the application
 *                          could receive them: a SUB/XSUB message matching no subscription, a reply a REQ
 *                          did not expect (another peer's, an earlier request's under REQ_CORRELATE, or
 *                          malformed), a REP request without an envelope delimiter, and an unread message
 *                          replaced by a newer one under CONFLATE
 * @param messagesQueued    gauge: messages (including subscriptions the socket sends itself) waiting in the
 *                          outgoing queues of all peers, not yet taken by their connections; 0 once the
 *                          socket is closed
 * @param connectedPeers    gauge: peers connected now, with the handshake done (inproc peers included);
 *                          0 once the socket is closed
 * @param handshakeFailures connections whose ZMTP handshake failed (protocol error, refused credentials,
 *                          timeout): the HANDSHAKE_FAILED_* {@linkplain SocketEvent monitor events}
 * @param connectRetries    connection attempts scheduled again after a refused connect or a lost connection
 *                          ({@link SocketEvent.Type#CONNECT_RETRIED})
 * @param disconnects       connections that ended on their own (peer gone, network or protocol error, failed
 *                          handshake), not by this application's close, unbind or disconnect
 *                          ({@link SocketEvent.Type#DISCONNECTED})
 * @param internalErrors    connections closed because handling them failed inside this library (an
 *                          OutOfMemoryError, a bug): that connection only is lost, the I/O thread goes on
 *                          serving the others; each is also a DISCONNECTED event with the error as reason
 * @param ioThreadFailures  I/O threads of the socket's context that stopped for good on an error they
 *                          could not recover from ({@link SocketEvent.Type#IO_THREAD_FAILED}): not 0 means
 *                          the context no longer serves some connections and should be recreated
 * @param resolvedAddresses every address behind the endpoints connected with
 *                          {@link SocketOption#CONNECT_ALL_ADDRESSES}, with its state, ordered by endpoint
 *                          and address; empty for other sockets and once the socket is closed
 */
public record SocketStatistics(
        long messagesSent,
        long bytesSent,
        long messagesReceived,
        long bytesReceived,
        long messagesDropped,
        long messagesDiscarded,
        long messagesQueued,
        int connectedPeers,
        long handshakeFailures,
        long connectRetries,
        long disconnects,
        long internalErrors,
        long ioThreadFailures,
        java.util.List<ResolvedAddress> resolvedAddresses) {

    /** All zero: a socket that has done nothing, or the start of a sum. */
    public static final SocketStatistics NONE = new SocketStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public SocketStatistics {
        resolvedAddresses = java.util.List.copyOf(resolvedAddresses);
    }

    /** The counters of a socket without {@link SocketOption#CONNECT_ALL_ADDRESSES} endpoints. */
    public SocketStatistics(long messagesSent, long bytesSent, long messagesReceived, long bytesReceived,
                            long messagesDropped, long messagesDiscarded, long messagesQueued, int connectedPeers,
                            long handshakeFailures, long connectRetries, long disconnects, long internalErrors,
                            long ioThreadFailures) {
        this(messagesSent, bytesSent, messagesReceived, bytesReceived, messagesDropped, messagesDiscarded, messagesQueued,
                connectedPeers, handshakeFailures, connectRetries, disconnects, internalErrors, ioThreadFailures,
                java.util.List.of());
    }

    /**
     * The sum of both, field by field (e.g. the totals of several sockets, gauges included); the
     * resolved addresses of both, one list after the other.
     */
    public SocketStatistics plus(SocketStatistics other) {
        return new SocketStatistics(messagesSent + other.messagesSent, bytesSent + other.bytesSent,
                messagesReceived + other.messagesReceived, bytesReceived + other.bytesReceived,
                messagesDropped + other.messagesDropped, messagesDiscarded + other.messagesDiscarded,
                messagesQueued + other.messagesQueued, connectedPeers + other.connectedPeers,
                handshakeFailures + other.handshakeFailures, connectRetries + other.connectRetries,
                disconnects + other.disconnects, internalErrors + other.internalErrors,
                ioThreadFailures + other.ioThreadFailures,
                java.util.stream.Stream.concat(resolvedAddresses.stream(), other.resolvedAddresses.stream()).toList());
    }
}
