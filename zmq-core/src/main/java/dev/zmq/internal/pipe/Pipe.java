package dev.zmq.internal.pipe;

import dev.zmq.Message;
import dev.zmq.SocketType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The two queues between a socket and one peer connection: outbound (application to connection,
 * bounded by SNDHWM) and inbound (connection to application, bounded by RCVHWM). High-water marks
 * count whole messages, as libzmq's do, and are exact: never exceeded, and a sender sees the
 * receiver's progress message by message, not in credits (a reader of a pipe with large marks,
 * inproc or a connection's inbound queue, reports it every few messages, see {@link #reportStep}).
 *
 * <p>Each direction is a lock-free {@link SpscQueue}, as libzmq's ypipe: the application side
 * (methods under "application side", called with the owning socket's lock held, which serializes
 * the application threads) and the connection side (methods under "connection side", called by
 * one connection thread at a time: the session's I/O thread, or an inproc mover) never share a
 * lock. A side is woken only when it went to sleep: each direction has a flag its consumer sets
 * when it finds the queue empty and its producer clears when it publishes, and a flag its
 * producer sets when it finds the queue full and its consumer clears when it has made room. Both
 * are checked Dekker-style (flag and counter are volatile, each side writes its own and then reads
 * the other's), so no wake-up is lost and none is sent while the other side is busy. The
 * application side's two flags stand for every application thread of the socket, not only the
 * one that raised them: one that raised a flag and then finds, looking again, what it wanted,
 * leaves the flag up, since other threads may be waiting on it (only the side that wakes takes it
 * down); the cost is one wake-up for nothing when that race happens. The connection side is one
 * thread, and takes its own flags down when it finds work on looking again.
 *
 * <p>inproc pipes ({@link #inproc}, {@link #mateOf}) have no connection side: as libzmq's inproc
 * pipe, the two sockets share the queues crosswise (our outbound queue is the peer pipe's inbound
 * queue, the "mate"), so a message goes from the sending application straight to the receiving
 * one, and the high-water mark of a direction is the sender's SNDHWM plus the receiver's RCVHWM.
 * Waking the other socket may take its lock (a single parked thread is woken without it, others
 * under it), so it runs only after our own socket's lock is released
 * ({@link PipeOwner#runAfterUnlock}): no thread holds two sockets' locks at once.
 */
public final class Pipe {
    /*
     * The four sleep flags are ints (0 or 1), not booleans: a boolean VarHandle's compareAndSet runs
     * Unsafe.compareAndSetBoolean -> compareAndSetByte -> compareAndExchangeByte, a Java loop around
     * an int CAS, in the interpreter and C1, each a method compiled on its own while the first
     * messages flow (~6-8 C1 compiles a side in a cold 16 B x2M window, warm23's LogCompilation);
     * an int's is Unsafe.compareAndSetInt, an intrinsic.
     */
    private static final VarHandle CONNECTION_ASLEEP;
    private static final VarHandle WRITER_WAITING;
    private static final VarHandle READER_ASLEEP;
    private static final VarHandle READ_PAUSED;

    static {
        try {
            var lookup = MethodHandles.lookup();
            CONNECTION_ASLEEP = lookup.findVarHandle(Pipe.class, "connectionAsleep", int.class);
            WRITER_WAITING = lookup.findVarHandle(Pipe.class, "writerWaiting", int.class);
            READER_ASLEEP = lookup.findVarHandle(Pipe.class, "readerAsleep", int.class);
            READ_PAUSED = lookup.findVarHandle(Pipe.class, "readPaused", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Messages, and bare frames standing for one-frame messages ({@link #pushOut}, {@link #offerInFrame}); inproc: each is the mate's other queue. */
    private final SpscQueue<Object> outbound;
    private final SpscQueue<Object> inbound;
    /**
     * The properties of the one-frame messages a connection queues as their bare array
     * ({@link #offerInFrame}), and how such an array becomes the Message it stands for: the first
     * connection's, set once ({@link #takesBareFrames}) before the first such array is published,
     * so the reader that takes one sees them.
     */
    private Map<String, String> frameProperties;
    private volatile Function<byte[], Message> frameWrapper;
    /**
     * Frame arrays the application copied out and gave back, for the connection to decode into
     * again ({@link #recycleIn}, {@link #reusableFrame}); made by the application side on its first
     * return once the connection asked for them ({@link #reuseReturnedFrames}), null until then.
     */
    private volatile ReturnedFrames returns;
    /** The connection decodes into returned arrays: the application side keeps them ({@link #reuseReturnedFrames}). */
    private volatile boolean returnsWanted;
    /** CONFLATE: the one newest message of each direction (libzmq's dbuffer), instead of the queues. */
    private final AtomicReference<Message> outLatest;
    private final AtomicReference<Message> inLatest;
    /** inproc: the peer socket reads our outbound and writes our inbound queue itself; there is no connection side. */
    private final boolean shared;
    /**
     * inproc: the peer socket's pipe over the same queues (null for a connection's pipe, and for an
     * inproc connect whose name is not bound yet). Set with the owning socket's lock held.
     */
    private Pipe mate;
    /**
     * Wakes this pipe's reader: what {@link #pushOut} of the inproc mate runs when the reader of the
     * queue it fills may sleep, and the wake-up a delivery owes ({@link #owedReaderWake}).
     */
    private final Runnable wakeReaderTask = new Wake(this, true);
    private final Runnable wakeWriterTask = new Wake(this, false);
    /** Connection side only: messages a lost connection took but never started, sent first by the next one. */
    private final ArrayDeque<Message> pushback = new ArrayDeque<>();
    private volatile int pushbackSize;
    private final int sndhwm;
    private final int rcvhwm;
    /** Messages the outbound queue holds at most: SNDHWM, for inproc plus the peer's RCVHWM (0 = no limit). */
    private volatile int outLimit;
    /** A sender that found the pipe full is woken once no more than this many messages are queued. */
    private volatile int sendWakeMark;
    /** inproc: how many messages the peer's reader takes between two reports of its progress ({@link #reportStep}). */
    private volatile int readReportStep = 1;
    /**
     * A connection's pipe: how many messages the application takes between two reports of its
     * progress on the inbound queue (the count RCVHWM is checked against), as {@link #reportStep}
     * for inproc. Reported every message, the count's volatile write (a fence) and its cache line,
     * which the connection reads per batch, cost the reader about a fifth of its time at 16 B.
     */
    private final int readCommitStep;
    private final boolean conflate;
    private final PipeEndpoint endpoint;
    private final PipeOwner owner;
    private final DropCounter drops;

    /** The connection side found no outbound message: the next one published must wake it. */
    private volatile int connectionAsleep = 1;
    /**
     * An application thread found the pipe at SNDHWM: the connection wakes the socket (all its waiting
     * senders) once there is room. Only the waking side takes it down (see the class comment).
     */
    private volatile int writerWaiting;
    /** An application thread found no inbound message: the next delivery wakes the socket; only it takes this down. */
    private volatile int readerAsleep = 1;
    /** Connection side: a delivery found the reader asleep and has not woken it yet ({@link #owedReaderWake}). */
    private boolean readerWakeOwed;
    /**
     * The connection side must stop reading: the inbound queue reached RCVHWM. Volatile: an inproc
     * peer checks it before moving more messages in (a stale "paused" is harmless: the resume that
     * cleared it moves them).
     */
    private volatile int readPaused;
    private volatile boolean outDiscarded;
    private volatile boolean inDiscarded;

    private SocketType peerType;
    private byte[] routingId;
    private boolean detached;
    private boolean connected;
    private volatile boolean peerGone;
    private volatile boolean retired;
    /** Scratch mark used by PUB to deliver a message once per pipe however many prefixes match. */
    private int matchMark;
    /** Test seam: runs just before a side raises its sleep flag; null outside tests (see {@link #beforeSleep}). */
    private java.util.function.Consumer<Sleep> beforeSleep;

    /**
     * The four places where a side goes to sleep and must be woken by the other (tests name them).
     * The places pass their ordinal ({@link #READER_SLEEPS}...) to {@link #aboutToSleep}, which makes
     * the constant only for a test's seam: a reference to a constant loads and initializes the enum,
     * which the first pipe did inside a latency tool's first roundtrip.
     */
    enum Sleep {
        /** The application found no inbound message ({@code readerAsleep}). */
        READER,
        /** The connection found no outbound message ({@code connectionAsleep}). */
        CONNECTION,
        /** The application found the pipe at SNDHWM ({@code writerWaiting}). */
        WRITER,
        /** The connection filled the inbound queue to RCVHWM ({@code readPaused}). */
        READ_PAUSE
    }

    private static final int READER_SLEEPS = 0;
    private static final int CONNECTION_SLEEPS = 1;
    private static final int WRITER_SLEEPS = 2;
    private static final int READ_PAUSES = 3;

    /**
     * Wakes a pipe's reader or its writer (its owning socket's); one class for both, not two lambdas:
     * a lambda's class is spun at its first use, 0.3-0.8 ms each inside a latency tool's first
     * roundtrip on the side that makes the pipe there (class-load log, tcp and inproc). A record
     * whose equals, hashCode and toString (invokedynamic, spun at their first call, see pgm's Tsi)
     * nothing calls.
     */
    private record Wake(Pipe pipe, boolean reader) implements Runnable {
        @Override
        public void run() {
            if (reader) {
                pipe.owner.inboundArrived(pipe);
            } else {
                pipe.owner.outboundRoom(pipe);
            }
        }
    }

    /** A pipe between a socket and a connection (the connection side is {@code endpoint}). */
    public Pipe(int sndhwm, int rcvhwm, boolean conflate, PipeEndpoint endpoint, PipeOwner owner, DropCounter drops) {
        this(sndhwm, rcvhwm, conflate, endpoint, owner, drops, false, null);
    }

    private Pipe(int sndhwm, int rcvhwm, boolean conflate, PipeEndpoint endpoint, PipeOwner owner, DropCounter drops,
                 boolean shared, Pipe mate) {
        this.sndhwm = sndhwm;
        this.rcvhwm = rcvhwm;
        this.conflate = conflate;
        this.endpoint = endpoint;
        this.owner = owner;
        this.drops = drops;
        this.shared = shared;
        this.mate = mate;
        this.readCommitStep = reportStep(rcvhwm);
        if (mate == null) {
            this.outbound = conflate ? null : new SpscQueue<>();
            this.inbound = conflate ? null : new SpscQueue<>();
            this.outLatest = conflate ? new AtomicReference<>() : null;
            this.inLatest = conflate ? new AtomicReference<>() : null;
            setOutLimit(sndhwm);
        } else {
            this.outbound = mate.inbound;
            this.inbound = mate.outbound;
            this.outLatest = mate.inLatest;
            this.inLatest = mate.outLatest;
            setOutLimit(inprocLimit(sndhwm, mate.rcvhwm));
        }
    }

    /**
     * The pipe of an inproc connection's first side, with queues of its own; the other side joins
     * it with {@link #mateOf}, then this side learns of it through {@link #linkMate}. Until then
     * messages queue up to SNDHWM (as libzmq's connect before bind).
     */
    public static Pipe inproc(int sndhwm, int rcvhwm, boolean conflate, PipeEndpoint endpoint, PipeOwner owner, DropCounter drops) {
        return new Pipe(sndhwm, rcvhwm, conflate, endpoint, owner, drops, true, null);
    }

    /**
     * The pipe of an inproc connection's second side, over the queues of {@code first} crosswise.
     * As libzmq, the side that created the pipe decides CONFLATE for both.
     */
    public static Pipe mateOf(Pipe first, int sndhwm, int rcvhwm, PipeEndpoint endpoint, PipeOwner owner, DropCounter drops) {
        if (!first.shared) {
            throw new IllegalArgumentException("only an inproc pipe can have a mate");
        }
        return new Pipe(sndhwm, rcvhwm, first.conflate, endpoint, owner, drops, true, first);
    }

    /**
     * Application side of the first inproc side: {@code second} ({@link #mateOf} this pipe) reads
     * what we write now. Raises our limit to SNDHWM + the peer's RCVHWM (libzmq's hwm boost) and
     * wakes the peer's reader for what we queued before.
     */
    public void linkMate(Pipe second) {
        if (second.mate != this) {
            throw new IllegalArgumentException("not this pipe's mate");
        }
        mate = second;
        setOutLimit(inprocLimit(sndhwm, second.rcvhwm));
        WRITER_WAITING.compareAndSet(this, 1, 0); // the caller wakes waiting senders: the limit grew
        if (conflate ? outLatest.get() != null : outbound.size() > 0) {
            wakeMateReader();
        }
    }

    /** libzmq's inproc high-water mark: both marks together, no limit if either side has none. */
    private static int inprocLimit(int sndhwm, int peerRcvhwm) {
        return sndhwm <= 0 || peerRcvhwm <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (long) sndhwm + peerRcvhwm);
    }

    private void setOutLimit(int limit) {
        this.sendWakeMark = limit - creditBatch(limit);
        this.readReportStep = reportStep(limit);
        this.outLimit = limit;
    }

    /** Whether this is an inproc pipe (no connection side). */
    public boolean isInproc() {
        return shared;
    }

    /**
     * libzmq's low-water mark ({@code compute_lwm}): a reader returns credit to a blocked writer
     * every this many messages, at most 1024 below the mark for large marks. Waking the writer only
     * then keeps it from being woken for every single message read.
     */
    static int creditBatch(int hwm) {
        return hwm > 2 * 1024 ? hwm - 1024 : (hwm + 1) / 2;
    }

    /**
     * The reader of a queue limited to {@code limit} messages (inproc, and a connection's inbound
     * queue) reports its progress (the count the writer's room checks read) every this many
     * messages, and whenever it has taken all it saw. Reporting every message would move the cache line of that count between the two
     * threads' cores twice per message while the writer waits for room. An eighth of the credit
     * batch at most, so a waiting writer is woken at most that late, and 1 for marks below 16:
     * small marks stay exact message by message.
     */
    static int reportStep(int limit) {
        return limit <= 0 ? MAX_REPORT_STEP : Math.max(1, Math.min(MAX_REPORT_STEP, creditBatch(limit) / 8));
    }

    static final int MAX_REPORT_STEP = 32;

    // ---- application side (socket lock held) ----------------------------------------------

    /**
     * Whether one more message fits in the outbound queue. When not, the connection side will
     * wake the socket ({@link PipeOwner#outboundRoom}) once it made room.
     */
    public boolean hasRoomOut() {
        if (peerGone || retired) {
            return false;
        }
        int limit = outLimit;
        if (conflate || limit == 0) {
            return true;
        }
        if (outbound.queuedSeen() < limit) {
            return true;
        }
        // Full: raise the flag, then look again (the consumer either sees the flag or made room we
        // see). Room seen on that second look leaves the flag up: other application threads of
        // this socket may be waiting on it (it is one flag for all of them), and taking it down
        // left them waiting for a wake-up nobody would send once this thread had filled no more
        // (SharedSocketTest, ~1 run in 1,000). At worst the consumer wakes the socket once for
        // nothing. Both looks are the loop's one test: room found on the second is rare (the
        // consumer's commit in the window), and as a test of its own C2 compiled it as never
        // true, an unstable_if trap that recompiled the send path inside a cold window
        // (LoadBalancer.pick with Pipe.hasRoomOut @84, LogCompilation).
        boolean flagged = false;
        while (outbound.queuedNow() >= limit) {
            if (flagged) {
                return false;
            }
            aboutToSleep(WRITER_SLEEPS);
            writerWaiting = 1;
            flagged = true;
        }
        return true;
    }

    /**
     * Queues a message for the peer; the caller checked {@link #hasRoomOut()}. {@code message} is a
     * {@link Message}, or a {@code byte[]} standing for the one-frame message of that frame
     * (queued as it is, no Message made for it: every reader of the queue takes it as that message).
     */
    public void pushOut(Object message) {
        if (conflate) {
            if (outLatest.getAndSet(outMessage(message)) != null) {
                drops.droppedOut(1); // replaced by the newer message
            }
        } else {
            outbound.offer(message);
            outbound.publish();
        }
        wakeOtherSide();
    }

    /**
     * Queues control traffic (subscriptions, welcome messages) regardless of SNDHWM: it is small,
     * and dropping it would silently change what the peer receives.
     */
    public void pushOutControl(Message message) {
        if (conflate) {
            outLatest.set(message);
        } else {
            outbound.offer(message);
            outbound.publish();
        }
        wakeOtherSide();
    }

    private void wakeOtherSide() {
        if (shared) {
            wakeMateReader();
        } else if (connectionAsleep != 0 && CONNECTION_ASLEEP.compareAndSet(this, 1, 0)) {
            endpoint.outboundReady();
        }
    }

    /**
     * inproc: the peer socket's reader sleeps on the queue we fill; woken at once where that takes no
     * lock (the common case: a receiver that looks again before it parks, or one parked by itself),
     * else once our lock is released. At once, the wake-up of a request-reply exchange is 3 calls
     * per message, not the ~15 of collecting a task and running it after the unlock, which a cold
     * inproc_lat run's first thousand round trips ran interpreted on both threads.
     */
    private void wakeMateReader() {
        var m = mate;
        if (m != null && m.readerAsleep != 0 && READER_ASLEEP.compareAndSet(m, 1, 0)
                && !m.owner.inboundArrivedWithoutLock(m)) {
            owner.runAfterUnlock(m.wakeReaderTask);
        }
    }

    /** Whether a message from the peer is waiting. If none is, the next delivery wakes the socket. */
    public boolean hasIn() {
        // Not peekIn() != null: that wraps a bare frame in a Message only to test it (a departed pipe
        // is asked once per message read, and the first ask, at a peer's disconnect, initialised Message).
        return peekInQueued() != null;
    }

    /** The next message from the peer without taking it, or null (and the next delivery wakes the socket). */
    public Message peekIn() {
        return asMessage(peekInQueued());
    }

    /** {@link #peekIn}'s queued element as it is (a Message or a bare frame), or null. */
    private Object peekInQueued() {
        if (inDiscarded) {
            return null;
        }
        Object m = conflate ? inLatest.get() : inbound.peek();
        if (m == null) {
            aboutToSleep(READER_SLEEPS);
            readerAsleep = 1;
            m = conflate ? inLatest.get() : inbound.peek(); // again, after the flag (see the class comment); found: the flag stays up (see there)
        }
        return m;
    }

    /**
     * A queued element as the message it is: a bare frame wrapped with the connection's properties
     * (see {@link #offerInFrame}), or, inproc (no wrapper), the one-frame message the peer socket sent
     * as its bare array ({@link #pushOut}).
     */
    private Message asMessage(Object queued) {
        if (queued instanceof byte[] frame) {
            var wrapper = frameWrapper;
            return wrapper != null ? wrapper.apply(frame) : Message.of(frame);
        }
        return (Message) queued;
    }

    /**
     * A send path's element ({@link #pushOut}: a Message, or a bare {@code byte[]}) as the Message it
     * stands for, for the takers that need one (a pattern that looks at the message, CONFLATE, drains);
     * the same for a pattern's {@code tryRecvFrame} result, whose bare frame stands for its one-frame
     * message (null stays null).
     */
    public static Message outMessage(Object queued) {
        return queued instanceof byte[] frame ? Message.of(frame) : (Message) queued;
    }

    /**
     * The next message from the peer, or null (and the next delivery wakes the socket). Once per
     * received message: the common case (a message is there, nobody to wake) is kept short, the
     * rest out of line, so the JIT's code for it stays small.
     */
    public Message pollIn() {
        return asMessage(pollInFrame());
    }

    /**
     * As {@link #pollIn}, but a one-frame message the connection queued bare ({@link #offerInFrame})
     * comes as its {@code byte[]}, without a Message; any other as its {@link Message}. For
     * {@code recvFrame}, which returns the frame only.
     */
    public Object pollInFrame() {
        if (inDiscarded || conflate) {
            return pollInRare();
        }
        // Empty: the reader raises its flag and looks again (pollInFlagged); found there, the flag
        // stays up. Both looks end in the one null test below: a message found on the second is rare
        // (a delivery in the window), and as a test of its own C2 compiled it as never found, an
        // unstable_if trap that recompiled the receive path inside a cold window (Pipe.pollInFrame
        // @37, LogCompilation). Not a loop around the poll either: C2 parses a loop head that
        // leaves the loop twice, and so inlined SpscQueue.poll (100 bytecodes) twice into every
        // compile of the receive path (the receive root and pollInFrame alone, in 4 of 4 cold
        // CURVE receivers); the second look is out of line and, where queues are rarely found
        // empty, not inlined at all.
        Object m = inbound.poll();
        if (m == null) {
            m = pollInFlagged();
        }
        if (m == null) {
            return null;
        }
        if (shared) {
            tookInproc();
        } else {
            inbound.commitEvery(readCommitStep);
            if (readPaused != 0 && inbound.size() <= lowWaterMark()) {
                resumeConnection();
            }
        }
        return m;
    }

    /** {@link #pollInFrame} found the queue empty: raises the reader's flag and looks again. */
    private Object pollInFlagged() {
        aboutToSleep(READER_SLEEPS);
        readerAsleep = 1;
        return inbound.poll();
    }

    /**
     * The application copied {@code frame} out of a message this pipe delivered and holds it no
     * more (nor does anything else: a frame the application was ever given must not come here):
     * it goes back to the connection, which may decode a frame of the same size into it
     * ({@link #reusableFrame}). Bounded ({@link ReturnedFrames}); ignored unless the connection
     * asked for returns, and always for inproc pipes, whose arrays are the sending application's.
     *
     * <p>27 bytes of bytecode, the first return out of line: C1 inlines it into the caller's
     * profiling code (three calls deep under SocketCore's take, its limit there 28), so it is not a
     * compile unit of its own. At 58 bytes it was a call per message there, and C2 compiled it
     * alone after the receive path that inlines it (3 of 4 cold CURVE receivers, LogCompilation).
     */
    public void recycleIn(byte[] frame) {
        var r = returns; // made only once returns are wanted (recycleInFirst)
        if (r != null && frame.length != 0) {
            r.offer(frame);
            return; // two returns, not an else (its goto is 2 bytes more)
        }
        recycleInFirst(frame);
    }

    /** {@link #recycleIn} with no ring yet (or an empty frame): makes the ring if returns are wanted. */
    private void recycleInFirst(byte[] frame) {
        if (!returnsWanted || frame.length == 0) {
            return;
        }
        var r = returns;
        if (r == null) {
            returns = r = new ReturnedFrames();
            if (endpoint != null) {
                endpoint.returnedFramesHeld(); // the connection lets them go if it stops taking them
            }
        }
        r.offer(frame);
    }

    /**
     * Connection side, from a timer the connection starts when told {@link
     * PipeEndpoint#returnedFramesHeld()}: lets go of the arrays the application gave back (and the
     * ring holding them) if the connection took none of them since the last call, so an idle
     * connection keeps none of them (a receiver with thousands of quiet peers would otherwise hold up
     * to {@link ReturnedFrames#MAX_BYTES} for each). Returns true when none are held any more: the
     * timer may stop, the application's next return makes a new ring and tells the connection again.
     * An array the application is giving back meanwhile may go into the dropped ring and be collected.
     */
    public boolean dropReturnedFramesIfUnused() {
        var r = returns;
        if (r == null) {
            return true;
        }
        if (r.usedSinceLastLook()) {
            return false;
        }
        returns = null;
        return true;
    }

    /** Whether arrays given back are held for the connection now (for tests). */
    public boolean holdsReturnedFrames() {
        return returns != null;
    }

    /** {@link #pollIn} when the queue was discarded, or from CONFLATE's slot. */
    private Message pollInRare() {
        if (inDiscarded) {
            return null;
        }
        var m = inLatest.getAndSet(null);
        if (m == null) {
            aboutToSleep(READER_SLEEPS);
            readerAsleep = 1;
            m = inLatest.getAndSet(null); // again, after the flag; found: the flag stays up (see the class comment)
        }
        return m;
    }

    /**
     * inproc, after a message was taken: reports it to the peer's sender every few messages (see
     * {@link #reportStep}), which may wait for room in the queue we read (Dekker: our commit, then its flag).
     */
    private void tookInproc() {
        var w = mate;
        if (w == null) {
            inbound.commit();
            return;
        }
        if (inbound.commitEvery(w.readReportStep) && w.writerWaiting != 0 && inbound.size() <= w.sendWakeMark
                && WRITER_WAITING.compareAndSet(w, 1, 0)) {
            owner.runAfterUnlock(w.wakeWriterTask);
        }
    }

    /** The paused connection may read again (the queue fell to the low-water mark): the first to see it tells it. */
    private void resumeConnection() {
        if (READ_PAUSED.compareAndSet(this, 1, 0)) {
            endpoint.resumeReading();
        }
    }

    // ---- connection side (one connection thread at a time) --------------------------------

    /**
     * Moves up to {@code max} outbound messages into {@code into} ({@link #pollOut} each, then
     * {@link #commitOut}). CONFLATE: at most one, the newest.
     */
    public void drainOut(Collection<Message> into, int max) {
        int limit = conflate ? Math.min(max, 1) : max;
        Object m;
        for (int n = 0; n < limit && (m = pollOut()) != null; n++) {
            into.add(outMessage(m));
        }
        commitOut();
    }

    /**
     * The next outbound message (one a lost connection took back first), or null; then the pipe
     * notes that the connection is idle, so the next {@link #pushOut} wakes it again. What is taken
     * counts as queued (for SNDHWM) until {@link #commitOut}: call it every few dozen messages and
     * whenever this returned null. Small on purpose: the JIT inlines it into the per-message loop.
     * A {@link Message}, or a {@code byte[]}: the one-frame message of that frame (see {@link #pushOut}).
     */
    public Object pollOut() {
        if (pushbackSize > 0 || outDiscarded || conflate) {
            return pollOutRare();
        }
        var m = outbound.poll();
        return m != null ? m : pollOutEmpty();
    }

    /** {@link #pollOut} when there is pushback, the queue was discarded, or it is CONFLATE's slot. */
    private Object pollOutRare() {
        if (pushbackSize > 0) {
            var m = pushback.poll();
            pushbackSize = pushback.size();
            if (m != null) {
                return m;
            }
        }
        if (outDiscarded) {
            return null;
        }
        if (conflate) {
            var m = outLatest.getAndSet(null);
            if (m == null) {
                aboutToSleep(CONNECTION_SLEEPS);
                connectionAsleep = 1;
                m = outLatest.getAndSet(null); // again, after the flag (see the class comment)
                if (m != null) {
                    CONNECTION_ASLEEP.compareAndSet(this, 1, 0);
                }
            }
            return m;
        }
        var m = outbound.poll();
        return m != null ? m : pollOutEmpty();
    }

    /** The outbound queue looked empty: the connection goes idle unless a message came meanwhile. */
    private Object pollOutEmpty() {
        aboutToSleep(CONNECTION_SLEEPS);
        connectionAsleep = 1;
        var m = outbound.poll(); // again, after the flag (see the class comment)
        if (m != null) {
            CONNECTION_ASLEEP.compareAndSet(this, 1, 0);
        }
        return m;
    }

    /**
     * Reports the messages {@link #pollOut} took as gone from the queue (SNDHWM counts them no
     * more), and wakes a sender waiting for room if there is enough now.
     */
    public void commitOut() {
        if (conflate || outDiscarded) {
            return;
        }
        outbound.commit();
        if (writerWaiting != 0 && outbound.size() <= sendWakeMark && WRITER_WAITING.compareAndSet(this, 1, 0)) {
            owner.outboundRoom(this);
        }
    }

    /** Puts messages back at the head of the outbound queue, in their order (a lost connection's leftovers). */
    public void requeueOut(Deque<Message> unsent) {
        for (var it = unsent.descendingIterator(); it.hasNext(); ) {
            pushback.addFirst(it.next());
        }
        pushbackSize = pushback.size();
    }

    /** Whether the inbound queue reached RCVHWM and the peer must wait until the application reads. */
    public boolean isReadPaused() {
        return readPaused != 0;
    }

    /** Whether messages wait to be written. Safe from any thread. */
    public boolean hasOut() {
        return outboundSize() > 0;
    }

    /**
     * Adds messages from the peer, all visible to the application at once, and wakes the socket
     * if its reader was asleep. Returns false when the inbound queue reached RCVHWM: the
     * connection must stop reading until {@link PipeEndpoint#resumeReading()}.
     */
    public boolean pushIn(List<Message> messages) {
        int n = messages.size();
        if (n == 0) {
            return true;
        }
        for (int i = 0; i < n; i++) {
            offerIn(messages.get(i));
        }
        return publishIn();
    }

    /**
     * Adds a message from the peer, unseen by the application until {@link #publishIn}; it counts
     * towards RCVHWM at once ({@link #inboundRoom}). The connection decodes straight into the
     * queue this way, one call per message and no list in between. CONFLATE: replaces the newest.
     */
    public void offerIn(Message message) {
        if (conflate) {
            if (inLatest.getAndSet(message) != null) {
                drops.discardedIn(1); // replaced by the newer message
            }
        } else {
            inbound.offer(message);
        }
    }

    /**
     * As {@link #offerIn} for a one-frame message (no routing id or group) that carries the
     * properties {@link #takesBareFrames} accepted: queued as the bare array, no Message (the
     * reader wraps it with them, or {@code recvFrame} returns it as it is). Call only after
     * {@link #takesBareFrames} returned true.
     */
    public void offerInFrame(byte[] frame) {
        inbound.offer(frame);
    }

    /**
     * Connection side: whether one-frame messages carrying {@code properties} may be queued bare
     * ({@link #offerInFrame}); {@code wrapper} makes the Message a bare array stands for (the
     * connection's one-frame message with those properties). The first connection's become the pipe's; a later
     * connection (a reconnect, while the earlier one's arrays may still be queued) qualifies only
     * with equal ones, else it queues Messages. Never for CONFLATE or inproc pipes.
     */
    public boolean takesBareFrames(Map<String, String> properties, Function<byte[], Message> wrapper) {
        if (conflate || shared) {
            return false;
        }
        if (frameWrapper == null) {
            frameProperties = properties;
            frameWrapper = wrapper; // volatile, after the properties
            return true;
        }
        return frameProperties.equals(properties);
    }

    /**
     * Connection side: this connection decodes frames into arrays the application gives back
     * ({@link #recycleIn}, taken with {@link #reusableFrame}). Not for inproc pipes.
     */
    public void reuseReturnedFrames() {
        if (!shared) {
            returnsWanted = true;
        }
    }

    /**
     * Connection side: an array of exactly {@code size} bytes the application gave back, for the
     * next frame (the caller owns it), or null. Cheap when there is none: one volatile read.
     */
    public byte[] reusableFrame(int size) {
        var r = returns;
        return r == null ? null : r.take(size);
    }

    /**
     * Makes every message {@link #offerIn offered} so far visible to the application at once, and
     * wakes the socket if its reader was asleep. Returns false when the inbound queue reached
     * RCVHWM: the connection must stop reading until {@link PipeEndpoint#resumeReading()}.
     */
    public boolean publishIn() {
        boolean keepReading = publishInWakingLater();
        if (readerWakeOwed) {
            readerWakeOwed = false;
            owner.inboundArrived(this);
        }
        return keepReading;
    }

    /**
     * As {@link #publishIn}, except that a reader found asleep is not woken here: the wake-up is
     * owed until the caller takes it ({@link #owedReaderWake}) and runs it, once it has released
     * its connection's own lock (so the woken application does not find that lock still held).
     */
    public boolean publishInWakingLater() {
        if (conflate) {
            oweReaderWake();
            return true;
        }
        inbound.publish();
        oweReaderWake();
        if (rcvhwm <= 0 || inbound.written() - inbound.consumed() < rcvhwm) {
            return true;
        }
        aboutToSleep(READ_PAUSES);
        readPaused = 1;
        // Again, after the flag: the reader either sees it, or already read enough for us to go on.
        if (inbound.written() - inbound.consumed() <= lowWaterMark()) {
            return READ_PAUSED.compareAndSet(this, 1, 0);
        }
        return false;
    }

    /**
     * Connection side: how many more messages the inbound queue takes before RCVHWM
     * ({@link Integer#MAX_VALUE} without a limit), the ones offered and not yet published counted. Reads the application's count (a volatile the
     * reader writes per message): call it per batch, not per message.
     */
    public int inboundRoom() {
        if (conflate || rcvhwm <= 0) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.max(0, rcvhwm - (inbound.written() - inbound.consumed()));
    }

    /**
     * Connection side: whether the application found the inbound queue empty and sleeps until the
     * next delivery (which then costs a wake-up on both sides).
     */
    public boolean readerAsleep() {
        return readerAsleep != 0;
    }

    /** As {@link #pushIn(List)} for one message. */
    public boolean pushIn(Message message) {
        return pushIn(List.of(message));
    }

    private void oweReaderWake() {
        if (readerAsleep != 0 && READER_ASLEEP.compareAndSet(this, 1, 0)) {
            readerWakeOwed = true;
        }
    }

    /**
     * Connection side, under the connection's lock: the wake-up of the reader a delivery found
     * asleep ({@link #publishInWakingLater}), to run once that lock is released; null if none is owed.
     */
    public Runnable owedReaderWake() {
        if (!readerWakeOwed) {
            return null;
        }
        readerWakeOwed = false;
        return wakeReaderTask;
    }

    /** Makes the connection be told again of pending output (after it reconnects). */
    public void rearmOutbound() {
        if (hasOut() && CONNECTION_ASLEEP.compareAndSet(this, 1, 0)) {
            endpoint.outboundReady();
        }
    }

    /** Drops everything queued in both directions (the pipe is being detached). */
    public void clear() {
        outDiscarded = true;
        inDiscarded = true;
        readPaused = 0;
    }

    /** Drops queued outbound messages only (a connection that cannot deliver them any more). */
    public void clearOutbound() {
        outDiscarded = true;
    }

    /**
     * Test seam: {@code seam} runs on the calling side just before it raises a sleep flag, after
     * it found it must sleep. A test makes the other side act there, in the narrowest window of
     * the Dekker hand-shake, to check the re-check that follows the flag.
     */
    void beforeSleep(java.util.function.Consumer<Sleep> seam) {
        this.beforeSleep = seam;
    }

    private void aboutToSleep(int where) {
        var seam = beforeSleep;
        if (seam != null) {
            seam.accept(Sleep.values()[where]);
        }
    }

    private int lowWaterMark() {
        return rcvhwm / 2;
    }

    // ---- identity -------------------------------------------------------------------------

    /** The peer's socket type, once the handshake told it. */
    public SocketType peerType() {
        return peerType;
    }

    public void setPeerType(SocketType peerType) {
        this.peerType = peerType;
    }

    /** The peer's routing id as seen by a ROUTER, once known. */
    public byte[] routingId() {
        return routingId;
    }

    public void setRoutingId(byte[] routingId) {
        this.routingId = routingId;
    }

    /** Whether the pattern let go of this pipe. */
    public boolean isDetached() {
        return detached;
    }

    public void markDetached() {
        this.detached = true;
    }

    /** The application disconnected from this peer: nothing new is routed here; what is queued drains. */
    public void stopTakingOut() {
        this.retired = true;
    }

    /** The connection side of this pipe. */
    public PipeEndpoint endpoint() {
        return endpoint;
    }

    /** The peer left for good: nothing more can be sent; what it sent stays readable. */
    public void markPeerGone() {
        this.peerGone = true;
        this.connected = false;
    }

    public boolean isPeerGone() {
        return peerGone;
    }

    /** Whether a connection currently carries this pipe. */
    public boolean isConnected() {
        return connected;
    }

    public void setConnected(boolean connected) {
        this.connected = connected;
    }

    /** The PUB pattern's per-send mark (see {@code PubPattern}). */
    public int matchMark() {
        return matchMark;
    }

    public void setMatchMark(int mark) {
        this.matchMark = mark;
    }

    /** Messages queued for the peer and not yet taken by the connection (or put back by it). Safe from any thread. */
    public int outboundSize() {
        if (outDiscarded) {
            return 0;
        }
        long queued = conflate ? (outLatest.get() != null ? 1 : 0) : outbound.size();
        return (int) Math.min(Integer.MAX_VALUE, queued + pushbackSize);
    }

    /** Messages from the peer not yet read by the application. Safe from any thread. */
    public int inboundSize() {
        if (inDiscarded) {
            return 0;
        }
        return conflate ? (inLatest.get() != null ? 1 : 0) : (int) Math.min(Integer.MAX_VALUE, inbound.size());
    }

    /** The pipe's state, for diagnostics: queue sizes and the four wake-up flags. */
    @Override
    public String toString() {
        return "Pipe[out=" + outboundSize() + ", in=" + inboundSize() + ", connectionAsleep=" + (connectionAsleep != 0)
                + ", writerWaiting=" + (writerWaiting != 0) + ", readerAsleep=" + (readerAsleep != 0) + ", readPaused=" + (readPaused != 0)
                + ", connected=" + connected + ", peerGone=" + peerGone + ", detached=" + detached + "]";
    }
}
