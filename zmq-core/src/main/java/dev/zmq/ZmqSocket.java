package dev.zmq;

import java.time.Duration;

/**
 * A ZeroMQ socket, created by {@link ZmqContext#socket(SocketType)}.
 *
 * <h2>Messages</h2>
 * The unit of transfer is the whole {@link Message}: {@link #send(Message)} queues all its frames
 * at once and {@link #recv()} returns all the frames of the next message. The frame-at-a-time calls
 * ({@link #sendMore(byte[])} then {@link #send(byte[])}; {@link #recvFrame()} with
 * {@link #hasMore()}) are there for code written in libzmq's style.
 *
 * <h2>Threads</h2>
 * Unlike a libzmq socket, this one may be shared between threads. The guarantee is exact:
 * <ul>
 *   <li>Every method is safe to call from any thread at any time.</li>
 *   <li>A message sent by one call ({@code send(Message)}, {@code send(byte[])}, {@code trySend})
 *       is queued atomically: its frames never interleave with another thread's message.</li>
 *   <li>Frame-at-a-time sends are collected per thread: the frames a thread passes to
 *       {@code sendMore} are held for that thread alone and queued as one message when the same
 *       thread calls {@code send}. Two threads building messages this way never mix frames.</li>
 *   <li>A receive returns one whole message to one thread. {@code recvFrame()} takes a whole
 *       message for the calling thread and hands out its frames one per call to that thread only;
 *       {@code hasMore()} answers for the calling thread.</li>
 *   <li>Which of several concurrent senders goes first, and which of several concurrent receivers
 *       gets the next message, is not specified. REQ and REP keep their lockstep across threads: two
 *       threads sharing a REQ socket must still alternate send and receive (use DEALER for
 *       concurrent requests).</li>
 * </ul>
 *
 * <h2>Blocking</h2>
 * Blocking calls honour SNDTIMEO and RCVTIMEO, and wake with {@link ZmqError#ETERM} when the
 * context is closed, or {@link ZmqError#ENOTSOCK} when the socket is closed by another thread.
 */
public interface ZmqSocket extends AutoCloseable {

    /** This socket's type. */
    SocketType type();

    /**
     * Accepts connections on {@code endpoint}, for example {@code tcp://*:5555},
     * {@code tcp://127.0.0.1:*} (an ephemeral port: read it from {@link SocketOption#LAST_ENDPOINT})
     * or {@code tcp://[::1]:5555}. Returns the endpoint actually bound, with the real port.
     *
     * <p>A DISH or DGRAM binds {@code udp://} endpoints: {@code udp://*:5555} or
     * {@code udp://127.0.0.1:*} for unicast, {@code udp://interface;group:port} (interface by name,
     * address or {@code *}) to join a multicast group, as libzmq.
     *
     * @throws ZmqException EINVAL for bad syntax, EPROTONOSUPPORT for an unknown transport,
     *         ENOCOMPATPROTO when the transport cannot carry this socket type (udp: RADIO connects,
     *         DISH and DGRAM bind), EADDRINUSE or EADDRNOTAVAIL when the address cannot be bound
     */
    String bind(String endpoint);

    /**
     * Connects to {@code endpoint} in the background: returns at once, retries with backoff
     * from RECONNECT_IVL to RECONNECT_IVL_MAX until the peer is there, and reconnects after a
     * disconnection. Messages sent meanwhile are queued up to the high-water mark (unless IMMEDIATE).
     *
     * <p>A RADIO connects to {@code udp://host:port} (unicast) or {@code udp://[interface;]group:port}
     * (multicast, leaving by that interface): each message is then one datagram, sent with no
     * handshake whether a DISH listens or not, as libzmq.
     *
     * @throws ZmqException EINVAL for bad syntax, EPROTONOSUPPORT for an unknown transport,
     *         ENOCOMPATPROTO when the transport cannot carry this socket type
     */
    void connect(String endpoint);

    /**
     * PEER: connects to {@code endpoint} as {@link #connect(String)} does and returns the routing id
     * that peer has on this socket, to put on the messages for it ({@link Message#withRoutingId(int)}),
     * as libzmq's {@code zmq_connect_peer}. The id is known at once, before the peer is reached.
     *
     * @throws ZmqException ENOTSUP on other socket types, EFAULT with IMMEDIATE set (as libzmq), and
     *         what {@link #connect(String)} throws
     */
    int connectPeer(String endpoint);

    /** Stops accepting on an endpoint passed to (or returned by) {@link #bind(String)}, closing its connections. */
    void unbind(String endpoint);

    /** Drops a connection made by {@link #connect(String)} and stops reconnecting to it. */
    void disconnect(String endpoint);

    /**
     * The resolver that finds the addresses behind the names of endpoints connected from now on
     * with {@link SocketOption#CONNECT_ALL_ADDRESSES}; {@link NameResolver#system()} by default.
     */
    void setNameResolver(NameResolver resolver);

    /** The resolver endpoints connected from now on with {@link SocketOption#CONNECT_ALL_ADDRESSES} use. */
    NameResolver nameResolver();

    /**
     * Resolves again, now, every endpoint connected with {@link SocketOption#CONNECT_ALL_ADDRESSES}
     * (for example when a service registry announces a change), instead of waiting for
     * {@link SocketOption#RESOLVE_IVL}. Returns at once; the lookups run in the background.
     */
    void refreshAddresses();

    /**
     * Sends a whole message, blocking while no peer has room for it, up to SNDTIMEO.
     *
     * @throws ZmqException EAGAIN when SNDTIMEO expires, EFSM when the pattern forbids sending now,
     *         EHOSTUNREACH for an unroutable ROUTER message with ROUTER_MANDATORY
     */
    void send(Message message);

    /**
     * Sends a whole message, waiting at most {@code timeout} for room.
     *
     * @return false if the message could not be queued in time (it was not sent)
     */
    boolean send(Message message, Duration timeout);

    /** Sends a whole message if it can be queued at once; returns false otherwise. */
    boolean trySend(Message message);

    /**
     * Sends {@code frame} as the last (or only) frame of the calling thread's message: with frames
     * given earlier to {@link #sendMore(byte[])} by this thread, or alone.
     *
     * <p>A one-frame message sent this way on PUSH, DEALER or PAIR is queued as the array itself,
     * with no {@link Message} made for it: the cheapest way to send many small messages. As with
     * {@link Message#of(byte[])}, the array is not copied, so do not change it after sending.
     */
    void send(byte[] frame);

    /** {@link #send(byte[])} of the UTF-8 bytes of {@code frame}. */
    void send(String frame);

    /** Adds a frame to the calling thread's message under construction; nothing is sent yet. */
    void sendMore(byte[] frame);

    /** {@link #sendMore(byte[])} of the UTF-8 bytes of {@code frame}. */
    void sendMore(String frame);

    /**
     * Receives the next whole message, blocking up to RCVTIMEO.
     *
     * @throws ZmqException EAGAIN when RCVTIMEO expires, EFSM when the pattern forbids receiving now
     */
    Message recv();

    /** Receives the next whole message, waiting at most {@code timeout}; null if none arrived in time. */
    Message recv(Duration timeout);

    /** The next whole message if one is ready, otherwise null. */
    Message tryRecv();

    /**
     * The next frame for the calling thread: the next frame of the message it is reading, or the
     * first frame of a newly received message (blocking up to RCVTIMEO). See {@link #hasMore()}.
     *
     * <p>On PULL, DEALER and PAIR, a one-frame message from a tcp or ipc peer comes as the array the
     * connection decoded, with no {@link Message} made for it (the cheapest way to receive many
     * small messages after {@link #recv(byte[])}, which allocates nothing). Use {@link #recv()} when you need the message's properties (User-Id,
     * Peer-Address, metadata).
     *
     * <p>Each frame received this way is a new array of the application's. For frames of many KiB that
     * the application only reads, {@link #recv(byte[])} into a buffer it keeps is cheaper: the copy
     * costs less than the new array's memory, above all under the JVM's default collector (G1, no
     * fixed heap), which grows the young generation through a process's first seconds, so that new
     * arrays land on pages touched for the first time (tcp 64 KiB x20k, one receiver: 20.8k msg/s
     * taking arrays, 28.6k copying into a buffer).
     */
    byte[] recvFrame();

    /**
     * libzmq's {@code zmq_recv}: copies the next frame for the calling thread into {@code buffer}
     * and returns the frame's whole size, blocking up to RCVTIMEO. As {@link #recvFrame()}, one
     * frame per call: the next frame of the message the thread is reading, or the first of a
     * newly received message; {@link #hasMore()} tells whether more frames follow. At most
     * {@code buffer.length} bytes are copied: a larger return value means the frame was cut off
     * (its rest is gone, as with {@code zmq_recv}).
     *
     * <p>The receive that allocates nothing per message. The connection decodes each frame into
     * an array of its own; once a one-frame message has been copied out here, that array goes
     * back to the connection (tcp and ipc, on PULL, DEALER, PAIR, REQ and REP), which decodes a
     * later frame of the same size into it instead of allocating one. A connection holds at most
     * 16 MiB of such arrays (a burst of 256 frames of 64 KiB, or 1,000 of up to 16 KiB), and lets go of
     * them once it has taken none for a second, so quiet peers hold none.
     *
     * @return the frame's size, which may exceed {@code buffer.length}
     * @throws ZmqException EAGAIN when RCVTIMEO expires, EFSM when the pattern forbids receiving now
     */
    int recv(byte[] buffer);

    /**
     * As {@link #recv(byte[])}, into {@code buffer[offset..offset+length)}: copies at most
     * {@code length} bytes and returns the frame's whole size.
     *
     * @throws IndexOutOfBoundsException if the range lies outside {@code buffer}
     */
    int recv(byte[] buffer, int offset, int length);

    /**
     * As {@link #recv(byte[], int, int)}, waiting at most {@code timeout} instead of RCVTIMEO
     * ({@link Duration#ZERO}: only if a frame is ready, as {@code ZMQ_DONTWAIT}).
     *
     * @return the frame's whole size, or -1 if none arrived in time
     */
    int recv(byte[] buffer, int offset, int length, Duration timeout);

    /**
     * As {@link #recv(byte[])}, into {@code buffer} (heap or direct) from its position: copies at
     * most {@code buffer.remaining()} bytes and moves the position past them.
     *
     * @return the frame's whole size, which may exceed what was copied
     */
    int recv(java.nio.ByteBuffer buffer);

    /** {@link #recvFrame()} decoded as UTF-8. */
    String recvString();

    /** Whether the message the calling thread reads with {@link #recvFrame()} has more frames (RCVMORE). */
    boolean hasMore();

    /**
     * SUB and XSUB: receive messages whose first frame starts with {@code prefix} (the empty prefix
     * matches everything). Subscriptions are counted: two subscribes need two unsubscribes. On XSUB
     * this sends the subscription message ({@code 0x01}+prefix) upstream, as sending it yourself
     * would; libzmq's XSUB has no such call (a deliberate difference), and delivers everything
     * that arrives whatever its subscriptions, as this XSUB does.
     * XPUB with XPUB_MANUAL: applies the subscription for the subscriber that sent the last
     * subscription message.
     *
     * @throws ZmqException EINVAL for other socket types and for XPUB without XPUB_MANUAL (as libzmq)
     */
    void subscribe(byte[] prefix);

    /**
     * DISH: receive the RADIO messages of {@code group} (exact match, at most 255 bytes in UTF-8),
     * sent to every RADIO as a ZMTP JOIN command, as libzmq's {@code zmq_join}.
     *
     * @throws ZmqException EINVAL if the group is too long or already joined, ENOTSUP on other socket types
     */
    void join(String group);

    /**
     * DISH: stop receiving {@code group}'s messages (a ZMTP LEAVE command to every RADIO), as libzmq's
     * {@code zmq_leave}.
     *
     * @throws ZmqException EINVAL if the group was not joined, ENOTSUP on other socket types
     */
    void leave(String group);

    /** {@link #subscribe(byte[])} with the UTF-8 bytes of {@code prefix}. */
    void subscribe(String prefix);

    /** Undoes one {@link #subscribe(byte[])} of the same prefix. */
    void unsubscribe(byte[] prefix);

    /** {@link #unsubscribe(byte[])} with the UTF-8 bytes of {@code prefix}. */
    void unsubscribe(String prefix);

    /**
     * Calls {@code listener} with this socket's events of the given types, on a monitor thread
     * of the context (never on an I/O thread: a slow listener cannot slow the socket; if it falls
     * more than a bounded queue behind, events are dropped). {@link SocketEvent.Type#MONITOR_STOPPED}
     * is the last event, when the returned handle is closed or the socket closes.
     *
     * @return a handle whose {@code close()} stops this monitor
     */
    AutoCloseable monitor(java.util.Set<SocketEvent.Type> types, java.util.function.Consumer<SocketEvent> listener);

    /**
     * libzmq's {@code zmq_socket_monitor}: publishes events of the types in {@code eventMask}
     * (ZMQ_EVENT_* bits, {@link SocketEvent#ALL} for all) on a PAIR socket bound to
     * {@code endpoint} ({@code inproc://...}), in libzmq's wire format: a 6-byte frame (event
     * code as 16-bit and value as 32-bit little-endian integers) then the endpoint. Tools written
     * for libzmq's monitor read it unchanged. A null endpoint stops monitoring.
     */
    void monitor(String endpoint, int eventMask);

    /**
     * This socket's traffic and connection counters at this moment (see {@link SocketStatistics} for
     * exactly what each counts). Cheap: the counters are kept as the socket works, and this reads
     * them under the socket's lock. Works on a closed socket too (its final figures).
     */
    SocketStatistics statistics();

    /** Sets an option; takes effect for connections made afterwards unless the option says otherwise. */
    <T> void set(SocketOption<T> option, T value);

    /** Reads an option. */
    <T> T get(SocketOption<T> option);

    /**
     * Sets a CURVE key option ({@link SocketOption#CURVE_PUBLICKEY}, {@link SocketOption#CURVE_SECRETKEY}
     * or {@link SocketOption#CURVE_SERVERKEY}) from its 40-character Z85 form, as libzmq accepts
     * with {@code zmq_setsockopt} (see {@link dev.zmq.security.Z85}).
     *
     * @throws ZmqException EINVAL for another option, or a string that is not a 40-character Z85 key
     */
    default void setCurveKey(SocketOption<byte[]> option, String z85Key) {
        if (option != SocketOption.CURVE_PUBLICKEY && option != SocketOption.CURVE_SECRETKEY && option != SocketOption.CURVE_SERVERKEY) {
            throw new ZmqException(ZmqError.EINVAL, "setCurveKey takes CURVE_PUBLICKEY, CURVE_SECRETKEY or CURVE_SERVERKEY, not " + option.name());
        }
        set(option, dev.zmq.security.CurveKeyPair.decodeKey(z85Key, option.name()));
    }

    /**
     * Closes the socket and returns at once. Pending outbound messages keep being delivered in the
     * background for up to LINGER; {@link ZmqContext#close()} waits for that. Threads blocked on this
     * socket wake with {@link ZmqError#ENOTSOCK}. Closing twice is harmless.
     */
    @Override
    void close();

    /** Whether {@link #close()} was called. */
    boolean isClosed();
}
