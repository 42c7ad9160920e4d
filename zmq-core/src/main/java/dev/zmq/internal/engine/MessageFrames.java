package dev.zmq.internal.engine;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import dev.zmq.SocketType;
import dev.zmq.internal.Frames;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.ZmtpProtocolException;
import dev.zmq.internal.wire.mechanism.MessageCodec;
import java.util.ArrayList;
import java.util.Map;

/**
 * The message exchange, inbound: once the handshake is done, every frame the decoder reads comes
 * here. Data frames are assembled into messages (bounded by MAX_MULTIPART_SIZE) in a batch the
 * engine hands to the pipe after each read; commands go to {@link PeerCommands}. This is the
 * per-message path: no allocation beyond the message itself, no virtual calls.
 */
final class MessageFrames {
    /**
     * What each frame of a message in progress costs towards the per-message bound beyond its bytes
     * (its array and list slot), so a never-ending message of empty frames is bounded too.
     */
    static final int FRAME_OVERHEAD = 16;
    private static final byte[][] NO_FRAMES = new byte[0][];
    /**
     * A delivered batch of more messages than this (one read of thousands of small ones: up to a
     * read buffer's worth) is let go rather than emptied, so a connection does not keep its array.
     */
    static final int KEPT_BATCH = 1024;

    private final ZmtpEngine engine;
    private final PeerCommands commands;
    private final boolean radio;
    private final boolean dish;
    /** Largest message in progress (all its frames), -1 for no limit; see SocketOption.MAX_MULTIPART_SIZE. */
    private final long maxMessageBytes;
    private ArrayList<Message> batch = new ArrayList<>();
    private final ArrayList<byte[]> parts = new ArrayList<>();
    /** The bytes (plus {@link #FRAME_OVERHEAD} each) of the frames in {@link #parts}. */
    private long partsBytes;
    /** Set when the handshake completes with a mechanism that protects traffic (CURVE); null otherwise. */
    private MessageCodec codec;
    /** No codec, neither RADIO nor DISH: a one-frame data message goes into the batch as it is. */
    private boolean plain;
    /** Connection properties handed to the application with each received message (shared, immutable). */
    private Map<String, String> properties = Map.of();

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
        this.properties = properties;
        this.plain = codec == null && !radio && !dish;
    }

    /** Refuses a data frame from its header, before its body is allocated, if it takes the message past its bound. */
    void checkHeader(int flags, long size) throws ZmtpProtocolException {
        if ((flags & FrameFlags.COMMAND) != 0) {
            return;
        }
        if (maxMessageBytes >= 0 && partsBytes + size + FRAME_OVERHEAD > maxMessageBytes) {
            throw new ZmtpProtocolException("message of more than " + maxMessageBytes + " bytes (" + (parts.size() + 1)
                    + " frames so far) exceeds MAX_MULTIPART_SIZE");
        }
    }

    /** Whether frames are CURVE boxes, which {@link #onSealedFrame} opens from the decoder's own bytes. */
    boolean opensInPlace() {
        return codec != null;
    }

    /**
     * A whole data frame ({@code flags} MORE or 0) whose header was not checked yet: as
     * {@link #checkHeader} then {@link #onFrame}, with a short path for the common plain one-frame
     * message. Returns how many messages the batch holds now.
     */
    int onDataFrame(int flags, byte[] body) throws ZmtpProtocolException {
        if (flags == 0 && plain && parts.isEmpty() && (maxMessageBytes < 0 || body.length + FRAME_OVERHEAD <= maxMessageBytes)) {
            batch.add(Frames.wrapOne(body, properties));
        } else {
            checkHeader(flags, body.length);
            onFrame(flags, body);
        }
        return batch.size();
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
     * carrying one frame or command and its flags, opened into the frame's own array.
     */
    void onSealedFrame(byte[] bytes, int off, int len) throws ZmtpProtocolException {
        byte[] body;
        try {
            body = codec.decode(bytes, off, len);
        } catch (ZmtpProtocolException e) {
            engine.messageDecodeFailed(e);
            throw e;
        }
        int flags = codec.lastFlags();
        if (flags == (FrameFlags.COMMAND | FrameFlags.MORE)) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE, "command with the MORE flag in a CURVE MESSAGE");
        }
        onOpenFrame(flags, body);
    }

    /** A data frame or command as sent, before or without protection. */
    private void onOpenFrame(int flags, byte[] body) throws ZmtpProtocolException {
        if ((flags & FrameFlags.COMMAND) != 0) {
            commands.onCommand(Command.decode(body), batch);
            return;
        }
        boolean more = (flags & FrameFlags.MORE) != 0;
        if (radio) {
            return; // a DISH sends commands only; libzmq's radio reads other messages and drops them
        }
        if (dish) {
            GroupCommands.checkRadioFrame(parts.size(), more, body.length);
        }
        if (more) {
            parts.add(body);
            partsBytes += body.length + FRAME_OVERHEAD;
        } else if (parts.isEmpty()) {
            batch.add(Frames.wrapOne(body, properties));
        } else {
            parts.add(body);
            batch.add(Frames.wrap(parts.toArray(NO_FRAMES), properties));
            parts.clear();
            partsBytes = 0;
        }
    }

    /** Complete messages decoded since the last delivery (the engine hands them on, then calls {@link #delivered}). */
    ArrayList<Message> batch() {
        return batch;
    }

    /** The batch was handed on (or dropped): start the next one. */
    void delivered() {
        if (batch.size() > KEPT_BATCH) {
            batch = new ArrayList<>();
        } else {
            batch.clear();
        }
    }

    /** Whether no message is partly received. */
    boolean betweenMessages() {
        return parts.isEmpty();
    }

    /** Lets go of everything received and not delivered (the connection failed). */
    void discard() {
        parts.clear();
        delivered();
    }
}
