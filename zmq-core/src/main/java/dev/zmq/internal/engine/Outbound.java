package dev.zmq.internal.engine;

import dev.zmq.Message;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.wire.FrameEncoder;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.mechanism.MessageCodec;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The message exchange, outbound: what the connection has to say, encoded into the output buffer
 * in this order: handshake and ERROR commands, a PONG or PING when due, then messages from the
 * pipe (taken in batches, without the socket lock), subscriptions among them becoming commands
 * for peers that expect commands. This is the per-message path: one-frame messages are encoded
 * from the frame itself, with nothing allocated around them.
 */
final class Outbound {
    /** Messages taken from the pipe per drain. */
    private static final int DRAIN_BATCH = 256;

    private final FrameEncoder encoder;
    private final Heartbeats heartbeats;
    private final SubscriptionCommands subscriptions;
    private final ZmtpEngine.PipeAccess access;
    private final ArrayDeque<byte[]> commands = new ArrayDeque<>();
    /** Commands after a handshake whose mechanism protects traffic: already encoded by {@link #codec}. */
    private final ArrayDeque<byte[]> sealedCommands = new ArrayDeque<>();
    private final ArrayDeque<Message> batch = new ArrayDeque<>();
    /** Set when the handshake completes with a mechanism that protects traffic (CURVE); null otherwise. */
    private MessageCodec codec;
    /** The handshake is over: PINGs and PONGs may go. */
    private boolean heartbeatsFlow;
    /** Some messages become commands (see {@link SubscriptionCommands#translatesOutbound}). */
    private boolean translate;
    /** Where messages come from, once the socket accepted the peer; null before (and after the connection). */
    private Pipe pipe;

    Outbound(FrameEncoder encoder, Heartbeats heartbeats, SubscriptionCommands subscriptions, ZmtpEngine.PipeAccess access) {
        this.encoder = encoder;
        this.heartbeats = heartbeats;
        this.subscriptions = subscriptions;
        this.access = access;
    }

    /** Queues a command (its body), protected by the codec if the handshake set one. */
    void command(byte[] body) {
        if (codec != null) {
            sealedCommands.add(codec.encode(body, FrameFlags.COMMAND));
        } else {
            commands.add(body);
        }
    }

    /** Whether handshake commands wait to be written. */
    boolean hasCommands() {
        return !commands.isEmpty();
    }

    /** The handshake completed with a mechanism that protects what follows (null: none does). */
    void protect(MessageCodec codec) {
        this.codec = codec;
    }

    /** The handshake is over: heartbeat commands may go (messages too, once {@link #open}ed). */
    void handshakeOver() {
        heartbeatsFlow = true;
    }

    /** Messages flow from {@code pipe}. */
    void open(Pipe pipe) {
        this.translate = subscriptions.translatesOutbound();
        this.pipe = pipe;
    }

    /** The connection closed: nothing more is taken from the pipe. */
    void close() {
        pipe = null;
        heartbeatsFlow = false;
    }

    /** Whether nothing waits to be encoded. */
    boolean idle() {
        return !encoder.busy() && batch.isEmpty() && commands.isEmpty() && sealedCommands.isEmpty() && heartbeats.idle();
    }

    /** Messages taken from the pipe but not yet started on the wire. */
    ArrayDeque<Message> unsent() {
        return batch;
    }

    /** Encodes pending commands and messages into {@code out} until it is full or nothing is left. */
    void fill(ByteBuffer out) {
        while (out.remaining() >= 9 && fillOne(out)) {
            // one command or message per call
        }
        encoder.flushStage(out);
    }

    /**
     * Encodes the next command or message into {@code out}; false when it did not fit whole or
     * nothing is left. A method per message, not the body of {@link #fill}'s loop: HotSpot compiles
     * a method after a few hundred calls but a loop only after tens of thousands of turns, and one
     * fill encodes thousands of small messages, so as a loop body this ran interpreted for the first
     * ~60,000 messages of a connection (and its large body was compiled twice, on-stack replacement
     * then normally).
     */
    private boolean fillOne(ByteBuffer out) {
        if (!encoder.busy()) {
            var command = commands.poll();
            byte[] sealedCommand;
            byte[] heartbeatCommand;
            if (command == null && sealedCommands.isEmpty() && heartbeatsFlow
                    && (heartbeatCommand = heartbeats.nextCommand()) != null) {
                startCommand(heartbeatCommand);
            } else if (command != null) {
                encoder.start(new byte[][] {command}, true);
            } else if ((sealedCommand = sealedCommands.poll()) != null) {
                encoder.startSealed(new byte[][] {sealedCommand});
            } else {
                var message = nextMessage();
                if (message == null) {
                    return false;
                }
                // One-frame messages (most) are encoded from the frame itself, with no array around it.
                var single = message.size() == 1 ? message.first() : null;
                byte[] asCommand;
                if (translate && single != null && (asCommand = subscriptions.toCommand(single)) != null) {
                    startCommand(asCommand);
                } else if (codec != null) {
                    return sealInto(out, message);
                } else if (single != null) {
                    if (encoder.stage(single, out)) {
                        return true; // small: staged, goes into out in bulk at the end of the fill
                    }
                    encoder.start(single);
                } else {
                    encoder.start(Frames.unwrap(message), false);
                }
            }
        }
        return encoder.encode(out);
    }

    /** Starts a command made after the handshake (PING, PONG, a subscription), protected if the codec says so. */
    private void startCommand(byte[] body) {
        if (codec != null) {
            encoder.startSealed(new byte[][] {codec.encode(body, FrameFlags.COMMAND)});
        } else {
            encoder.start(new byte[][] {body}, true);
        }
    }

    /**
     * Each frame of a message as a MESSAGE command, MORE on all but the last: sealed straight into
     * the encoder's stage, or into {@code out}, while whole frames fit (no array per frame); the
     * frames that do not fit are sealed into arrays of their own for the encoder to write as room
     * comes. Returns as {@link FrameEncoder#encode}: true when the whole message is in {@code out}
     * or staged for it.
     */
    private boolean sealInto(ByteBuffer out, Message message) {
        if (message.size() == 1) {
            var frame = message.first();
            if (!sealInto(out, frame, 0)) {
                encoder.startSealed(new byte[][] {codec.encode(frame, 0)});
                return encoder.encode(out);
            }
            return true;
        }
        var frames = Frames.unwrap(message);
        int i = 0;
        while (i < frames.length && sealInto(out, frames[i], i < frames.length - 1 ? FrameFlags.MORE : 0)) {
            i++;
        }
        if (i == frames.length) {
            return true;
        }
        var sealed = new byte[frames.length - i][];
        for (int k = 0; k < sealed.length; k++, i++) {
            sealed[k] = codec.encode(frames[i], i < frames.length - 1 ? FrameFlags.MORE : 0);
        }
        encoder.startSealed(sealed);
        return encoder.encode(out);
    }

    /**
     * Seals one frame as a MESSAGE command frame if it fits whole: into the encoder's stage (small
     * ones: sealed in place among the batch's other frames, which go into {@code out} in one bulk
     * copy) or straight into {@code out}; false (nothing written) if it does not fit.
     */
    private boolean sealInto(ByteBuffer out, byte[] frame, int flags) {
        int body = codec.encodedLength(frame.length);
        int at = encoder.stageSealed(body, out);
        if (at >= 0) {
            codec.encode(frame, flags, encoder.stagedArray(), at);
            return true;
        }
        // Written into out directly: the staged bytes go first.
        encoder.flushStage(out);
        if (out.remaining() < FrameEncoder.headerLength(body) + body) {
            return false;
        }
        FrameEncoder.putSealedHeader(out, body);
        codec.encode(frame, flags, out);
        return true;
    }

    private Message nextMessage() {
        if (pipe == null) {
            return null;
        }
        var m = batch.poll();
        if (m == null) {
            access.drain(pipe, batch, DRAIN_BATCH);
            m = batch.poll();
        }
        return m;
    }
}
