package dev.zmq.internal.engine;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import dev.zmq.SocketType;
import dev.zmq.internal.io.BufferPool;
import dev.zmq.internal.io.IoHandler;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.sync.WordLock;
import dev.zmq.internal.wire.Decoder;
import dev.zmq.internal.wire.FrameDecoder;
import dev.zmq.internal.wire.FrameEncoder;
import dev.zmq.internal.wire.ZmtpProtocolException;
import dev.zmq.internal.wire.mechanism.Handshake;
import dev.zmq.internal.wire.mechanism.Mechanism;
import dev.zmq.internal.wire.mechanism.MessageCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Map;

/**
 * One ZMTP connection: the NIO read and write loop between the channel and the session's pipe, and
 * the stages a connection goes through, each its own class handing over to the next (as libzmq's
 * stream_engine, zmtp_engine and mechanisms): {@link GreetingStage} (greeting, revision detection
 * and downgrade), a {@link HandshakeStage} (the mechanism's handshake with ZAP, or a ZMTP 1.0/2.0
 * identity frame), then the message exchange ({@link MessageFrames} in, {@link Outbound} out,
 * {@link PeerCommands} for commands). {@link Heartbeats} keeps the connection's timers. Runs
 * entirely on its I/O thread.
 *
 * <p>Writes are batched: whenever the channel can take data, every queued message is encoded
 * into one buffer and written with as few syscalls as the kernel allows. Reads decode a whole
 * buffer of frames and hand the complete messages to the pipe at once.
 */
public final class ZmtpEngine implements IoHandler, Engine, Heartbeats.Connection {
    private static final System.Logger LOG = System.getLogger(ZmtpEngine.class.getName());
    /** Read rounds per readiness event, so one busy peer cannot starve the others. */
    private static final int READ_ROUNDS = 8;
    /**
     * Decoded messages are handed to the pipe as soon as this many are waiting (or fewer, the room
     * left below RCVHWM), even in the middle of a read; once that reaches RCVHWM the decoder stops
     * there and the rest of the read is held ({@link #heldInput}), so the pipe never holds more
     * than RCVHWM however large the read buffer is. Fewer are handed on when the reading stops, or
     * at once after a read that did not fill the buffer (so a lone message waits for no further
     * read); large messages (a few per read) thus wake the application once per readiness event
     * rather than once per read.
     */
    private static final int DELIVERY_BATCH = 64;
    /**
     * While the application sleeps on the pipe, up to this many messages are decoded before it is
     * woken: each wake-up costs a context switch on both sides, and a reader woken for 64 messages
     * reads them faster than we decode the next 64, so it would sleep again. Well below the
     * default RCVHWM (1000): a batch that fills the pipe to RCVHWM would pause our reading until
     * the application has read half of it, a wake-up of this thread more.
     */
    private static final int WAKE_BATCH = 256;
    /** Command frames are small (READY, PING, ERROR); refuse absurd ones before allocating. */
    private static final long MAX_COMMAND_FRAME = 64 * 1024;
    private static final byte[] NO_ROUTING_ID = new byte[0];
    /**
     * A fill that stops inside a frame of at least this size (the output buffer was full) marks the
     * connection as streaming large frames: its buffer is swapped for a larger one from the pool
     * ({@link BufferPool#acquireLarge}) once what it holds is written.
     */
    private static final int BULK_FRAME = 4096;

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

        /**
         * Whether {@link #onOutputDrained} is awaited (the session lingers). Any thread: an
         * application thread that wrote the connection's output itself hands the notice to the
         * I/O thread when it is.
         */
        default boolean drainAwaited() {
            return true;
        }
    }

    /**
     * How the raw engine reaches its socket's queues: lock-free, through the pipe (see {@code Pipe}).
     * This engine offers what it decodes to the pipe itself ({@link MessageFrames}).
     */
    public interface PipeAccess {
        /** Adds decoded messages to the pipe; false when RCVHWM is reached and reading must pause. */
        boolean deliver(Pipe pipe, ArrayList<Message> batch);

        /** Moves up to {@code max} outbound messages from the pipe to {@code into}. */
        void drain(Pipe pipe, ArrayDeque<Message> into, int max);
    }

    /** Where the engine reports monitor events. */
    public interface Events {
        void emit(SocketEvent.Type type, String endpoint, String peer, long value, String reason);

        /** A connection is being closed because its handling threw {@code t} (see {@code fail}). */
        default void internalError(Throwable t) {
        }
    }

    private enum Phase { GREETING, HANDSHAKE, ACTIVE, CLOSED }

    /**
     * How long the arrays the application gave back may stay untaken before the connection lets go
     * of them (see {@link #returnedFramesHeld}): long enough that a steady flow, even a slow
     * request-reply, keeps reusing them; short enough that quiet connections hold none.
     */
    static final long RETURNED_FRAMES_IDLE_MILLIS = 1000;

    private final IoThread io;
    /** Lets go of unused returned frame arrays; made when the application first gives some back. */
    private IoThread.Timer returnedFramesTimer;
    private final SocketChannel channel;
    private final Owner owner;
    private final Events events;
    private final EngineSettings settings;
    private final Mechanism mechanism;
    private final String peerAddress;
    private final String endpoint;

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
    /**
     * A fill stopped inside a frame of {@link #BULK_FRAME} bytes or more: the next fill gets a large
     * buffer, and so does the next flush's first fill, until a fill that starts a message (not the
     * rest of one) encodes something, but no more than a small buffer holds. So a connection sending one large
     * message at a time (a request, a reply) writes each in one system call, not the first 64 KiB
     * and then the rest in a second one (a second TCP segment, and the peer woken twice).
     */
    private boolean bulk;
    /**
     * The connection's state belongs to whoever holds this: its I/O thread in every entry (select,
     * posted tasks, timers), or an application thread writing its own request or reply
     * ({@link #tryDirectFlush}), which only ever tries it. A WordLock and not a ReentrantLock: taken
     * and released on every wake-up and every direct flush, in the interpreter and C1's profiling
     * code first; ReentrantLock's tryLock, isHeldByCurrentThread, getHoldCount and unlock were a
     * chain of AQS calls each, and small C1 units of their own, in a cold window (cold tcp 16 B
     * latency pairs: 26 interpreted calls per direct flush, now 12).
     * No spinning when contended, as AQS's lock: the I/O thread woken by a reply found the
     * application thread still in the direct write of the request 80-550 times in a cold tcp 16 B
     * x20k latency pair, and 1,024 turns mostly ran out (that thread had been descheduled after its
     * write, on 2 cores), only keeping the core from it.
     */
    private final WordLock exclusive = new WordLock(0);
    /** REQ and REP: one message, then the socket waits for the answer (see {@link #tryDirectFlush}). */
    private final boolean directWrites;
    /** Finishes on the I/O thread what a direct flush left (a partial write, a failure, a drain notice). */
    private final Runnable flushLater = new Task(Task.FLUSH, null);
    /** What the decoders read goes to; see {@link DecodedFrames}. */
    private final DecodedFrames frames;
    private Decoder decoder;
    private final FrameEncoder encoder = new FrameEncoder();
    private final Heartbeats heartbeats;
    private final SubscriptionCommands subscriptions;
    /** The message exchange, inbound. */
    private final MessageFrames messages;
    /** Commands and the message exchange, outbound. */
    private final Outbound outbound;

    private Phase phase = Phase.GREETING;
    /** The first stage; null once over. */
    private GreetingStage greeting;
    /** The second stage; set when the greeting is over. */
    private HandshakeStage handshake;
    private SelectionKey key;
    private int interest;
    private Pipe pipe;
    private boolean readPaused;
    /** The batch size at which {@link #batchFilled} looks at the pipe next. */
    private int deliverAt = DELIVERY_BATCH;
    /**
     * Bytes read but not decoded because the pipe reached RCVHWM mid-read (the read buffer is the
     * I/O thread's, shared): decoded first when the application has read enough. Raw bytes, at most
     * one read's worth, instead of the many more messages they would decode into; the buffer is
     * lent by the I/O thread ({@link dev.zmq.internal.io.HeldInputBuffers}) and given back once
     * decoded. Null when none.
     */
    private ByteBuffer heldInput;
    /** Reading paused because the peer does not read what we must answer (PONGs) until our output drains. */
    private boolean readPausedForOutput;
    private String closeAfterFlush;
    /** Why the handshake failed (protocol error, auth refusal...), for the monitor; null if unknown. */
    private ZmtpProtocolException failure;
    private boolean closingOurselves;

    public ZmtpEngine(IoThread io, SocketChannel channel, Owner owner, Events events, String endpoint,
                      String peerAddress, EngineSettings settings) {
        this.io = io;
        this.channel = channel;
        this.owner = owner;
        this.events = events;
        this.endpoint = endpoint;
        this.peerAddress = peerAddress;
        this.settings = settings;
        this.mechanism = settings.mechanism();
        this.in = io.readBuffer();
        this.heartbeats = new Heartbeats(this, settings.heartbeat(), settings.handshakeMillis());
        this.subscriptions = new SubscriptionCommands(settings.socketType());
        this.messages = new MessageFrames(this, new PeerCommands(this, heartbeats, subscriptions), settings.socketType(),
                settings.maxMessageBytes());
        this.outbound = new Outbound(encoder, heartbeats, subscriptions);
        this.frames = new DecodedFrames(heartbeats, messages);
        var v3 = new FrameDecoder(frames);
        v3.wholeDataFrames(false); // until handshakeDone: every frame is the handshake's to check first
        v3.setMaxDataFrame(settings.maxFrameBytes());
        v3.setMaxCommandFrame(MAX_COMMAND_FRAME);
        this.decoder = v3;
        this.directWrites = settings.socketType() == SocketType.REQ || settings.socketType() == SocketType.REP;
    }

    /**
     * Registers the channel and starts the greeting. Call on the I/O thread. As libzmq, only the
     * 10-byte signature goes out first: what follows depends on the revision the peer speaks.
     */
    @Override
    public void start(byte[] routingId) {
        exclusive.lock();
        try {
            begin(routingId);
        } finally {
            release();
        }
    }

    private void begin(byte[] routingId) {
        greeting = new GreetingStage(this, settings, encoder, frames, routingId == null ? NO_ROUTING_ID : routingId);
        try {
            channel.configureBlocking(false);
            interest = SelectionKey.OP_READ;
            key = io.register(channel, interest, this);
        } catch (IOException e) {
            close("cannot register connection: " + e.getMessage());
            return;
        }
        heartbeats.startHandshakeTimer();
        greeting.start(out());
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
        exclusive.lock();
        try {
            return (out == null || out.position() == 0) && outbound.idle();
        } finally {
            release();
        }
    }

    @Override
    public boolean onFailure(Throwable t) {
        exclusive.lock();
        try {
            fail(t);
        } finally {
            release();
        }
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
        messages.discard();
        if (messages.pending() > 0 && pipe != null && closeAfterFlush == null) {
            pipe.publishIn(); // whole messages are in the queue already: the application gets them, as after a read error
        }
        messages.delivered();
        heldInput = null;
        var fresh = new FrameDecoder(frames); // drops a partly read frame's buffer
        fresh.wholeDataFrames(phase == Phase.ACTIVE);
        decoder = fresh;
        reuseReturnedFrames();
        try {
            events.internalError(t);
        } finally {
            close("internal error, connection closed: " + t);
        }
    }

    @Override
    public void onReady(SelectionKey k) {
        exclusive.lock();
        try {
            ready(k);
        } finally {
            release();
        }
    }

    private void ready(SelectionKey k) {
        try {
            // One readyOps for both tests (isReadable and isWritable were two more small C1 units
            // and calls per wake-up): the ready set changes only in this thread's next select.
            int ready = k.readyOps();
            if ((ready & SelectionKey.OP_READ) != 0) {
                readInput();
            }
            if (phase != Phase.CLOSED && k.isValid() && (ready & SelectionKey.OP_WRITE) != 0) {
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
        exclusive.lock();
        try {
            doFlush(false);
        } catch (Throwable t) {
            fail(t);
        } finally {
            release();
        }
    }

    /**
     * The application thread that just queued a request or reply writes it itself, when the
     * connection is idle and no I/O thread holds it: no hand-off to the I/O thread (a wake-up
     * write, its select returning, a context switch) per message of a request-reply exchange,
     * where nothing is batched anyway. Only REQ and REP connections (one message, then the
     * socket waits for the answer: a stream of messages still goes through the I/O thread, which
     * writes many per system call). Whatever the I/O thread must do after (a partial write, a
     * failure, a drain notice for a lingering session) it is asked to by a posted flush. Returns
     * false when the caller must hand the flush to the I/O thread as usual.
     */
    @Override
    public boolean tryDirectFlush() {
        if (!directWrites || phase != Phase.ACTIVE || !exclusive.tryLockIfFree()) {
            return false; // not nested in the I/O thread's own handling of this connection either
        }
        try {
            return directFlushLocked();
        } finally {
            release();
        }
    }

    /**
     * {@link #tryDirectFlush} under the lock. A method of its own, so the finally's release is one
     * exit of the caller, not one copy per return and catch: C1 had compiled it four times over in
     * tryDirectFlush (13.9 KB of profiling-tier code; 5.8 + 4.0 KB split, LogCompilation of a cold
     * tcp 256 B latency pair).
     */
    private boolean directFlushLocked() {
        if (phase != Phase.ACTIVE || out != null || interest != SelectionKey.OP_READ || closeAfterFlush != null) {
            return false; // output pending, paused reading, or closing: the I/O thread's
        }
        try {
            doFlush(true);
        } catch (Throwable t) {
            io.execute(() -> guarded(() -> fail(t))); // closed on the I/O thread, as if it had thrown there
        }
        return true;
    }

    /**
     * Writes what is queued. {@code direct}: on an application thread ({@link #tryDirectFlush}),
     * which leaves every outcome other than "all written" to the I/O thread.
     */
    private void doFlush(boolean direct) {
        if (phase == Phase.CLOSED) {
            return;
        }
        out();
        long takenBefore = outbound.taken();
        boolean wrote = false;
        try {
            while (true) {
                // As libzmq, refilled only once what was encoded before is all written: a fill starts
                // on an empty buffer, so it encodes a full buffer's worth after a partial write, not
                // the few bytes the write left room for (a case the JIT had rarely seen early).
                if (out.position() == 0) {
                    if (bulk) {
                        useLargeBuffer();
                    }
                    boolean resumed = encoder.busy();
                    outbound.fill(out);
                    if (encoder.frameInProgress() >= BULK_FRAME) {
                        bulk = true;
                    } else if (!resumed && out.position() > 0 && out.position() <= BufferPool.BUFFER_SIZE) {
                        bulk = false;
                    }
                    if (out.position() == 0) {
                        break;
                    }
                }
                out.flip();
                channel.write(out);
                wrote = true;
                if (out.hasRemaining()) {
                    out.compact();
                    flushEndRare(direct, null);
                    return;
                }
                // All written: clear, not compact (DirectByteBuffer.compact and the Unsafe copy it
                // makes of zero bytes, per flush, two more C1 units in a cold window).
                out.clear();
            }
        } catch (IOException e) {
            flushEndRare(direct, e);
            return;
        }
        if (direct) {
            releaseOut();
            if (owner.drainAwaited()) {
                flushEndRare(true, null);
            }
            return;
        }
        if (wrote && outbound.taken() - takenBefore > 1) {
            // A stream (more than one message this flush) all written and its pipe found empty:
            // the application is likely sending on. Not after a lone message (a request, whose
            // answer comes back to this thread: a yield there only delays it on a busy machine).
            io.yieldBeforeSleep();
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

    /**
     * {@link #doFlush}'s rare outcomes, out of line: a partial write ({@code failure} null), a failed
     * one, or a direct write that leaves the rest to the I/O thread. Inline, its three I/O-thread
     * hand-offs (each a queue offer, a CAS through a VarHandle and a wake-up) and the failure's
     * string made doFlush the largest profiling-tier unit of a side, compiled by C1's one thread in
     * the first roundtrips: 18.3 KB of C1 code, 6.7 KB without them (LogCompilation of a cold tcp
     * 256 B latency pair; C2 prunes them either way).
     */
    private void flushEndRare(boolean direct, IOException failure) {
        if (direct) {
            if (failure != null) {
                out.compact(); // unflipped: the I/O thread's flush writes it again, fails there and closes
            }
            io.execute(flushLater); // the I/O thread waits for room (OP_WRITE), or runs what the drain needs
        } else if (failure != null) {
            close("write failed: " + failure.getMessage());
        } else {
            setInterest(interest | SelectionKey.OP_WRITE);
        }
    }

    /** Lets a paused reader go on (the application consumed enough). */
    @Override
    public void resumeReading() {
        exclusive.lock();
        try {
            resume();
        } finally {
            release();
        }
    }

    private void resume() {
        if (phase != Phase.CLOSED && readPaused) {
            readPaused = false;
            nextDeliveryWithinRoom();
            if (heldInput != null && !decodeHeldInput()) {
                return; // paused again, or the held bytes ended the connection
            }
            if (!readPausedForOutput) {
                try {
                    setInterest(interest | SelectionKey.OP_READ);
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
        }
    }

    /** Checks every {@link #RETURNED_FRAMES_IDLE_MILLIS} whether the returned arrays are still taken; on the I/O thread. */
    @Override
    public void returnedFramesHeld() {
        exclusive.lock();
        try {
            if (phase == Phase.CLOSED || pipe == null) {
                return;
            }
            if (returnedFramesTimer == null) {
                returnedFramesTimer = io.timer(new Task(Task.DROP_RETURNED_FRAMES, null));
            }
            if (!returnedFramesTimer.pending()) {
                returnedFramesTimer.start(RETURNED_FRAMES_IDLE_MILLIS);
            }
        } finally {
            release();
        }
    }

    /**
     * What this connection runs later on its I/O thread: a flush a direct write left to it, the
     * returned-frames check, or a heartbeat timer's action, guarded. One named class for them all,
     * not a lambda or class each: all are made at the first connection, inside a latency tool's
     * window, where each lambda is a class spun (~0.4 ms cold) and each class loaded (~0.3 ms).
     */
    private final class Task implements Runnable {
        static final int FLUSH = 0;
        static final int DROP_RETURNED_FRAMES = 1;
        static final int GUARDED = 2;

        private final int kind;
        /** The heartbeat timer's action ({@link #GUARDED}); null otherwise. */
        private final Runnable action;

        Task(int kind, Runnable action) {
            this.kind = kind;
            this.action = action;
        }

        @Override
        public void run() {
            if (kind == FLUSH) {
                flush();
            } else if (kind == DROP_RETURNED_FRAMES) {
                dropUnusedReturnedFrames();
            } else {
                guarded(action);
            }
        }
    }

    /** For the heartbeats: a timer whose action runs guarded by this connection (its failure closes this connection only). */
    @Override
    public IoThread.Timer schedule(long delayMillis, Runnable action) {
        return io.schedule(delayMillis, new Task(Task.GUARDED, action));
    }

    private void dropUnusedReturnedFrames() {
        exclusive.lock();
        try {
            if (phase != Phase.CLOSED && pipe != null && !pipe.dropReturnedFramesIfUnused()) {
                returnedFramesTimer.start(RETURNED_FRAMES_IDLE_MILLIS);
            }
        } finally {
            release();
        }
    }

    /** Closes the connection because our socket is closing or dropping it: no failure events. */
    @Override
    public void shutdown(String reason) {
        exclusive.lock();
        try {
            closingOurselves = true;
            close(reason);
        } finally {
            release();
        }
    }

    /** Closes the connection now; the owner hears of it once. */
    public void close(String why) {
        exclusive.lock();
        try {
            closeNow(why);
        } finally {
            release();
        }
    }

    private void closeNow(String why) {
        if (phase == Phase.CLOSED) {
            return;
        }
        String reason = ConnectionProperties.printable(why);
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
        if (heldInput != null) {
            io.heldInput().release(heldInput);
            heldInput = null;
        }
        releaseOut();
        outbound.close();
        mechanism.dispose();
        heartbeats.stop();
        if (returnedFramesTimer != null) {
            returnedFramesTimer.cancel();
        }
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // already going
        }
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) { // no lambda: nothing spun on a cold JVM's close
            LOG.log(System.Logger.Level.DEBUG, "connection with " + peerAddress + " closed: " + reason);
        }
        owner.onClosed(this, reason, wasActive);
    }

    /** Messages taken from the pipe but not yet started on the wire: the session may requeue them. */
    @Override
    public ArrayDeque<Message> unsentMessages() {
        return outbound.unsent();
    }

    // ---- input ----------------------------------------------------------------------------

    private void readInput() {
        for (int round = 0; round < READ_ROUNDS && phase != Phase.CLOSED && !readPaused && !readPausedForOutput; round++) {
            // Sized by the decoder: the rest of a large frame, or about one more of them (see FrameDecoder.readSize).
            int want = decoder.readSize(in.capacity());
            int n;
            try {
                in.limit(want);
                n = channel.read(in);
            } catch (IOException e) {
                in.clear();
                deliverBatch();
                close("read failed: " + e.getMessage());
                return;
            }
            if (n <= 0) {
                in.clear(); // shared with the thread's other connections: always left empty, whole
                if (n == 0) {
                    break;
                }
                deliverBatch();
                close(decoder.atFrameBoundary() && messages.betweenMessages() ? "peer closed the connection"
                        : "peer closed the connection in the middle of a message");
                return;
            }
            in.flip();
            try {
                if (phase == Phase.GREETING) {
                    readGreeting();
                }
                if (phase == Phase.HANDSHAKE || phase == Phase.ACTIVE) {
                    decoder.decode(in);
                    if (in.hasRemaining()) {
                        // The decoder stopped at RCVHWM: keep the rest of this read for later.
                        heldInput = io.heldInput().hold(in);
                    }
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
            if (n < want || directWrites && want < in.capacity() && decoder.atFrameBoundary()) {
                // The kernel had no more (the end of a burst); or, for a request or reply, a read sized
                // to a large frame ended with it: the message is whole, another read would find nothing.
                deliverBatch();
                if (directWrites) {
                    // Request-reply: the kernel had all of it, another read would find nothing and hold
                    // the connection while its application, just woken, wants to write its answer.
                    // (A message still arriving makes the channel readable again: select comes back.)
                    break;
                }
            }
        }
        deliverBatch();
    }

    /**
     * Decodes the bytes held since reading paused; false if the pipe reached RCVHWM again (the rest
     * stays held) or the connection ended. Runs on the I/O thread, as everything here.
     */
    private boolean decodeHeldInput() {
        try {
            decoder.decode(heldInput);
        } catch (ZmtpProtocolException e) {
            heldInput = null;
            deliverBatch();
            protocolError(e.getMessage());
            return false;
        } catch (RuntimeException e) {
            fail(e);
            return false;
        }
        if (!heldInput.hasRemaining()) {
            io.heldInput().release(heldInput);
            heldInput = null;
        }
        deliverBatch();
        return phase != Phase.CLOSED && !readPaused;
    }

    /** Stage 1 reads; when the peer's revision is known, the connection moves on to its handshake. */
    private void readGreeting() throws ZmtpProtocolException {
        var outcome = greeting.read(in);
        if (outcome == null) {
            return;
        }
        greeting = null;
        phase = Phase.HANDSHAKE;
        if (outcome instanceof GreetingStage.Zmtp3 v3) {
            // ZMTP 3.0 peers (JeroMQ 0.6) expect subscriptions as 0x01/0x00-prefixed messages.
            subscriptions.peerSpeaks31(v3.greeting().speaks31());
            var security = new SecurityHandshake(this, settings, peerAddress);
            handshake = security;
            security.start();
        } else {
            var legacy = (GreetingStage.Legacy) outcome;
            decoder = legacy.decoder();
            handshake = new LegacyHandshake(this, legacy.peerType(), peerAddress);
            if (legacy.firstBytes() != null) {
                decoder.decode(legacy.firstBytes());
            }
        }
        flush();
    }

    /** Every frame the decoder reads: the handshake's until it is done, then the message exchange's. */
    private void onFrame(int flags, byte[] body) throws ZmtpProtocolException {
        heartbeats.onTraffic();
        if (phase == Phase.ACTIVE) {
            messages.onFrame(flags, body);
            afterMessageFrame();
        } else {
            handshake.onFrame(flags, body);
        }
    }

    /**
     * The decoders' sink. A named class holding the heartbeats and the message exchange itself
     * (not reached through the engine), so that {@link #onDataFrameInPlace}, called per CURVE
     * message, stays within what C1 inlines (35 bytecodes; stack + locals no more than 4 beyond its
     * arguments, hence no flags argument): C1 inlines it into {@code FrameDecoder.smallFrame},
     * and C2 does not compile it again on its own with the whole opening chain inlined.
     */
    private final class DecodedFrames implements FrameDecoder.Sink, FrameDecoder.ArraySource {
        private final Heartbeats heartbeats;
        private final MessageFrames messages;
        /** The pipe whose returned arrays the decoder reuses ({@link #reuseReturnedFrames}); null until then. */
        private Pipe arraysFrom;

        DecodedFrames(Heartbeats heartbeats, MessageFrames messages) {
            this.heartbeats = heartbeats;
            this.messages = messages;
        }

        @Override
        public void onFrame(int flags, byte[] body) throws ZmtpProtocolException {
            ZmtpEngine.this.onFrame(flags, body);
        }

        @Override
        public void onFrame(int flags, byte[] bytes, int off, int len) throws ZmtpProtocolException {
            if (phase == Phase.ACTIVE && messages.opensInPlace()) {
                // CURVE: the box is opened straight from the decoder's bytes into the frame's own array.
                heartbeats.onTraffic();
                messages.onSealedFrame(bytes, off, len);
                afterMessageFrame();
            } else {
                FrameDecoder.Sink.super.onFrame(flags, bytes, off, len); // copied into its own array
            }
        }

        @Override
        public void onHeader(int flags, long size) throws ZmtpProtocolException {
            checkHeader(flags, size);
        }

        @Override
        public byte[] take(int size) {
            return arraysFrom.reusableFrame(size);
        }

        /**
         * A whole small data frame of the message exchange: the decoder sends none before the
         * handshake is done ({@link FrameDecoder#wholeDataFrames}), so there is no phase to test.
         * 34 bytes of bytecode: C1 inlines it into {@code FrameDecoder.smallFrame}.
         */
        @Override
        public void onDataFrame(int flags, byte[] body) throws ZmtpProtocolException {
            heartbeats.onTraffic();
            if (messages.onDataFrame(flags, body) >= deliverAt) {
                batchFilled();
            }
        }

        @Override
        public void onDataFrameInPlace(byte[] bytes, int off, int len) throws ZmtpProtocolException {
            // CURVE, once active (see handshakeDone): the box is opened from the decoder's bytes.
            heartbeats.onTraffic();
            if (messages.onSealedDataFrame(bytes, off, len) >= deliverAt) {
                batchFilled();
            }
        }
    }

    /** After a frame of the message exchange: looks at the batch once it reaches {@link #deliverAt}. */
    private void afterMessageFrame() {
        if (messages.pending() >= deliverAt) {
            batchFilled();
        }
    }

    /**
     * Refuses a frame from its header, before its body is read or allocated: a data frame before
     * the handshake completed (an unauthenticated peer must not make us buffer anything), an
     * over-long ZMTP 1.0/2.0 identity, or a frame that would take the message in progress past
     * its bound. Command sizes are bounded by the decoder.
     */
    private void checkHeader(int flags, long size) throws ZmtpProtocolException {
        if (phase == Phase.ACTIVE) {
            messages.checkHeader(flags, size);
        } else {
            handshake.checkHeader(flags, size);
        }
    }

    /**
     * The batch reached {@link #deliverAt}: it is handed on if it fills the pipe to RCVHWM or the
     * application is reading (it then goes on without sleeping); while the application sleeps on
     * the pipe it grows up to {@link #WAKE_BATCH}, so the pipe never passes RCVHWM and a wake-up
     * brings more than the application reads in the time it takes.
     */
    private void batchFilled() {
        int n = messages.pending();
        if (pipe != null && closeAfterFlush == null) {
            int room = pipe.inboundRoom() + n; // the pending ones are in the queue already, unpublished
            if (n < room && pipe.readerAsleep()) {
                deliverAt = Math.min(room, Math.max(WAKE_BATCH, n + DELIVERY_BATCH));
                return;
            }
        }
        deliverBatch();
        if (readPaused) {
            decoder.stop(); // RCVHWM: the rest of the input waits, undecoded
        }
    }

    private void deliverBatch() {
        if (messages.pending() == 0) {
            return;
        }
        if (pipe == null || closeAfterFlush != null) {
            messages.delivered(); // nobody takes them (none were offered: see handshakeDone)
            return;
        }
        // REQ/REP: the application is woken once this thread has let go of the connection, as it
        // then writes its answer itself (tryDirectFlush), which it cannot while we hold it.
        boolean keepReading = directWrites ? pipe.publishInWakingLater() : pipe.publishIn();
        messages.delivered();
        if (!keepReading) {
            readPaused = true;
            setInterest(interest & ~SelectionKey.OP_READ);
            // RCVHWM: the application reads down to the low-water mark and then resumes us, often
            // while we yield, before we sleep (see IoThread.yieldBeforeSleep).
            io.yieldBeforeSleep();
        } else {
            nextDeliveryWithinRoom();
        }
    }

    /** The next batch is handed on before it could take the pipe past RCVHWM. */
    private void nextDeliveryWithinRoom() {
        deliverAt = Math.max(1, Math.min(DELIVERY_BATCH, pipe.inboundRoom()));
    }

    // ---- hand-over between stages ----------------------------------------------------------

    /**
     * The handshake stage is done: the peer is of {@code peerType}; {@code codec} protects what
     * follows (null: nothing does); received messages carry {@code properties}. The session accepts
     * the peer (and gives the pipe) or refuses it.
     *
     * @param zmtp3 whether the peer speaks ZMTP 3 (older ones have no heartbeats)
     */
    void handshakeDone(SocketType peerType, byte[] identity, MessageCodec codec, Map<String, String> properties, boolean zmtp3) {
        outbound.protect(codec);
        messages.start(codec, properties);
        if (decoder instanceof FrameDecoder frameDecoder) {
            // The phase is ACTIVE before another frame is decoded.
            frameDecoder.wholeDataFrames(true);
            if (codec != null) {
                frameDecoder.openDataInPlace();
            }
        }
        heartbeats.handshakeDone();
        pipe = owner.onHandshake(this, peerType, identity);
        if (pipe == null) {
            closeAfterFlush = "peer refused by the " + settings.socketType() + " socket (already paired, or routing id in use)";
            becomeActive();
            flush();
            return;
        }
        becomeActive();
        messages.deliverTo(pipe);
        reuseReturnedFrames();
        nextDeliveryWithinRoom();
        outbound.open(pipe);
        events.emit(SocketEvent.Type.HANDSHAKE_SUCCEEDED, endpoint, peerAddress, 0, null);
        if (zmtp3) {
            heartbeats.startPinging();
        }
        flush();
    }

    /**
     * Data frames are decoded into the arrays the application gives back once it copied their
     * frames out ({@code ZmqSocket.recv(byte[])}), instead of new ones: by the decoder on plain
     * connections, by the codec, which opens each box into the frame's array, under CURVE.
     */
    private void reuseReturnedFrames() {
        boolean plain = messages.plainFrames();
        if (pipe != null && (plain || messages.opensInPlace()) && decoder instanceof FrameDecoder frameDecoder) {
            pipe.reuseReturnedFrames();
            frames.arraysFrom = pipe; // the sink gives them: no method reference spun at the first connection
            if (plain) {
                frameDecoder.reuseArraysFrom(frames);
            } else {
                messages.reuseArraysFrom(frames);
            }
            if (pipe.holdsReturnedFrames()) {
                // A connecting socket keeps its pipe across reconnections: arrays given back to the
                // connection before this one are let go by this one's timer, as nobody tells it again.
                returnedFramesHeld();
            }
        }
    }

    /** The handshake is done but the peer cannot be ours: what is queued (an ERROR) goes out, then the connection closes. */
    void refuseAfterHandshake(String reason, ZmtpProtocolException why) {
        closeAfterFlush = reason;
        failure = why;
        becomeActive();
        flush();
    }

    private void becomeActive() {
        phase = Phase.ACTIVE;
        handshake = null;
        outbound.handshakeOver();
    }

    /** A handshake step after asynchronous work (a ZAP reply), run later on the I/O thread unless the handshake is over by then. */
    void resumeHandshake(Handshake.Step step) {
        io.execute(() -> guarded(() -> {
            if (phase != Phase.HANDSHAKE) {
                return;
            }
            try {
                step.run();
            } catch (ZmtpProtocolException e) {
                failure = e;
                protocolError(e.getMessage());
                return;
            }
            flush();
        }));
    }

    // ---- for the stages ----------------------------------------------------------------------

    /** Queues a command (its body) for the peer. */
    void sendCommand(byte[] body) {
        outbound.command(body);
    }

    /** Whether handshake commands wait to be written. */
    boolean commandsQueued() {
        return outbound.hasCommands();
    }

    /**
     * A PONG was still waiting when another PING came: if it is stuck behind output the peer does not
     * read, stop reading until that drains (the peer's flood then fills its own send buffer, not our heap).
     */
    void pongOverdue() {
        if ((interest & SelectionKey.OP_WRITE) != 0) {
            readPausedForOutput = true;
            setInterest(interest & ~SelectionKey.OP_READ);
        }
    }

    /** A CURVE MESSAGE failed to decrypt: as libzmq, reported as a protocol failure even though the handshake is over. */
    void messageDecodeFailed(ZmtpProtocolException e) {
        events.emit(SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL, endpoint, peerAddress, e.code(), e.getMessage());
    }

    /** The output buffer, taken from the pool if this connection holds none. */
    ByteBuffer out() {
        if (out == null) {
            out = io.buffers().acquire();
        }
        return out;
    }

    // ---- the rest --------------------------------------------------------------------------

    /**
     * Lets go of the connection. REQ and REP: the outermost release then wakes the application a
     * delivery found asleep ({@link #deliverBatch}), so that it finds the connection free when it
     * writes its answer ({@link #tryDirectFlush}).
     */
    private void release() {
        // 33 bytes of bytecode, the owed wake-up taken by owedWake (28): C1 inlines both into the
        // callers' profiled code. At 59 it was a call of its own there from the application's
        // direct write and the I/O thread's turn alike, and C2 compiled it on its own (1,080-1,346
        // inlined bytecodes, 31-52 ms of the C2 thread a side in a 4 KiB latency run) besides
        // inside IoThread.turn.
        var wake = directWrites ? owedWake() : null;
        exclusive.unlock();
        if (wake != null) {
            wake.run();
        }
    }

    /** REQ/REP, the connection still held: the application's wake-up a delivery owes, unless this is a nested hold. */
    private Runnable owedWake() {
        if (pipe == null || exclusive.heldMoreThanOnce()) {
            return null;
        }
        return pipe.owedReaderWake();
    }

    /** Runs {@code action} for this connection: whatever it throws closes this connection only. */
    private void guarded(Runnable action) {
        exclusive.lock();
        try {
            action.run();
        } catch (Throwable t) {
            fail(t);
        } finally {
            release();
        }
    }

    private void protocolError(String reason) {
        if (phase == Phase.HANDSHAKE && outbound.hasCommands()) {
            writeCommandsNow();
        }
        close("protocol error from " + peerAddress + ": " + reason);
    }

    /** Best effort, without waiting: puts queued handshake commands (an ERROR telling the peer why) on the wire. */
    private void writeCommandsNow() {
        try {
            out();
            outbound.fill(out);
            out.flip();
            channel.write(out);
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            out.clear();
            releaseOut();
        }
    }

    /**
     * Swaps the (empty) output buffer for a large one, if this thread has one to lend: large frames
     * then go out several to a write, which costs the kernel's TCP path less per byte than a write
     * per 64 KiB. Given back, as the small one, once all is written.
     */
    private void useLargeBuffer() {
        if (out.capacity() >= BufferPool.LARGE_BUFFER_SIZE) {
            return;
        }
        var large = io.buffers().acquireLarge();
        if (large != null) {
            io.buffers().release(out);
            out = large;
        }
    }

    /** Gives the output buffer back once nothing in it waits for the channel (or at close). */
    private void releaseOut() {
        if (out != null && (out.position() == 0 || phase == Phase.CLOSED)) {
            var b = out;
            out = null;
            io.buffers().release(b);
        }
    }

    private void setInterest(int ops) {
        if (ops != interest && key != null && key.isValid()) {
            interest = ops;
            key.interestOps(ops);
        }
    }
}
