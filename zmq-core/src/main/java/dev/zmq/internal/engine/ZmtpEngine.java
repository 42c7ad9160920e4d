package dev.zmq.internal.engine;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.internal.Frames;
import dev.zmq.internal.io.IoHandler;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.FrameDecoder;
import dev.zmq.internal.wire.FrameEncoder;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.Greeting;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import dev.zmq.internal.wire.mechanism.Mechanism;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * One ZMTP 3.x connection: greeting, mechanism handshake, then frames both ways between the
 * channel and the session's pipe. Runs entirely on its I/O thread.
 *
 * <p>Writes are batched: whenever the channel can take data, every queued message is encoded
 * into one buffer and written with as few syscalls as the kernel allows. Reads decode a whole
 * buffer of frames and hand the complete messages to the socket under one lock acquisition.
 */
public final class ZmtpEngine implements IoHandler {
    private static final System.Logger LOG = System.getLogger(ZmtpEngine.class.getName());
    private static final int BUFFER_SIZE = 64 * 1024;
    /** Messages taken from the pipe per lock acquisition. */
    private static final int DRAIN_BATCH = 256;
    /** Read rounds per readiness event, so one busy peer cannot starve the others. */
    private static final int READ_ROUNDS = 8;
    /** Command frames are small (READY, PING, ERROR); refuse absurd ones before allocating. */
    private static final long MAX_COMMAND_FRAME = 64 * 1024;
    private static final byte[][] NO_FRAMES = new byte[0][];

    /** The session that owns this connection. */
    public interface Owner {
        /**
         * The handshake is done. Returns the pipe to exchange messages through, or null if the
         * socket refuses this peer (the connection is then closed).
         */
        Pipe onHandshake(ZmtpEngine engine, SocketType peerType, byte[] identity);

        /** The connection ended (by either side). Called once. */
        void onClosed(ZmtpEngine engine, String reason, boolean wasActive);

        /** Everything handed to this connection has been written to the kernel. */
        void onOutputDrained(ZmtpEngine engine);
    }

    /** How the engine reaches its socket's queues (under the socket lock). */
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
    private final int handshakeMillis;

    private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private final ByteBuffer greetingIn = ByteBuffer.allocate(Greeting.SIZE);
    private final FrameDecoder decoder;
    private final FrameEncoder encoder = new FrameEncoder();
    private final ArrayDeque<byte[]> commands = new ArrayDeque<>();
    private final ArrayDeque<Message> outBatch = new ArrayDeque<>();
    private final ArrayList<Message> inBatch = new ArrayList<>();
    private final ArrayList<byte[]> parts = new ArrayList<>();

    private Phase phase = Phase.GREETING;
    private SelectionKey key;
    private int interest;
    private Pipe pipe;
    private IoThread.Timer handshakeTimer;
    private boolean readPaused;
    private String closeAfterFlush;

    public ZmtpEngine(IoThread io, SocketChannel channel, Owner owner, PipeAccess access, SocketType ourType,
                      Mechanism mechanism, String peerAddress, long maxMsgSize, int handshakeMillis) {
        this.io = io;
        this.channel = channel;
        this.owner = owner;
        this.access = access;
        this.ourType = ourType;
        this.mechanism = mechanism;
        this.peerAddress = peerAddress;
        this.handshakeMillis = handshakeMillis;
        this.decoder = new FrameDecoder(this::onFrame);
        decoder.setMaxDataFrame(maxMsgSize);
        decoder.setMaxCommandFrame(MAX_COMMAND_FRAME);
    }

    /** Registers the channel and sends our greeting. Call on the I/O thread. */
    public void start(int routingIdLength) {
        try {
            channel.configureBlocking(false);
            interest = SelectionKey.OP_READ;
            key = io.register(channel, interest, this);
        } catch (IOException e) {
            close("cannot register connection: " + e.getMessage());
            return;
        }
        if (handshakeMillis > 0) {
            handshakeTimer = io.schedule(handshakeMillis, () -> {
                if (phase == Phase.GREETING || phase == Phase.HANDSHAKE) {
                    close("handshake not completed within HANDSHAKE_IVL (" + handshakeMillis + " ms)");
                }
            });
        }
        out.put(Greeting.encode(mechanism.name(), mechanism.asServer(), routingIdLength));
        flush();
    }

    /** The remote address, for logs and monitoring. */
    public String peerAddress() {
        return peerAddress;
    }

    /** Whether the handshake completed and the connection is carrying messages. */
    public boolean isActive() {
        return phase == Phase.ACTIVE;
    }

    /** Whether nothing is waiting to be written by this connection. */
    public boolean outputIdle() {
        return out.position() == 0 && !encoder.busy() && outBatch.isEmpty() && commands.isEmpty();
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
    public void flush() {
        if (phase == Phase.CLOSED) {
            return;
        }
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
        setInterest(interest & ~SelectionKey.OP_WRITE);
        if (closeAfterFlush != null) {
            close(closeAfterFlush);
            return;
        }
        owner.onOutputDrained(this);
    }

    /** Lets a paused reader go on (the application consumed enough). */
    public void resumeReading() {
        if (phase != Phase.CLOSED && readPaused) {
            readPaused = false;
            setInterest(interest | SelectionKey.OP_READ);
        }
    }

    /** Closes the connection now; the owner hears of it once. */
    public void close(String reason) {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean wasActive = phase == Phase.ACTIVE;
        phase = Phase.CLOSED;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
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

    /** Messages taken from the pipe but not yet started on the wire: the session may requeue them. */
    public ArrayDeque<Message> unsentMessages() {
        return outBatch;
    }

    // ---- input ----------------------------------------------------------------------------

    private void readInput() {
        for (int round = 0; round < READ_ROUNDS && phase != Phase.CLOSED && !readPaused; round++) {
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
                protocolError(e.getMessage());
                return;
            }
            in.clear();
            deliverBatch();
        }
    }

    private void readGreeting() throws ZmtpProtocolException {
        while (in.hasRemaining() && greetingIn.hasRemaining()) {
            greetingIn.put(in.get());
            if (greetingIn.position() == Greeting.SIGNATURE_AND_MAJOR) {
                Greeting.checkSignature(greetingIn);
            }
        }
        if (greetingIn.hasRemaining()) {
            return;
        }
        var greeting = Greeting.decode(greetingIn);
        if (!greeting.mechanism().equals(mechanism.name())) {
            throw new ZmtpProtocolException("peer uses the " + greeting.mechanism() + " mechanism, this socket uses "
                    + mechanism.name());
        }
        phase = Phase.HANDSHAKE;
        mechanism.start(this::sendCommand);
        flush();
    }

    private void onFrame(int flags, byte[] body) throws ZmtpProtocolException {
        if ((flags & FrameFlags.COMMAND) != 0) {
            onCommand(Command.decode(body));
            return;
        }
        if (phase != Phase.ACTIVE) {
            throw new ZmtpProtocolException("data frame before the handshake completed");
        }
        boolean more = (flags & FrameFlags.MORE) != 0;
        if (more) {
            parts.add(body);
        } else if (parts.isEmpty()) {
            inBatch.add(Frames.wrap(new byte[][] {body}));
        } else {
            parts.add(body);
            inBatch.add(Frames.wrap(parts.toArray(NO_FRAMES)));
            parts.clear();
        }
    }

    private void onCommand(Command command) throws ZmtpProtocolException {
        if (phase == Phase.HANDSHAKE) {
            mechanism.onCommand(command, this::sendCommand);
            if (mechanism.isComplete()) {
                handshakeComplete();
            }
            return;
        }
        if (command instanceof Command.Ping ping) {
            // Answered even though we send no heartbeats ourselves, as libzmq expects.
            sendCommand(Command.pong(ping.context()));
            flush();
        } else if (command instanceof Command.Pong) {
            // liveness only
        } else if (command instanceof Command.Error error) {
            throw new ZmtpProtocolException("peer sent ERROR: " + error.reason());
        } else {
            throw new ZmtpProtocolException("unexpected command " + command.name() + " after the handshake");
        }
    }

    private void handshakeComplete() throws ZmtpProtocolException {
        var metadata = mechanism.peerMetadata();
        var typeName = metadata.getString(Metadata.SOCKET_TYPE);
        if (typeName == null) {
            throw new ZmtpProtocolException("READY without a Socket-Type property");
        }
        var peerType = SocketType.fromWireName(typeName).orElse(null);
        if (peerType == null || !ourType.isCompatibleWith(peerType)) {
            // Tell the peer why before closing, as RFC 37 asks (libzmq closes without a word).
            sendCommand(Command.error("Invalid socket type"));
            closeAfterFlush = "incompatible peer socket type " + typeName + " for a " + ourType + " socket";
            phase = Phase.ACTIVE;
            flush();
            return;
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        var identity = metadata.get(Metadata.IDENTITY);
        pipe = owner.onHandshake(this, peerType, identity);
        if (pipe == null) {
            closeAfterFlush = "peer refused by the " + ourType + " socket (already paired, or routing id in use)";
            phase = Phase.ACTIVE;
            flush();
            return;
        }
        phase = Phase.ACTIVE;
        flush();
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
        close("protocol error from " + peerAddress + ": " + reason);
    }

    // ---- output ---------------------------------------------------------------------------

    private void sendCommand(byte[] body) {
        commands.add(body);
    }

    /** Encodes pending commands and messages into {@code out} until it is full or nothing is left. */
    private void fillOutput() {
        while (out.remaining() >= 9) {
            if (!encoder.busy()) {
                var command = commands.poll();
                if (command != null) {
                    encoder.start(new byte[][] {command}, true);
                } else {
                    var message = nextMessage();
                    if (message == null) {
                        return;
                    }
                    encoder.start(Frames.unwrap(message), false);
                }
            }
            if (!encoder.encode(out)) {
                return;
            }
        }
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
