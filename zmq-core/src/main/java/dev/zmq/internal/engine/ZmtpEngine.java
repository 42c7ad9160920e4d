package dev.zmq.internal.engine;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import dev.zmq.SocketType;
import dev.zmq.internal.Frames;
import dev.zmq.internal.io.IoHandler;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.Decoder;
import dev.zmq.internal.wire.V1FrameDecoder;
import dev.zmq.internal.wire.FrameDecoder;
import dev.zmq.internal.wire.FrameEncoder;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.Greeting;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import dev.zmq.internal.wire.mechanism.Handshake;
import dev.zmq.internal.wire.mechanism.Mechanism;
import dev.zmq.internal.wire.mechanism.MessageCodec;
import dev.zmq.internal.zap.ZapClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One ZMTP 3.x connection: greeting, mechanism handshake, then frames both ways between the
 * channel and the session's pipe. Runs entirely on its I/O thread.
 *
 * <p>Writes are batched: whenever the channel can take data, every queued message is encoded
 * into one buffer and written with as few syscalls as the kernel allows. Reads decode a whole
 * buffer of frames and hand the complete messages to the socket under one lock acquisition.
 */
public final class ZmtpEngine implements IoHandler, Engine {
    private static final System.Logger LOG = System.getLogger(ZmtpEngine.class.getName());
    /** Messages taken from the pipe per lock acquisition. */
    private static final int DRAIN_BATCH = 256;
    /** Read rounds per readiness event, so one busy peer cannot starve the others. */
    private static final int READ_ROUNDS = 8;
    /** Command frames are small (READY, PING, ERROR); refuse absurd ones before allocating. */
    private static final long MAX_COMMAND_FRAME = 64 * 1024;
    /** A ZMTP 1.0/2.0 identity frame is at most 255 bytes, as libzmq's routing ids. */
    private static final int MAX_LEGACY_IDENTITY = 255;
    /**
     * What each frame of a message in progress costs towards the per-message bound beyond its bytes
     * (its array and list slot), so a never-ending message of empty frames is bounded too.
     */
    static final int FRAME_OVERHEAD = 16;
    private static final byte[][] NO_FRAMES = new byte[0][];
    private static final byte[] NO_CONTEXT = new byte[0];

    /** The session that owns this connection. */
    public interface Owner {
        /**
         * The handshake is done. Returns the pipe to exchange messages through, or null if the
         * socket refuses this peer (the connection is then closed).
         */
        Pipe onHandshake(Engine engine, SocketType peerType, byte[] identity);

        /** The connection ended (by either side). Called once. */
        void onClosed(Engine engine, String reason, boolean wasActive);

        /** Everything handed to this connection has been written to the kernel. */
        void onOutputDrained(Engine engine);
    }

    /** How the engine reaches its socket's queues: lock-free, through the pipe (see {@code Pipe}). */
    public interface PipeAccess {
        /** Adds decoded messages to the pipe; false when RCVHWM is reached and reading must pause. */
        boolean deliver(Pipe pipe, ArrayList<Message> batch);

        /** Moves up to {@code max} outbound messages from the pipe to {@code into}. */
        void drain(Pipe pipe, ArrayDeque<Message> into, int max);
    }

    private enum Phase { GREETING, HANDSHAKE, ACTIVE, CLOSED }

    private final IoThread io;
    private final SocketChannel channel;
    private final Owner owner;
    private final PipeAccess access;
    private final SocketType ourType;
    private final Mechanism mechanism;
    private final String peerAddress;
    private final String endpoint;
    private final int handshakeMillis;

    /**
     * The I/O thread's read buffer, shared by all its connections: every read is decoded to the
     * end before the next one, so only the decoder (and greeting) keeps state between reads.
     */
    private final ByteBuffer in;
    /**
     * Encoded bytes waiting for the channel: taken from the I/O thread's pool when there is
     * something to write and given back once it is all written, so an idle connection holds none.
     */
    private ByteBuffer out;
    private final ByteBuffer greetingIn = ByteBuffer.allocate(Greeting.SIZE);
    private final long maxMsgSize;
    private Decoder decoder;
    private byte[] routingId = NO_CONTEXT;
    /** ZMTP 1.0/2.0 peers send their identity as the first frame instead of a READY command. */
    private boolean legacyIdentityPending;
    private SocketType legacyPeerType;
    private final FrameEncoder encoder = new FrameEncoder();
    private final ArrayDeque<byte[]> commands = new ArrayDeque<>();
    /** Commands after a handshake whose mechanism protects traffic: already encoded by {@link #codec}. */
    private final ArrayDeque<byte[]> sealedCommands = new ArrayDeque<>();
    private final ZapClient zap;
    /** Set when the handshake completes with a mechanism that protects traffic (CURVE); null otherwise. */
    private MessageCodec codec;
    /** Connection properties handed to the application with each received message (shared, immutable). */
    private Map<String, String> properties = Map.of();
    private final Handshake handshake = new Handshake() {
        @Override
        public void send(byte[] commandBody) {
            sendCommand(commandBody);
        }

        @Override
        public String peerIp() {
            return ipOf(peerAddress);
        }

        @Override
        public ZapClient zap() {
            return zap;
        }

        @Override
        public void resume(Step step) {
            io.execute(() -> guarded(() -> resumeHandshake(step)));
        }
    };
    private final ArrayDeque<Message> outBatch = new ArrayDeque<>();
    private final ArrayList<Message> inBatch = new ArrayList<>();
    private final ArrayList<byte[]> parts = new ArrayList<>();
    /** The bytes (plus {@link #FRAME_OVERHEAD} each) of the frames in {@link #parts}. */
    private long partsBytes;
    /** Largest message in progress (all its frames), -1 for no limit; see SocketOption.MAX_MULTIPART_SIZE. */
    private final long maxMessageBytes;
    /**
     * The context of the latest PING not answered yet. As libzmq, at most one PONG is pending: a
     * PING arriving before the previous PONG went out replaces it, so a peer flooding PINGs while
     * never reading costs one PONG, not a queue.
     */
    private byte[] pendingPong;
    /** A PING of ours is queued and not yet encoded: the next interval does not add another. */
    private boolean pingQueued;
    /** Reading paused because the peer does not read what we must answer (PONGs) until our output drains. */
    private boolean readPausedForOutput;
    private final FrameDecoder.Sink frames = new FrameDecoder.Sink() {
        @Override
        public void onFrame(int flags, byte[] body) throws ZmtpProtocolException {
            ZmtpEngine.this.onFrame(flags, body);
        }

        @Override
        public void onHeader(int flags, long size) throws ZmtpProtocolException {
            checkHeader(flags, size);
        }
    };

    private Phase phase = Phase.GREETING;
    private SelectionKey key;
    private int interest;
    private Pipe pipe;
    private IoThread.Timer handshakeTimer;
    private boolean readPaused;
    private String closeAfterFlush;
    /** SUB/XSUB to a ZMTP 3.1 peer: subscriptions go out as SUBSCRIBE/CANCEL commands. */
    private boolean subscriptionCommands;

    /** Where the engine reports monitor events. */
    public interface Events {
        void emit(SocketEvent.Type type, String endpoint, String peer, long value, String reason);

        /** A connection is being closed because its handling threw {@code t} (see {@code fail}). */
        default void internalError(Throwable t) {
        }
    }

    private final Events events;
    /** Why the handshake failed (protocol error, auth refusal...), for the monitor; null if unknown. */
    private ZmtpProtocolException failure;
    private boolean closingOurselves;

    /**
     * ZMTP 3.1 heartbeat settings.
     *
     * @param intervalMillis HEARTBEAT_IVL, 0 for none
     * @param ttlMillis HEARTBEAT_TTL
     * @param timeoutMillis HEARTBEAT_TIMEOUT, -1 for the interval
     */
    public record Heartbeat(int intervalMillis, int ttlMillis, int timeoutMillis) {
        public static final Heartbeat OFF = new Heartbeat(0, 0, -1);
    }

    private final Heartbeat heartbeat;
    private IoThread.Timer pingTimer;
    /** Armed after we PING: fires unless some traffic arrives first. */
    private IoThread.Timer livenessTimer;
    /** Armed when the peer's PING asks for a TTL: fires unless some traffic arrives first. */
    private IoThread.Timer peerTtlTimer;

    public ZmtpEngine(IoThread io, SocketChannel channel, Owner owner, PipeAccess access, Events events, SocketType ourType,
                      Mechanism mechanism, String endpoint, String peerAddress, long maxMsgSize, long maxMessageBytes,
                      int handshakeMillis, Heartbeat heartbeat, ZapClient zap) {
        this.maxMessageBytes = maxMessageBytes;
        this.zap = zap;
        this.heartbeat = heartbeat;
        this.events = events;
        this.endpoint = endpoint;
        this.io = io;
        this.channel = channel;
        this.owner = owner;
        this.access = access;
        this.ourType = ourType;
        this.mechanism = mechanism;
        this.peerAddress = peerAddress;
        this.handshakeMillis = handshakeMillis;
        this.maxMsgSize = maxMsgSize;
        this.in = io.readBuffer();
        var v3 = new FrameDecoder(frames);
        v3.setMaxDataFrame(maxMsgSize);
        v3.setMaxCommandFrame(MAX_COMMAND_FRAME);
        this.decoder = v3;
    }

    /**
     * Registers the channel and starts the greeting. Call on the I/O thread. As libzmq, only the
     * 10-byte signature goes out first: what follows depends on the revision the peer speaks.
     */
    @Override
    public void start(byte[] routingId) {
        this.routingId = routingId;
        try {
            channel.configureBlocking(false);
            interest = SelectionKey.OP_READ;
            key = io.register(channel, interest, this);
        } catch (IOException e) {
            close("cannot register connection: " + e.getMessage());
            return;
        }
        if (handshakeMillis > 0) {
            handshakeTimer = schedule(handshakeMillis, () -> {
                if (phase == Phase.GREETING || phase == Phase.HANDSHAKE) {
                    close("handshake not completed within HANDSHAKE_IVL (" + handshakeMillis + " ms)");
                }
            });
        }
        out().put(Greeting.signature(routingId.length));
        flush();
    }

    /** The remote address, for logs and monitoring. */
    @Override
    public String peerAddress() {
        return peerAddress;
    }

    /** Whether the handshake completed and the connection is carrying messages. */
    @Override
    public boolean isActive() {
        return phase == Phase.ACTIVE;
    }

    /** Whether nothing is waiting to be written by this connection. */
    @Override
    public boolean outputIdle() {
        return (out == null || out.position() == 0) && !encoder.busy() && outBatch.isEmpty() && commands.isEmpty() && sealedCommands.isEmpty()
                && pendingPong == null && !pingQueued;
    }

    @Override
    public boolean onFailure(Throwable t) {
        fail(t);
        return false;
    }

    /**
     * Something failed inside this connection's handling (an OutOfMemoryError, a bug): it costs this
     * connection only. It is closed (its buffers and partial message let go first, as they may be what
     * exhausted the heap), the socket counts it, and the I/O thread goes on serving the others.
     */
    private void fail(Throwable t) {
        if (phase == Phase.CLOSED) {
            return;
        }
        parts.clear();
        inBatch.clear();
        decoder = new FrameDecoder(frames); // drops a partly read frame's buffer
        try {
            events.internalError(t);
        } finally {
            close("internal error, connection closed: " + t);
        }
    }

    @Override
    public void onReady(SelectionKey k) {
        try {
            if (k.isReadable()) {
                readInput();
            }
            if (phase != Phase.CLOSED && k.isValid() && k.isWritable()) {
                flush();
            }
        } catch (java.nio.channels.CancelledKeyException e) {
            close("connection closed");
        }
    }

    @Override
    public void onShutdown() {
        close("context terminated");
    }

    /** The pipe has new outbound messages, or the session wants output retried. */
    @Override
    public void flush() {
        try {
            doFlush();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void doFlush() {
        if (phase == Phase.CLOSED) {
            return;
        }
        out();
        try {
            while (true) {
                fillOutput();
                if (out.position() == 0) {
                    break;
                }
                out.flip();
                channel.write(out);
                boolean incomplete = out.hasRemaining();
                out.compact();
                if (incomplete) {
                    setInterest(interest | SelectionKey.OP_WRITE);
                    return;
                }
            }
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
            return;
        }
        releaseOut();
        int ops = interest & ~SelectionKey.OP_WRITE;
        if (readPausedForOutput) {
            readPausedForOutput = false;
            if (!readPaused) {
                ops |= SelectionKey.OP_READ;
            }
        }
        setInterest(ops);
        if (closeAfterFlush != null) {
            close(closeAfterFlush);
            return;
        }
        owner.onOutputDrained(this);
    }

    /** Lets a paused reader go on (the application consumed enough). */
    @Override
    public void resumeReading() {
        if (phase != Phase.CLOSED && readPaused) {
            readPaused = false;
            if (!readPausedForOutput) {
                try {
                    setInterest(interest | SelectionKey.OP_READ);
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
        }
    }

    /** Closes the connection because our socket is closing or dropping it: no failure events. */
    @Override
    public void shutdown(String reason) {
        closingOurselves = true;
        close(reason);
    }

    /** Closes the connection now; the owner hears of it once. */
    public void close(String why) {
        if (phase == Phase.CLOSED) {
            return;
        }
        // Reasons quote what the peer sent (socket type, property names): its control characters
        // must not reach logs and monitor events, where they could forge lines or drive terminals.
        String reason = printable(why);
        boolean wasActive = phase == Phase.ACTIVE && closeAfterFlush == null;
        if (!closingOurselves) {
            if (!wasActive) {
                var type = failure == null ? SocketEvent.Type.HANDSHAKE_FAILED_NO_DETAIL : switch (failure.kind()) {
                    case PROTOCOL -> SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL;
                    case AUTH -> SocketEvent.Type.HANDSHAKE_FAILED_AUTH;
                    case NO_DETAIL -> SocketEvent.Type.HANDSHAKE_FAILED_NO_DETAIL;
                };
                events.emit(type, endpoint, peerAddress, failure == null ? 0 : failure.code(), reason);
            }
            // As libzmq: every connection that ends on its own (peer, error) is DISCONNECTED.
            events.emit(SocketEvent.Type.DISCONNECTED, endpoint, peerAddress, 0, reason);
        }
        phase = Phase.CLOSED;
        releaseOut();
        mechanism.dispose();
        cancel(handshakeTimer);
        cancel(pingTimer);
        cancel(livenessTimer);
        cancel(peerTtlTimer);
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // already going
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "connection with " + peerAddress + " closed: " + reason);
        owner.onClosed(this, reason, wasActive);
    }

    /** {@code s} with every character but printable ASCII replaced by a hex escape. */
    static String printable(String s) {
        if (s.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            return s;
        }
        var sb = new StringBuilder(s.length() + 16);
        s.chars().forEach(c -> {
            if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(c <= 0xFF ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
            }
        });
        return sb.toString();
    }

    /** Messages taken from the pipe but not yet started on the wire: the session may requeue them. */
    @Override
    public ArrayDeque<Message> unsentMessages() {
        return outBatch;
    }

    // ---- input ----------------------------------------------------------------------------

    private void readInput() {
        for (int round = 0; round < READ_ROUNDS && phase != Phase.CLOSED && !readPaused && !readPausedForOutput; round++) {
            int n;
            try {
                n = channel.read(in);
            } catch (IOException e) {
                close("read failed: " + e.getMessage());
                return;
            }
            if (n < 0) {
                close(decoder.atFrameBoundary() && parts.isEmpty() ? "peer closed the connection"
                        : "peer closed the connection in the middle of a message");
                return;
            }
            if (n == 0) {
                return;
            }
            in.flip();
            try {
                if (phase == Phase.GREETING) {
                    readGreeting();
                }
                if (phase == Phase.HANDSHAKE || phase == Phase.ACTIVE) {
                    decoder.decode(in);
                }
            } catch (ZmtpProtocolException e) {
                in.clear();
                deliverBatch();
                if (phase != Phase.ACTIVE) {
                    failure = e;
                }
                protocolError(e.getMessage());
                return;
            } finally {
                in.clear(); // shared with the thread's other connections: always left empty
            }
            deliverBatch();
        }
    }

    /**
     * Reads the peer's greeting a byte at a time until its revision is known (RFC 15's detection):
     * a first byte other than 0xFF, or bit 0 of the 10th clear, is ZMTP 1.0; revision 0 or 1 after
     * the signature is ZMTP 2.0-style; 3 and above is ZMTP 3.x, which gets the rest of our greeting.
     */
    private void readGreeting() throws ZmtpProtocolException {
        while (in.hasRemaining() && phase == Phase.GREETING) {
            greetingIn.put(in.get());
            int pos = greetingIn.position();
            if (pos == 1 && (greetingIn.get(0) & 0xFF) != 0xFF) {
                downgradeToZmtp10();
                return;
            }
            if (pos == 10) {
                if ((greetingIn.get(9) & 0x01) == 0) {
                    downgradeToZmtp10();
                    return;
                }
                out().put((byte) Greeting.OUR_MAJOR);
                flush();
            } else if (pos == Greeting.SIGNATURE_AND_MAJOR && (greetingIn.get(10) & 0xFF) >= 3) {
                out().put(Greeting.tail(mechanism.name(), mechanism.asServer()));
                flush();
            } else if (pos == 12 && (greetingIn.get(10) & 0xFF) < 3) {
                downgradeToZmtp20(greetingIn.get(10) & 0xFF, greetingIn.get(11) & 0xFF);
                return;
            } else if (pos == Greeting.SIZE) {
                startV3Handshake();
                return;
            }
        }
    }

    /** ZMTP 1.0: our 10 bytes were the head of an identity frame; its body follows, then 1.0 framing. */
    private void downgradeToZmtp10() throws ZmtpProtocolException {
        if (!mechanism.name().equals("NULL")) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MECHANISM_MISMATCH,
                    "peer speaks ZMTP 1.0, which has no security; this socket requires " + mechanism.name());
        }
        if (assumedPeerType() == null) {
            throw new ZmtpProtocolException("peer speaks ZMTP 1.0, which a " + ourType + " socket cannot speak (ZMTP 3 only)");
        }
        out().put(routingId);
        encoder.setZmtp10();
        decoder = new V1FrameDecoder(frames, maxMsgSize);
        legacyPeerType = assumedPeerType();
        legacyIdentityPending = true;
        phase = Phase.HANDSHAKE;
        greetingIn.flip();
        decoder.decode(greetingIn); // the bytes read so far were already the peer's first frame
        flush();
    }

    /** ZMTP 2.0 (RFC 15): socket type octet and an identity frame, then 2.0 (or, for revision 0, 1.0) framing. */
    private void downgradeToZmtp20(int revision, int typeCode) throws ZmtpProtocolException {
        if (!mechanism.name().equals("NULL")) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MECHANISM_MISMATCH,
                    "peer speaks ZMTP 2.0, which has no security; this socket requires " + mechanism.name());
        }
        var peerType = Greeting.fromZmtp20TypeCode(typeCode);
        if (peerType == null || !ourType.isCompatibleWith(peerType)) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_INVALID_METADATA,
                    "ZMTP 2.0 peer of socket type " + typeCode + " cannot talk to a " + ourType + " socket");
        }
        out().put((byte) Greeting.zmtp20TypeCode(ourType));
        if (revision == 0) {
            encoder.setZmtp10();
            decoder = new V1FrameDecoder(frames, maxMsgSize);
        } else {
            var v2 = new FrameDecoder(frames);
            v2.setZmtp20();
            v2.setMaxDataFrame(maxMsgSize);
            decoder = v2;
        }
        encoder.start(new byte[][] {routingId}, false);
        encoder.encode(out());
        legacyPeerType = peerType;
        legacyIdentityPending = true;
        phase = Phase.HANDSHAKE;
        flush();
    }

    /** ZMTP 1.0 does not say the peer's socket type: assume the natural peer of ours (null: none can speak 1.0). */
    private SocketType assumedPeerType() {
        return switch (ourType) {
            case PAIR -> SocketType.PAIR;
            case PUB, XPUB -> SocketType.SUB;
            case SUB, XSUB -> SocketType.PUB;
            case REQ -> SocketType.REP;
            case REP -> SocketType.REQ;
            case DEALER, ROUTER -> SocketType.DEALER;
            case PULL -> SocketType.PUSH;
            case PUSH -> SocketType.PULL;
            default -> null; // STREAM speaks no ZMTP; the draft types need ZMTP 3
        };
    }

    private void startV3Handshake() throws ZmtpProtocolException {
        var greeting = Greeting.decode(greetingIn);
        if (!greeting.mechanism().equals(mechanism.name())) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MECHANISM_MISMATCH, "peer uses the " + greeting.mechanism() + " mechanism, this socket uses "
                    + mechanism.name());
        }
        // The peer's as-server flag is not checked: libzmq 4.3.4 sends 0 even as a PLAIN server (seen
        // on the wire), and decides roles from its own options; so do we.
        phase = Phase.HANDSHAKE;
        // ZMTP 3.0 peers (JeroMQ 0.6) expect subscriptions as 0x01/0x00-prefixed messages.
        subscriptionCommands = (ourType == SocketType.SUB || ourType == SocketType.XSUB) && greeting.speaks31();
        mechanism.start(handshake);
        if (mechanism.isComplete()) {
            handshakeComplete();
        }
        flush();
    }

    private void onFrame(int flags, byte[] body) throws ZmtpProtocolException {
        // Any traffic proves the peer alive (RFC 37).
        if (livenessTimer != null) {
            livenessTimer.cancel();
            livenessTimer = null;
        }
        if (peerTtlTimer != null) {
            peerTtlTimer.cancel();
            peerTtlTimer = null;
        }
        if (legacyIdentityPending) {
            if ((flags & FrameFlags.MORE) != 0) {
                throw new ZmtpProtocolException("ZMTP 1.0/2.0 identity frame with the MORE flag");
            }
            legacyIdentityPending = false;
            properties = connectionProperties(null);
            completeHandshake(legacyPeerType, body);
            return;
        }
        if (codec != null) {
            // CURVE: every frame is a MESSAGE command carrying one frame or command and its flags.
            try {
                body = codec.decode(body);
            } catch (ZmtpProtocolException e) {
                // As libzmq, reported as a protocol failure even though the handshake is over.
                events.emit(SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL, endpoint, peerAddress, e.code(), e.getMessage());
                throw e;
            }
            flags = codec.lastFlags();
            if (flags == (FrameFlags.COMMAND | FrameFlags.MORE)) {
                throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE, "command with the MORE flag in a CURVE MESSAGE");
            }
        }
        if ((flags & FrameFlags.COMMAND) != 0) {
            if (phase == Phase.HANDSHAKE) {
                mechanism.onCommand(body, handshake);
                if (mechanism.isComplete()) {
                    handshakeComplete();
                } else if (!commands.isEmpty()) {
                    flush(); // the mechanism answered (WELCOME, INITIATE...)
                }
            } else {
                onCommand(Command.decode(body));
            }
            return;
        }
        if (phase != Phase.ACTIVE) {
            throw new ZmtpProtocolException("data frame before the handshake completed");
        }
        boolean more = (flags & FrameFlags.MORE) != 0;
        if (ourType == SocketType.RADIO) {
            return; // a DISH sends commands only; libzmq's radio reads other messages and drops them
        }
        if (ourType == SocketType.DISH) {
            GroupCommands.checkRadioFrame(parts.size(), more, body.length);
        }
        if (more) {
            parts.add(body);
            partsBytes += body.length + FRAME_OVERHEAD;
        } else if (parts.isEmpty()) {
            inBatch.add(Frames.wrapOne(body, properties));
        } else {
            parts.add(body);
            inBatch.add(Frames.wrap(parts.toArray(NO_FRAMES), properties));
            parts.clear();
            partsBytes = 0;
        }
    }

    /**
     * Refuses a frame from its header, before its body is read or allocated: a data frame before
     * the handshake completed (an unauthenticated peer must not make us buffer anything), an
     * over-long ZMTP 1.0/2.0 identity, or a frame that would take the message in progress past
     * its bound. Command sizes are bounded by the decoder.
     */
    private void checkHeader(int flags, long size) throws ZmtpProtocolException {
        if (legacyIdentityPending) {
            if (size > MAX_LEGACY_IDENTITY) {
                throw new ZmtpProtocolException("ZMTP 1.0/2.0 identity frame of " + size + " bytes (at most "
                        + MAX_LEGACY_IDENTITY + ")");
            }
            return;
        }
        if ((flags & FrameFlags.COMMAND) != 0) {
            return;
        }
        if (phase != Phase.ACTIVE) {
            throw new ZmtpProtocolException("data frame before the handshake completed");
        }
        if (maxMessageBytes >= 0 && partsBytes + size + FRAME_OVERHEAD > maxMessageBytes) {
            throw new ZmtpProtocolException("message of more than " + maxMessageBytes + " bytes (" + (parts.size() + 1)
                    + " frames so far) exceeds MAX_MULTIPART_SIZE");
        }
    }

    /** A handshake step after asynchronous work (a ZAP reply), on the I/O thread. */
    private void resumeHandshake(Handshake.Step step) {
        if (phase != Phase.HANDSHAKE) {
            return;
        }
        try {
            step.run();
            if (mechanism.isComplete()) {
                handshakeComplete();
            }
        } catch (ZmtpProtocolException e) {
            failure = e;
            protocolError(e.getMessage());
            return;
        }
        flush();
    }

    private void onCommand(Command command) throws ZmtpProtocolException {
        if (command instanceof Command.Ping ping) {
            // Answered whether or not we send heartbeats ourselves, as libzmq expects; one PONG pending at most.
            if (pendingPong != null && (interest & SelectionKey.OP_WRITE) != 0) {
                // The previous PONG is stuck behind output the peer does not read: stop reading
                // until it drains (the peer's flood then fills its own send buffer, not our heap).
                readPausedForOutput = true;
                setInterest(interest & ~SelectionKey.OP_READ);
            }
            pendingPong = ping.context();
            if (ping.ttlDeciseconds() > 0 && peerTtlTimer == null) {
                long ttl = ping.ttlDeciseconds() * 100L;
                peerTtlTimer = schedule(ttl, () -> close("no traffic within the TTL of " + ttl + " ms the peer's PING asked for"));
            }
            flush();
        } else if (command instanceof Command.Pong) {
            // liveness only
        } else if (command instanceof Command.Error error) {
            throw new ZmtpProtocolException("peer sent ERROR: " + error.reason());
        } else if (command instanceof Command.Other other && ourType == SocketType.RADIO && GroupCommands.isJoinOrLeave(other.name())) {
            // Handed to the RADIO pattern as 0x01/0x00 + group, as an inproc DISH sends them.
            inBatch.add(Frames.wrap(new byte[][] {GroupCommands.toMessage(other.name(), other.data())}));
        } else if (command instanceof Command.Other other && acceptsSubscriptions()
                && (other.name().equals("SUBSCRIBE") || other.name().equals("CANCEL"))) {
            // Handed to the pattern as the 0x01/0x00-prefixed message a ZMTP 3.0 peer would send.
            var data = other.data();
            var message = new byte[data.length + 1];
            message[0] = (byte) (other.name().equals("SUBSCRIBE") ? 1 : 0);
            System.arraycopy(data, 0, message, 1, data.length);
            inBatch.add(Frames.wrap(new byte[][] {message}));
        } else {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_UNEXPECTED_COMMAND,
                    "unexpected command " + command.name() + " after the handshake");
        }
    }

    private boolean acceptsSubscriptions() {
        return ourType == SocketType.PUB || ourType == SocketType.XPUB;
    }

    private void handshakeComplete() throws ZmtpProtocolException {
        var metadata = mechanism.peerMetadata();
        var typeName = metadata.getString(Metadata.SOCKET_TYPE);
        if (typeName == null) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_READY, "READY without a Socket-Type property");
        }
        var peerType = SocketType.fromWireName(typeName).orElse(null);
        if (peerType == null || !ourType.isCompatibleWith(peerType)) {
            // Tell the peer why before closing, as RFC 37 asks (libzmq closes without a word).
            sendCommand(Command.error("Invalid socket type"));
            closeAfterFlush = "incompatible peer socket type " + typeName + " for a " + ourType + " socket";
            failure = new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_INVALID_METADATA, closeAfterFlush);
            phase = Phase.ACTIVE;
            flush();
            return;
        }
        codec = mechanism.codec();
        properties = connectionProperties(metadata);
        completeHandshake(peerType, metadata.get(Metadata.IDENTITY));
    }

    /**
     * The properties received messages carry, as libzmq compiles them: Peer-Address first, then
     * what the ZAP handler said (User-Id, its metadata), then the peer's handshake metadata; a name
     * already present is not replaced, so a peer cannot pose as another User-Id.
     */
    private Map<String, String> connectionProperties(Metadata peerMetadata) {
        var props = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        var ip = ipOf(peerAddress);
        if (!ip.isEmpty()) {
            props.put("Peer-Address", ip);
        }
        mechanism.zapProperties().forEach(props::putIfAbsent);
        if (peerMetadata != null) {
            peerMetadata.asMap().forEach((name, value) -> props.putIfAbsent(name, new String(value, java.nio.charset.StandardCharsets.UTF_8)));
        }
        return Collections.unmodifiableMap(props);
    }

    /** The IP address in {@code tcp://host:port} (brackets of IPv6 removed); empty for other transports. */
    static String ipOf(String address) {
        if (address == null || !address.startsWith("tcp://")) {
            return "";
        }
        var hostPort = address.substring("tcp://".length());
        int colon = hostPort.lastIndexOf(':');
        var host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private void completeHandshake(SocketType peerType, byte[] identity) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        pipe = owner.onHandshake(this, peerType, identity);
        if (pipe == null) {
            closeAfterFlush = "peer refused by the " + ourType + " socket (already paired, or routing id in use)";
            phase = Phase.ACTIVE;
            flush();
            return;
        }
        phase = Phase.ACTIVE;
        events.emit(SocketEvent.Type.HANDSHAKE_SUCCEEDED, endpoint, peerAddress, 0, null);
        if (heartbeat.intervalMillis() > 0 && legacyPeerType == null) {
            pingTimer = schedule(heartbeat.intervalMillis(), this::sendPing);
        }
        flush();
    }

    private void sendPing() {
        if (phase != Phase.ACTIVE) {
            return;
        }
        pingQueued = true;
        if (livenessTimer == null) {
            long timeout = heartbeat.timeoutMillis() < 0 ? heartbeat.intervalMillis() : heartbeat.timeoutMillis();
            livenessTimer = schedule(timeout, () -> close("no traffic from the peer within HEARTBEAT_TIMEOUT ("
                    + timeout + " ms) after a PING"));
        }
        pingTimer = schedule(heartbeat.intervalMillis(), this::sendPing);
        flush();
    }

    /** Runs {@code action} for this connection: whatever it throws closes this connection only. */
    private void guarded(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            fail(t);
        }
    }

    /** A timer of this connection whose action is {@link #guarded}. */
    private IoThread.Timer schedule(long delayMillis, Runnable action) {
        return io.schedule(delayMillis, () -> guarded(action));
    }

    private static void cancel(IoThread.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    private void deliverBatch() {
        if (inBatch.isEmpty()) {
            return;
        }
        if (pipe == null || closeAfterFlush != null) {
            inBatch.clear();
            return;
        }
        boolean keepReading = access.deliver(pipe, inBatch);
        inBatch.clear();
        if (!keepReading) {
            readPaused = true;
            setInterest(interest & ~SelectionKey.OP_READ);
        }
    }

    private void protocolError(String reason) {
        if (phase == Phase.HANDSHAKE && !commands.isEmpty()) {
            writeCommandsNow();
        }
        close("protocol error from " + peerAddress + ": " + reason);
    }

    /** Best effort, without waiting: puts queued handshake commands (an ERROR telling the peer why) on the wire. */
    private void writeCommandsNow() {
        try {
            out();
            fillOutput();
            out.flip();
            channel.write(out);
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            out.clear();
            releaseOut();
        }
    }

    /** The output buffer, taken from the pool if this connection holds none. */
    private ByteBuffer out() {
        if (out == null) {
            out = io.buffers().acquire();
        }
        return out;
    }

    /** Gives the output buffer back once nothing in it waits for the channel (or at close). */
    private void releaseOut() {
        if (out != null && (out.position() == 0 || phase == Phase.CLOSED)) {
            var b = out;
            out = null;
            io.buffers().release(b);
        }
    }

    // ---- output ---------------------------------------------------------------------------

    private void sendCommand(byte[] body) {
        if (codec != null) {
            sealedCommands.add(codec.encode(body, FrameFlags.COMMAND));
        } else {
            commands.add(body);
        }
    }

    /** Encodes pending commands and messages into {@code out} until it is full or nothing is left. */
    private void fillOutput() {
        while (out.remaining() >= 9) {
            if (!encoder.busy()) {
                var command = commands.poll();
                byte[] sealedCommand;
                byte[] heartbeatCommand;
                if (command == null && sealedCommands.isEmpty() && phase == Phase.ACTIVE
                        && (heartbeatCommand = nextHeartbeatCommand()) != null) {
                    if (codec != null) {
                        encoder.startSealed(new byte[][] {codec.encode(heartbeatCommand, FrameFlags.COMMAND)});
                    } else {
                        encoder.start(new byte[][] {heartbeatCommand}, true);
                    }
                } else if (command != null) {
                    encoder.start(new byte[][] {command}, true);
                } else if ((sealedCommand = sealedCommands.poll()) != null) {
                    encoder.startSealed(new byte[][] {sealedCommand});
                } else {
                    var message = nextMessage();
                    if (message == null) {
                        return;
                    }
                    // One-frame messages (most) are encoded from the frame itself, with no array around it.
                    var single = message.size() == 1 ? message.first() : null;
                    if (single != null && ourType == SocketType.DISH && isSubscription(single)) {
                        var join = GroupCommands.toCommand(single); // ZMTP JOIN/LEAVE, as libzmq's dish_session_t
                        if (codec != null) {
                            encoder.startSealed(new byte[][] {codec.encode(join, FrameFlags.COMMAND)});
                        } else {
                            encoder.start(new byte[][] {join}, true);
                        }
                    } else if (single != null && subscriptionCommands && isSubscription(single)) {
                        var topic = java.util.Arrays.copyOfRange(single, 1, single.length);
                        var subscription = Command.encode(single[0] == 1 ? "SUBSCRIBE" : "CANCEL", topic);
                        if (codec != null) {
                            encoder.startSealed(new byte[][] {codec.encode(subscription, FrameFlags.COMMAND)});
                        } else {
                            encoder.start(new byte[][] {subscription}, true);
                        }
                    } else if (codec != null) {
                        encoder.startSealed(seal(Frames.unwrap(message)));
                    } else if (single != null) {
                        encoder.start(single);
                    } else {
                        encoder.start(Frames.unwrap(message), false);
                    }
                }
            }
            if (!encoder.encode(out)) {
                return;
            }
        }
    }

    /** The pending PONG, else our queued PING, else null; each is encoded when it goes out. */
    private byte[] nextHeartbeatCommand() {
        if (pendingPong != null) {
            var pong = Command.pong(pendingPong);
            pendingPong = null;
            return pong;
        }
        if (pingQueued) {
            pingQueued = false;
            return Command.ping(heartbeat.ttlMillis() / 100, NO_CONTEXT);
        }
        return null;
    }

    /** Each frame of a message as a MESSAGE command, MORE on all but the last. */
    private byte[][] seal(byte[][] frames) {
        var sealed = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            sealed[i] = codec.encode(frames[i], i < frames.length - 1 ? FrameFlags.MORE : 0);
        }
        return sealed;
    }

    private static boolean isSubscription(byte[] frame) {
        return frame.length > 0 && (frame[0] == 0 || frame[0] == 1);
    }

    private Message nextMessage() {
        if (phase != Phase.ACTIVE || pipe == null || closeAfterFlush != null) {
            return null;
        }
        var m = outBatch.poll();
        if (m == null) {
            access.drain(pipe, outBatch, DRAIN_BATCH);
            m = outBatch.poll();
        }
        return m;
    }

    private void setInterest(int ops) {
        if (ops != interest && key != null && key.isValid()) {
            interest = ops;
            key.interestOps(ops);
        }
    }
}
