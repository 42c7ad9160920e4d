package dev.zmq.internal.engine;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import dev.zmq.SocketType;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.FrameDecoder;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.ZmtpProtocolException;
import dev.zmq.internal.wire.mechanism.MessageCodec;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/**
 * The message exchange, inbound: once the handshake is done, every frame the decoder reads comes
 * here. Data frames are assembled into messages (bounded by MAX_MULTIPART_SIZE), each offered to
 * the pipe as it is complete and published by the engine a batch at a time ({@link #pending});
 * commands go to {@link PeerCommands}. This is the per-message path: no allocation beyond the
 * message itself, no virtual calls, and no list between the decoder and the pipe (a list cost an
 * add and a get per message, and a loop of its own that ran interpreted while the JIT warmed up).
 */
final class MessageFrames {
    /**
     * What each frame of a message in progress costs towards the per-message bound beyond its bytes
     * (its array and list slot), so a never-ending message of empty frames is bounded too.
     */
    static final int FRAME_OVERHEAD = 16;

    private final ZmtpEngine engine;
    private final PeerCommands commands;
    private final boolean radio;
    private final boolean dish;
    /** Largest message in progress (all its frames), -1 for no limit; see SocketOption.MAX_MULTIPART_SIZE. */
    private final long maxMessageBytes;
    /** Where complete messages go: the pipe the session accepted this peer with; null until then, or if refused (dropped). */
    private Pipe pipe;
    /** Messages offered to the pipe since the engine last published them. */
    private int pending;
    /**
     * The frames of the message in progress, {@link #partCount} of them. An array of our own, not an
     * ArrayList: {@code toArray(byte[][])} ends in {@code Arrays.copyOf} with the array's class, a
     * reflective allocation in the interpreter and C1, and in C2 a type speculation from the profile
     * every caller of ArrayList.toArray shares, which failed on the first message in each side of a
     * REQ/REP exchange (two frames per message) and sent the compiled onOpenFrame back for a second
     * C2 compile (LogCompilation: class_check trap at ArrayList.toArray, ~10 ms of C2 per side).
     */
    private byte[][] parts = new byte[4][];
    private int partCount;
    /** The bytes (plus {@link #FRAME_OVERHEAD} each) of the frames in {@link #parts}. */
    private long partsBytes;
    /** Set when the handshake completes with a mechanism that protects traffic (CURVE); null otherwise. */
    private MessageCodec codec;
    /** No codec, neither RADIO nor DISH: a one-frame data message goes into the batch as it is. */
    private boolean plain;
    /** Connection properties handed to the application with each received message (shared, immutable). */
    private Map<String, String> properties = Map.of();
    /** The handshake is done ({@link #start}): {@link #properties} are the connection's. */
    private boolean started;
    /**
     * One-frame messages go into the pipe as their bare array ({@link Pipe#offerInFrame}): the pipe
     * holds this connection's properties, and the message has no routing id or group (not DISH).
     */
    private boolean bare;
    /**
     * The largest body {@link #onDataFrame} puts into the pipe as it is (a one-frame message within
     * MAX_MULTIPART_SIZE, plain and {@link #bare}); -1 while they are not (every body is larger).
     */
    private int directMax = -1;

    MessageFrames(ZmtpEngine engine, PeerCommands commands, SocketType ourType, long maxMessageBytes) {
        this.engine = engine;
        this.commands = commands;
        this.radio = ourType == SocketType.RADIO;
        this.dish = ourType == SocketType.DISH;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The handshake's outcome: how frames are protected (null: not at all), and what messages carry. */
    void start(MessageCodec codec, Map<String, String> properties) {
        this.codec = codec;
        if (codec != null) {
            codec.reportFailuresTo(e -> engine.messageDecodeFailed(e));
        }
        this.properties = properties;
        this.plain = codec == null && !radio && !dish;
        this.started = true;
        this.bare = takesBareFrames();
        this.directMax = directMax();
    }

    /** Whether the pipe takes this connection's one-frame messages as bare arrays (asked once both are known). */
    private boolean takesBareFrames() {
        if (!started || radio || dish || pipe == null) {
            return false;
        }
        return pipe.takesBareFrames(properties, new Wrap(properties));
    }

    /**
     * Makes the one-frame Message a bare array stands for. A class, not a lambda: a lambda's class is
     * spun at its first use, 0.3-0.7 ms a side inside a latency tool's first roundtrip (class-load
     * log). A record whose equals, hashCode and toString (invokedynamic, spun at their first call,
     * see pgm's Tsi) nothing calls.
     */
    private record Wrap(Map<String, String> properties) implements Function<byte[], Message> {
        @Override
        public Message apply(byte[] frame) {
            return Frames.wrapOne(frame, properties);
        }
    }

    /** Complete messages go to {@code pipe} from now on (offered, published by the engine). */
    void deliverTo(Pipe pipe) {
        this.pipe = pipe;
        this.bare = takesBareFrames();
        this.directMax = directMax();
    }

    /** See {@link #directMax}: one field for what the one-frame short path asks, so it stays short. */
    private int directMax() {
        if (!plain || !bare) {
            return -1;
        }
        return maxMessageBytes < 0 ? Integer.MAX_VALUE : (int) Math.max(-1, Math.min(Integer.MAX_VALUE, maxMessageBytes - FRAME_OVERHEAD));
    }

    /** Refuses a data frame from its header, before its body is allocated, if it takes the message past its bound. */
    void checkHeader(int flags, long size) throws ZmtpProtocolException {
        if ((flags & FrameFlags.COMMAND) != 0) {
            return;
        }
        if (maxMessageBytes >= 0 && partsBytes + size + FRAME_OVERHEAD > maxMessageBytes) {
            throw new ZmtpProtocolException("message of more than " + maxMessageBytes + " bytes (" + (partCount + 1)
                    + " frames so far) exceeds MAX_MULTIPART_SIZE");
        }
    }

    /** Whether the handshake is done and data frames come as they were sent (no CURVE boxes, not RADIO or DISH). */
    boolean plainFrames() {
        return plain;
    }

    /** The codec opens frames into arrays {@code source} gives when it has one of the size (see {@code MessageCodec}). */
    void reuseArraysFrom(FrameDecoder.ArraySource source) {
        codec.reuseArraysFrom(source);
    }

    /** Whether frames are CURVE boxes, which {@link #onSealedFrame} opens from the decoder's own bytes. */
    boolean opensInPlace() {
        return codec != null;
    }

    /**
     * A whole data frame ({@code flags} MORE or 0) whose header was not checked yet: as
     * {@link #checkHeader} then {@link #onFrame}. The decoder's common case, a plain one-frame
     * message, goes into the pipe here as its bare array. Returns how many messages are pending now.
     *
     * <p>The whole way from the decoder's sink to the pipe in one method: as the engine's
     * {@code onDataFrame} (testing the phase), this class's {@code onDataFrame} and {@code addOne},
     * each over what C1 inlines, it was three methods compiled by C1 while the frames ran
     * interpreted, and again by C2 on their own after C2 had inlined them into the decoder
     * (LogCompilation of a cold 16 B x2M receiver, warm23's report).
     */
    int onDataFrame(int flags, byte[] body) throws ZmtpProtocolException {
        if (flags == 0 && partCount == 0 && body.length <= directMax) {
            pipe.offerInFrame(body);
            return ++pending;
        }
        return onOtherDataFrame(flags, body);
    }

    /** {@link #onDataFrame}'s general case. */
    private int onOtherDataFrame(int flags, byte[] body) throws ZmtpProtocolException {
        checkHeader(flags, body.length);
        onFrame(flags, body);
        return pending;
    }

    /**
     * CURVE: a whole data frame {@code bytes[off..off+len)} (read only during the call) whose header
     * was not checked yet, as {@link #checkHeader} then {@link #onSealedFrame}. No flags: the box
     * carries the message's own, and those of the frame around it (MORE or not) are ignored.
     * Returns how many messages are pending now.
     */
    int onSealedDataFrame(byte[] bytes, int off, int len) throws ZmtpProtocolException {
        if (maxMessageBytes >= 0) { // else there is nothing to check, and no call per message to compile
            checkHeader(0, len);
        }
        onSealedFrame(bytes, off, len);
        return pending;
    }

    void onFrame(int flags, byte[] body) throws ZmtpProtocolException {
        if (codec != null) {
            onSealedFrame(body, 0, body.length);
        } else {
            onOpenFrame(flags, body);
        }
    }

    /**
     * CURVE: the frame {@code bytes[off..off+len)} (read only during the call) is a MESSAGE command
     * carrying one frame or command and its flags, opened into the frame's own array (a frame the
     * codec refuses is reported to the engine by the codec itself, see {@link #start}).
     *
     * <p>17 bytes of bytecode, no locals, four stack slots: C1 inlines it (with the
     * {@code onSealedDataFrame} and {@code onDataFrameInPlace} above it) into
     * {@code FrameDecoder.smallFrame}, so it is not a method C2 compiles on its own. As one method
     * with the codec's result in a local and a catch for the engine's report, it was a call per
     * frame in the profiling tier, and C2 compiled it alone with the whole opening inlined (980
     * bytecodes) besides inlining it into smallFrame (LogCompilation of a cold CURVE 64 B x200k
     * receiver; 8-8.5 ms of its C2 thread's CPU in the window, perf).
     */
    void onSealedFrame(byte[] bytes, int off, int len) throws ZmtpProtocolException {
        codec.open(bytes, off, len);
        onOpened();
    }

    /** CURVE: the frame the codec just opened, with its flags. */
    private void onOpened() throws ZmtpProtocolException {
        byte[] body = codec.opened();
        int flags = codec.lastFlags();
        if (flags == 0 && !radio && !dish && partCount == 0) {
            // A one-frame data message, the common case, taken here: onOpenFrame, called per message, was one more C2 compile.
            addOne(body);
            return;
        }
        if (flags == (FrameFlags.COMMAND | FrameFlags.MORE)) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE, "command with the MORE flag in a CURVE MESSAGE");
        }
        onOpenFrame(flags, body);
    }

    /** A data frame or command as sent, before or without protection. */
    private void onOpenFrame(int flags, byte[] body) throws ZmtpProtocolException {
        if ((flags & FrameFlags.COMMAND) != 0) {
            var subscription = commands.onCommand(Command.decode(body));
            if (subscription != null) {
                add(subscription);
            }
            return;
        }
        boolean more = (flags & FrameFlags.MORE) != 0;
        if (radio) {
            return; // a DISH sends commands only; libzmq's radio reads other messages and drops them
        }
        if (dish) {
            GroupCommands.checkRadioFrame(partCount, more, body.length);
        }
        if (more) {
            addPart(body);
            partsBytes += body.length + FRAME_OVERHEAD;
        } else if (partCount == 0) {
            addOne(body);
        } else {
            addPart(body);
            add(Frames.wrap(takeParts(), properties));
        }
    }

    private void addPart(byte[] body) {
        if (partCount == parts.length) {
            growParts();
        }
        parts[partCount++] = body;
    }

    private void growParts() {
        parts = Arrays.copyOf(parts, partCount * 2);
    }

    /** The frames of the message now complete, as its own array; none are kept here. */
    private byte[][] takeParts() {
        int n = partCount;
        var frames = new byte[n][];
        System.arraycopy(parts, 0, frames, 0, n);
        clearParts();
        return frames;
    }

    private void clearParts() {
        Arrays.fill(parts, 0, partCount, null);
        partCount = 0;
        partsBytes = 0;
    }

    /** A complete message: into the pipe, unseen by the application until the engine publishes it. */
    private void add(Message message) {
        if (pipe != null) {
            pipe.offerIn(message);
        }
        pending++;
    }

    /** A complete one-frame message: as {@link #add}, as its bare array when the pipe takes it so (no Message). */
    private void addOne(byte[] body) {
        if (bare) {
            pipe.offerInFrame(body);
        } else if (pipe != null) {
            pipe.offerIn(Frames.wrapOne(body, properties));
        }
        pending++;
    }

    /** Complete messages offered to the pipe (or dropped, without one) since the last {@link #delivered}. */
    int pending() {
        return pending;
    }

    /** The engine published the pending messages (or let them go): the count starts again. */
    void delivered() {
        pending = 0;
    }

    /** Whether no message is partly received. */
    boolean betweenMessages() {
        return partCount == 0;
    }

    /** Lets go of the message partly received (the connection failed); whole ones are the engine's to publish. */
    void discard() {
        clearParts();
    }
}
