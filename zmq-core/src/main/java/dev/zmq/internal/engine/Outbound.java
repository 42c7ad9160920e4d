package dev.zmq.internal.engine;

import dev.zmq.Message;
import dev.zmq.internal.Frames;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.wire.FrameEncoder;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.Scratch;
import dev.zmq.internal.wire.mechanism.MessageCodec;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The message exchange, outbound: what the connection has to say, encoded into the output buffer
 * in this order: handshake and ERROR commands, a PONG or PING when due, then messages straight
 * from the pipe (without the socket lock), subscriptions among them becoming commands for peers
 * that expect commands. This is the per-message path: one-frame messages are encoded from the
 * frame itself, with nothing allocated around them.
 */
final class Outbound {
    /**
     * Messages {@link #fillMessages} encodes per call, committed together: few enough that its loop
     * does not turn 40,000 times before it is called 600 times (see fillMessages). Not fewer, though
     * at 32 the loop is still OSR-compiled before its normal compile in some cold senders (as
     * {@link #SEALED_BATCH} says; 16 B x2M 4 of 24, 256 B x1M 5 of 22, LogCompilation; at 16, 0 of 26):
     * at 16 {@link #fillPlain} turns twice as often, and with 16-byte messages its normal compile, with
     * the per-message path inlined, then came inside the window in 13 of 14 senders (8 of 24 at 32).
     */
    private static final int BATCH = 32;
    /**
     * Messages {@link #fillSealedBatch} seals per call: fewer than {@link #BATCH}, so that its normal
     * C2 compile is queued before its loop's OSR compile. HotSpot looks at a profiled method's loop
     * (40,000 turns, times the C2 queue's load factor) before its calls (600 calls and 15,000 calls
     * plus turns, the same factor) at each of the loop's counter overflows, and queues the OSR compile
     * first when both pass at once: that happens when the C2 queue empties between two overflows, and
     * at 32 turns a call the two thresholds are close enough for it (LogCompilation of cold CURVE
     * 64 B x200k senders: fillSealedBatch compiled twice, OSR then normal, 28 + 27 ms of the C2
     * thread's wall time, in 2 of 6). At 8 a call the loop's threshold comes at 5,000 calls, three
     * times the calls' own, and the sealing costs ~0.5 us a message against one commit per batch.
     */
    private static final int SEALED_BATCH = 8;
    /** {@link #fillMessage}: the message is in, go on; the same value as {@link FrameEncoder#STAGED}. */
    private static final int GO_ON = FrameEncoder.STAGED;
    /** {@link #fillMessage}: the pipe is empty, or {@code out} cannot take more. */
    private static final int STOP = FrameEncoder.OUT_FULL;

    private final FrameEncoder encoder;
    private final Heartbeats heartbeats;
    private final SubscriptionCommands subscriptions;
    private final ArrayDeque<byte[]> commands = new ArrayDeque<>();
    /** Commands after a handshake whose mechanism protects traffic: already encoded by {@link #codec}. */
    private final ArrayDeque<byte[]> sealedCommands = new ArrayDeque<>();
    /** Set when the handshake completes with a mechanism that protects traffic (CURVE); null otherwise. */
    private MessageCodec codec;
    /** The handshake is over: PINGs and PONGs may go. */
    private boolean heartbeatsFlow;
    /** Some messages become commands (see {@link SubscriptionCommands#translatesOutbound}). */
    private boolean translate;
    /** Neither {@link #translate} nor a {@link #codec}: a one-frame message is encoded as it is. */
    private boolean plain = true;
    /** Where messages come from, once the socket accepted the peer; null before (and after the connection). */
    private Pipe pipe;
    /** Messages taken from the pipe so far (see {@link #taken()}). */
    private long taken;

    Outbound(FrameEncoder encoder, Heartbeats heartbeats, SubscriptionCommands subscriptions) {
        this.encoder = encoder;
        this.heartbeats = heartbeats;
        this.subscriptions = subscriptions;
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
        this.plain = !translate && codec == null;
    }

    /** The handshake is over: heartbeat commands may go (messages too, once {@link #open}ed). */
    void handshakeOver() {
        heartbeatsFlow = true;
    }

    /** Messages flow from {@code pipe}. */
    void open(Pipe pipe) {
        this.translate = subscriptions.translatesOutbound();
        this.plain = !translate && codec == null;
        this.pipe = pipe;
    }

    /** The connection closed: nothing more is taken from the pipe. */
    void close() {
        pipe = null;
        heartbeatsFlow = false;
    }

    /** Messages taken from the pipe so far: the engine tells a stream (many per flush) from a request (one). */
    long taken() {
        return taken;
    }

    /** Whether nothing waits to be encoded. */
    boolean idle() {
        return !encoder.busy() && commands.isEmpty() && sealedCommands.isEmpty() && heartbeats.idle();
    }

    /**
     * Messages taken from the pipe but not yet started on the wire: none, as messages are taken
     * one at a time as they are encoded (those not taken stay in the pipe for the next connection).
     */
    ArrayDeque<Message> unsent() {
        return new ArrayDeque<>();
    }

    /**
     * Encodes pending commands, then messages, into {@code out} until it is full or nothing is
     * left. Commands are queued only between fills (on this I/O thread), so taking them all first
     * keeps the order in which they and the messages were queued.
     */
    void fill(ByteBuffer out) {
        var p = pipe;
        if ((!encoder.busy() || encoder.encode(out)) && fillCommands(out) && p != null) {
            if (codec != null) {
                fillSealedMessages(out, p);
            } else {
                fillPlain(out, p);
            }
        }
        encoder.flushStage(out);
    }

    /**
     * Encodes messages from the pipe until {@code out} is full or the pipe empty, a batch a call of
     * {@link #fillMessages}. A loop of its own, not in {@link #fill}: it turns a few dozen times per
     * fill, which made C2 compile {@link #fill} (with its commands and encoder paths, 29-50 ms of the C2
     * thread's wall time late in cold 16 B and 256 B senders, LogCompilation); this one compiles small
     * when {@link #fillMessages} is already compiled and large (256 B: 3-4.6 KB of code, not inlined).
     * With 16-byte messages it is not (~2 KB, under C2's InlineSmallCode): this loop turns ~65 times a
     * fill, 40,000 times by ~1.3M messages, and is then OSR-compiled with the per-message path
     * inlined again (22 of 24 cold 16 B x2M senders, LogCompilation), in 8 normally compiled too.
     *
     * <p>So shaped as {@link #fillMessages}'s loop, its first block ending in a test whose two ways both
     * stay in the loop: as {@code while (fillMessages(out, p))} the call was the loop's head and its
     * exit test, and C2's normal compile of this method parsed the inlined per-message path twice
     * (1,752 bytes, against 876 in its OSR compile, which never copies the head); now once.
     */
    private void fillPlain(ByteBuffer out, Pipe p) {
        int more;
        do {
            more = fillMessages(out, p) ? 1 : 0;
        } while (more != 0);
    }

    /**
     * Encodes up to {@link #BATCH} messages from the pipe, then commits them; true when all went in
     * and there may be more ({@link #fillPlain} calls again), false once {@code out} is full or the pipe
     * empty. The loop is a method of its own, compiled (large) before {@link #fill} is: so the JIT does
     * not inline it there, and when {@link #fill}'s rare case (a message left half-written by the
     * last fill) first occurs, only {@link #fill} is compiled again, not the whole per-message loop.
     *
     * <p>A batch per call, not a whole fill (up to a buffer's worth, ~450 16-byte messages): HotSpot
     * compiles a method whose loop turns that often per call first as an OSR compile (at 40,000 turns,
     * before the 600 calls of a normal compile), and a fill then enters that code only at the loop's
     * counter overflow, once every 8,192 turns: most of the time it ran the profiling tier until the
     * normal compile came, while the OSR compile (10-50 ms of the C2 thread's wall time in a cold
     * 16 B x2M sender, LogCompilation) was compiled for nearly nothing. At 32 messages a call the
     * normal compile comes first, at a few hundred calls, and is the only one.
     *
     * <p>Shaped for C2: a do-while whose first block (the per-message call) ends in a test whose two
     * ways both stay in the loop, the loop left from its last block only. C2's parser (ciTypeFlow)
     * copies a loop head that ends in a test leaving the loop, and with the per-message call in that
     * head it parsed and compiled the whole inlined message path twice: so in the form
     * {@code do ... while (next == GO_ON && --left != 0)} too (fillMessage inlined twice into this
     * method in 4 of 4 cold 16 B x2M senders' LogCompilation). And one {@link Pipe#commitOut}
     * call site (each site is inlined with the wake-up of a waiting sender: the socket's lock and
     * condition).
     */
    private boolean fillMessages(ByteBuffer out, Pipe p) {
        int next;
        int left = BATCH;
        do {
            next = fillMessage(out, p);
            left = next == GO_ON ? left - 1 : 0;
        } while (left != 0);
        p.commitOut();
        return next == GO_ON;
    }

    /**
     * {@link #fillMessages} under a codec (CURVE): the same loop, sealing ({@link #fillSealedBatch}). A loop
     * of its own, so a connection under a codec never runs {@link #fillMessage}, and the JIT
     * compiles one per-message method for it instead of a chain. Through fillMessage, fillOther and
     * the two sealIntos, each called once per message and too large for C1 to inline into its caller,
     * every one of them became a C2 compile of its own, each with the sealing path below it inlined
     * again (LogCompilation and perf of a cold CURVE 64 B x200k sender: those compiles took 40-50 ms
     * of the C2 thread's CPU, most of it inside the measured window).
     *
     * <p>A {@link #fillSealedBatch} per turn, for the same reason as {@link #fillMessages}: a whole
     * fill is ~600 sealed 64-byte messages, and a cold CURVE 64 B x200k sender compiled a loop over
     * all of them twice, first as an OSR compile (113 ms of the C2 thread's wall time, load 5), then
     * normally (40 ms), each with the whole sealing path down to the box inlined (1,420 bytecodes;
     * LogCompilation). This loop turns a few dozen times per fill and compiles small.
     */
    private void fillSealedMessages(ByteBuffer out, Pipe p) {
        while (fillSealedBatch(out, p)) {
            // the next batch
        }
    }

    /**
     * Up to {@link #SEALED_BATCH} messages, then one commit; true while there may be more. As
     * {@link #fillMessage} under a codec: a one-frame message (most) is sealed straight into the
     * encoder's stage, among the batch's other frames; anything else (several frames, a subscription
     * to translate, a frame that does not fit beside the staged ones) goes the general way.
     *
     * <p>The per-message step is the loop's body, not a method of its own: as one ({@code fillSealed},
     * 104 bytecodes, more than C1 inlines) it was a call per message in the profiling tier, and C2
     * compiled it alone (901 inlined bytecodes, 8 ms of the C2 thread's wall time in a cold CURVE
     * 64 B x200k sender, LogCompilation) before compiling it again inside this loop.
     *
     * <p>The loop shaped as {@link #fillMessages}'s: its first block ends in a test whose two ways
     * both stay in the loop. In the {@code while (next == GO_ON && --left != 0)} form C2 parsed the
     * per-message step, with the whole sealing path inlined, twice (LogCompilation of a cold CURVE
     * 64 B x200k sender: 2,417 inlined bytecodes, 25 ms of the C2 thread's CPU inside the receiver's
     * window).
     */
    private boolean fillSealedBatch(ByteBuffer out, Pipe p) {
        int next;
        int left = SEALED_BATCH;
        do {
            next = GO_ON;
            var message = p.pollOut();
            if (message == null) {
                next = STOP;
            } else {
                taken++;
                var frame = oneFrame(message);
                int at;
                if (frame != null && !translate && (at = encoder.stageSealed(codec.encodedLength(frame.length), out)) >= 0) {
                    codec.encode(frame, 0, encoder.stagedArray(), at);
                } else if (!fillOther(out, message)) {
                    next = STOP;
                }
            }
            left = next == GO_ON ? left - 1 : 0;
        } while (left != 0);
        p.commitOut();
        return next == GO_ON;
    }

    /** Encodes the queued commands (handshake, ERROR, PONG, PING); false when one did not fit whole. */
    private boolean fillCommands(ByteBuffer out) {
        while (true) {
            byte[] command;
            if ((command = commands.poll()) != null) {
                encoder.start(new byte[][] {command}, true);
            } else if ((command = sealedCommands.poll()) != null) {
                encoder.startSealed(new byte[][] {command});
            } else if (heartbeatsFlow && (command = heartbeats.nextCommand()) != null) {
                startCommand(command);
            } else {
                return true;
            }
            if (!encoder.encode(out)) {
                return false;
            }
        }
    }

    /**
     * Encodes the next message from the pipe into {@code out}: {@link #GO_ON} when it is in (or
     * staged for) {@code out} whole and there may be room for more; anything else when it did not
     * fit whole or there is none. A method per message, not the body of {@link #fill}'s loop:
     * HotSpot compiles a method after a few hundred calls but a loop only after tens of thousands of
     * turns, and one fill encodes thousands of small messages. Kept small (the common one-frame
     * message only), so it is compiled early and inlined whole. An int, not a boolean: the staged
     * frame's "out is full" ({@link FrameEncoder#OUT_FULL}) reaches the loop's one exit test as a
     * value, so no branch of its own waits untaken until the socket first backs up.
     */
    private int fillMessage(ByteBuffer out, Pipe p) {
        var message = p.pollOut();
        if (message == null) {
            return STOP;
        }
        taken++;
        var frame = plain ? oneFrame(message) : null;
        if (frame == null) {
            return fillOther(out, message) ? GO_ON : STOP;
        }
        int staged = encoder.stage(frame, out);
        if (staged != FrameEncoder.NOT_STAGED) {
            return staged; // STAGED (= GO_ON) or OUT_FULL; the stage goes into out in bulk at the end of the fill
        }
        encoder.start(frame);
        return encoder.encode(out) ? GO_ON : STOP;
    }

    /** {@link #fillMessage} for a message of several frames, a subscription to translate, or under a codec. */
    private boolean fillOther(ByteBuffer out, Object message) {
        // One-frame messages (most) are encoded from the frame itself, with no array around it.
        var single = oneFrame(message);
        byte[] asCommand;
        if (translate && single != null && (asCommand = subscriptions.toCommand(single)) != null) {
            startCommand(asCommand);
        } else if (codec != null) {
            return sealInto(out, message);
        } else if (single != null) {
            encoder.start(single);
        } else {
            encoder.start(Frames.unwrap((Message) message), false);
        }
        return encoder.encode(out);
    }

    /**
     * The frame of a one-frame message taken from the pipe, or null if it has several: the pipe
     * holds a Message, or the bare frame a one-frame {@code send(byte[])} queued (see {@link Pipe#pushOut}).
     * A cast, not a pattern variable (one local fewer): 34 bytecodes, within the 35 that C1 inlines,
     * so this is no C2 compile of its own beside the fill methods that call it per message.
     */
    private static byte[] oneFrame(Object message) {
        if (message instanceof byte[]) {
            return (byte[]) message;
        }
        var m = (Message) message;
        return m.size() == 1 ? m.first() : null;
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
    private boolean sealInto(ByteBuffer out, Object message) {
        var frame = oneFrame(message);
        if (frame != null) {
            if (!sealInto(out, frame, 0)) {
                // Sealed into the thread's spare array of that size, which the encoder gives back once
                // written: a 64 KiB box does not fit a 256 KiB buffer after three others, and a new
                // array each time was 16 KiB allocated per message on average.
                var sealed = Scratch.takeExact(codec.encodedLength(frame.length));
                codec.encode(frame, 0, sealed, 0);
                encoder.startSealedLent(sealed);
                return encoder.encode(out);
            }
            return true;
        }
        var frames = Frames.unwrap((Message) message);
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
}
