package dev.zmq.internal.socket;

import dev.zmq.Message;
import dev.zmq.NameResolver;
import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketStatistics;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.internal.io.BusyPollWindow;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.options.Options;
import dev.zmq.internal.pattern.Pattern;
import dev.zmq.internal.pattern.Patterns;
import dev.zmq.internal.pipe.Pipe;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The implementation behind {@link ZmqSocket}: sending, receiving, options and the socket's life.
 * One lock ({@link SocketSync}) guards the pattern and the socket's state and serializes
 * application threads (which keeps messages whole when threads share a socket); application
 * threads wait on two conditions (readable, writable). The pipes to the peers are lock-free
 * ({@link Pipe}): connections deliver and take messages without this lock, and take it only to
 * wake the socket when its reader found the pipes empty or its writer found them full.
 *
 * <p>The rest is in parts with one purpose each: {@link Endpoints} (bind, connect, unbind,
 * disconnect and the sessions they made), {@link PipeSet} (the pipes and their life with the
 * pattern), {@link SocketSessionHost} (the socket as sessions and transports see it),
 * {@link EngineFactory} (the connections' setup), {@link SocketCounters} and {@link SocketEvents}
 * (statistics and monitors), {@link SocketSync} (the lock, waiting threads and pollers).
 */
public final class SocketCore implements ZmqSocket {
    /** Bit for "a receive would succeed now". */
    public static final int POLLIN = 1;
    /** Bit for "a send would succeed now". */
    public static final int POLLOUT = 2;

    private final SocketContext context;
    private final SocketType type;
    private final Options options;
    private final SocketSync sync;
    private final Pattern pattern;
    private final SocketCounters counters;
    private final SocketEvents events;
    private final PipeSet pipes;
    private final Endpoints endpoints;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final ThreadLocal<ThreadFrames> threadFrames = ThreadLocal.withInitial(ThreadFrames::new);
    /**
     * The state of the thread that called last ({@link #frames()}), so that a socket used by one
     * thread, the common case, finds it with a field read and a comparison instead of a ThreadLocal
     * lookup per send and receive. Written by any caller without the lock: a ThreadFrames' owner is
     * final, so whichever one a thread reads, it sees its owner right and takes it only if it is its own.
     */
    private ThreadFrames lastFrames = ThreadFrames.NONE;
    private volatile boolean closed;
    /**
     * A message was sent since the last one received: a receive now most likely waits for an
     * answer. Written under the lock; read without it in {@link #recvWaiting}, as a hint.
     */
    private boolean answerAwaited;
    /**
     * How long a receive that waits for the answer to what this socket sent looks again before it
     * parks (see {@link #recvWaiting}); updated under the lock.
     */
    private final BusyPollWindow answerPoll;

    public SocketCore(SocketContext context, SocketType type) {
        this.context = context;
        this.answerPoll = new BusyPollWindow(context.busyPoll().toNanos());
        this.type = type;
        this.options = new Options(type);
        this.sync = new SocketSync();
        this.counters = new SocketCounters();
        this.pattern = Patterns.create(type, options, counters.drops);
        this.events = new SocketEvents(context, counters);
        this.pipes = new PipeSet(this, sync, options, pattern, counters);
        var host = new SocketSessionHost(this, sync, counters, events, pipes, new EngineFactory(context, type, options, pipes, events));
        this.endpoints = new Endpoints(this, host, context, options, sync, pipes, events);
    }

    // ---- ZmqSocket: lifecycle and endpoints ------------------------------------------------

    @Override
    public SocketType type() {
        return type;
    }

    @Override
    public String bind(String endpoint) {
        return endpoints.bind(endpoint);
    }

    @Override
    public void connect(String endpoint) {
        endpoints.connect(endpoint);
    }

    @Override
    public int connectPeer(String endpoint) {
        if (type != SocketType.PEER) {
            throw new ZmqException(ZmqError.ENOTSUP, "connectPeer is for PEER sockets, not " + type + "; use connect()");
        }
        if (options.flag(SocketOption.IMMEDIATE)) {
            // As libzmq's peer.cpp: with IMMEDIATE the pipe, and so the id, exists only once connected.
            throw new ZmqException(ZmqError.EFAULT, "connectPeer cannot work with IMMEDIATE set: unset IMMEDIATE");
        }
        pattern.routingIdAttachedByThisThread(); // forget an earlier one
        connect(endpoint);
        sync.lock();
        try {
            return pattern.routingIdAttachedByThisThread();
        } finally {
            sync.unlock();
        }
    }

    @Override
    public void setNameResolver(NameResolver resolver) {
        checkUsable();
        endpoints.setNameResolver(resolver);
    }

    @Override
    public NameResolver nameResolver() {
        return endpoints.nameResolver();
    }

    @Override
    public void refreshAddresses() {
        checkUsable();
        endpoints.refreshAddresses();
    }

    @Override
    public void unbind(String endpoint) {
        endpoints.unbind(endpoint);
    }

    @Override
    public void disconnect(String endpoint) {
        endpoints.disconnect(endpoint);
    }

    /** How many of this socket's pipes hold frame arrays the application gave back (for tests). */
    int pipesHoldingReturnedFrames() {
        sync.lock();
        try {
            return pipes.pipesHoldingReturnedFrames();
        } finally {
            sync.unlock();
        }
    }

    /** Whether a receive takes from the socket's only pipe directly now ({@link #takeSole}; for tests). */
    boolean receivesFromSolePipe() {
        sync.lock();
        try {
            return pipes.sole != null;
        } finally {
            sync.unlock();
        }
    }

    @Override
    public void close() {
        Endpoints.Closing closing;
        sync.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            sync.wakeAll();
            closing = endpoints.closeAll();
        } finally {
            sync.unlock();
        }
        endpoints.closeListeners(closing);
        events.closeAll(endpoints.lastEndpoint());
        long linger = lingerMillis();
        for (var s : closing.sessions()) {
            s.linger(linger);
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** LINGER in milliseconds, with -1 (infinite) bounded by the context's maxLinger. */
    public long lingerMillis() {
        int linger = options.integer(SocketOption.LINGER);
        return linger < 0 ? context.maxLinger().toMillis() : linger;
    }

    /** Context termination: wake everyone with ETERM and close. */
    public void contextTerminating() {
        sync.lock();
        try {
            sync.wakeAll();
        } finally {
            sync.unlock();
        }
        close();
    }

    /** The last session of this closed socket ended (or it had none). */
    void markTerminated() {
        terminated.countDown();
        context.forget(this);
    }

    /** Waits until every session of this closed socket has ended; false on timeout. */
    public boolean awaitTerminated(long nanos) throws InterruptedException {
        return terminated.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** Fails with ETERM if the context was closed, ENOTSOCK if this socket was. */
    void checkUsable() {
        // Two reads on every send and receive; the error is built and thrown elsewhere, so this stays
        // small enough to inline early (24 bytes of bytecode: C1 inlines that four calls deep).
        if (context.isClosed() || closed) {
            throwUnusable();
        }
    }

    /**
     * {@link #checkUsable} for the waiting paths ({@link #sendCountedWaiting}, {@link #recvWaiting}):
     * the same test in a method of their own. Interpreted calls to checkUsable there, its count
     * driven past C2's threshold by the send and receive loops' profiling code, made C2 compile it
     * on its own inside the cold window (5 ms, LogCompilation of cold 16 B x2M runs).
     */
    private void checkUsableAfterWait() {
        if (context.isClosed() || closed) {
            throwUnusable();
        }
    }

    private void throwUnusable() {
        throw unusable();
    }

    private ZmqException unusable() {
        if (context.isClosed()) {
            return new ZmqException(ZmqError.ETERM, "the context was closed; create a new context and socket");
        }
        return new ZmqException(ZmqError.ENOTSOCK, "the " + type + " socket is closed");
    }

    // ---- ZmqSocket: sending ---------------------------------------------------------------------

    /**
     * The common case (the message fits at once) is {@link #sendLocked}, {@link #sendCounted} and
     * {@link #sent}, each small enough for C1 to inline even when this method is itself inlined
     * into the caller's loop (C1 inlines up to 35 bytes of bytecode, 10% less per level: 31 for
     * sendLocked at the second level, 28 for sendCounted at the third; and at most 5 slots of
     * locals and stack beyond the arguments, so no local variables), so the caller is the send
     * path's one compile root above the pattern. A method C1 does not inline has its calls counted
     * on its own, and C2 then compiles it as a unit of its own with the rest of the send path
     * inlined into it again (16 B x2M cold: 600-1,200 bytes of bytecode per such unit, in the window
     * where both processes' JIT threads compete with the transfer for the two cores).
     */
    @Override
    public void send(Message message) {
        if (!sendLocked(Objects.requireNonNull(message, "message"))) {
            sendWaitingOrFail(message);
        }
    }

    /** {@link #send(Message)} found no room at once: waits up to SNDTIMEO, then fails with EAGAIN. */
    private void sendWaitingOrFail(Object message) {
        int timeout = options.sndtimeo();
        if (timeout == 0 || !sendWaiting(message, timeout)) {
            throw timeoutError("send", timeout, "SNDTIMEO", "no peer has room for the message (high-water mark reached or no peer connected)");
        }
    }

    @Override
    public boolean send(Message message, Duration timeout) {
        long millis = toMillis(timeout);
        return sendLocked(Objects.requireNonNull(message, "message")) || millis != 0 && sendWaiting(message, millis);
    }

    @Override
    public boolean trySend(Message message) {
        return sendLocked(Objects.requireNonNull(message, "message"));
    }

    /**
     * With no parts pending, the frame goes down the send path of {@link #send(Message)} as it is
     * (see {@link Pattern#trySendAny}): PUSH, DEALER and PAIR queue the array itself, no Message
     * allocated per message on the sending side.
     */
    @Override
    public void send(byte[] frame) {
        // 27 bytes of bytecode and no locals, so C1 inlines this into its caller (a wrapper's send):
        // the caller is then the send path's one C2 compile, not this method as well (two ~8 KB units).
        if (frames().hasParts() || !sendLocked(requireFrame(frame))) {
            sendPartsOrWait(frame);
        }
    }

    /**
     * The calling thread's state: its parts for {@link #sendMore}, the message it reads frame by
     * frame, its destination of a receive into its memory. 24 bytes of bytecode and two locals, so
     * C1 inlines it into the send and receive paths. (A ThreadLocal lookup per send and receive was a
     * call there, and ThreadLocal.get and getEntry two C2 compiles inside a cold receiver's window.)
     */
    private ThreadFrames frames() {
        var f = lastFrames;
        return f.owner == Thread.currentThread() ? f : framesOfThisThread();
    }

    /** {@link #frames()} for a thread other than the last caller: its ThreadLocal state, remembered. */
    private ThreadFrames framesOfThisThread() {
        var f = threadFrames.get();
        lastFrames = f;
        return f;
    }

    private static byte[] requireFrame(byte[] frame) {
        return Objects.requireNonNull(frame, "frame");
    }

    /**
     * {@link #send(byte[])} with parts gathered, or no room at once: the message of the parts and
     * {@code frame}, or this frame alone waiting up to SNDTIMEO for room. Run by the interpreter
     * for its first few hundred waits, so it calls neither {@link #frames} nor hasParts, which the
     * compiled send path inlines (see {@link #sendCountedWaiting}).
     */
    private void sendPartsOrWait(byte[] frame) {
        var state = threadFrames.get();
        var message = state.gatheredWith(frame);
        if (message == null) {
            sendWaitingOrFail(frame);
            return;
        }
        send(message);
        // Only a message actually queued clears the parts, so a timed-out last frame can be retried.
        state.clearParts();
    }

    @Override
    public void send(String frame) {
        send(frame.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void sendMore(byte[] frame) {
        checkUsable();
        if (!type.canSend()) {
            throw new ZmqException(ZmqError.ENOTSUP, type + " sockets cannot send");
        }
        if (type.isSingleFrame()) {
            // As libzmq's thread-safe types: ZMQ_SNDMORE fails with EINVAL.
            throw new ZmqException(ZmqError.EINVAL, type + " sockets send single-frame messages only: use send(), not sendMore()");
        }
        frames().addPart(frame);
    }

    @Override
    public void sendMore(String frame) {
        sendMore(frame.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One attempt under the lock: the message is queued (and counted) if a peer has room now. One
     * way out of the try: javac copies the finally block to every return in it, and C2 inlines
     * each copy of the unlock (the lock's release) into every compile of the path.
     */
    private boolean sendLocked(Object message) {
        sync.lock();
        try {
            return sendCounted(message);
        } finally {
            unlockSync(); // not sync.unlock(): javac writes the finally block twice, and two field reads less make this fit
        }
    }

    /** {@code sync.unlock()}, in 4 bytes of bytecode at its call sites instead of 7 (see {@link #sendLocked}). */
    private void unlockSync() {
        sync.unlock();
    }

    /** Lock held: the pattern's send, counted; false if no peer has room (fails if the socket is unusable). */
    private boolean sendCounted(Object message) {
        checkUsable();
        if (!pattern.trySendAny(message)) {
            return false;
        }
        sent(message);
        return true;
    }

    /**
     * {@link #sendCounted} for {@link #sendWaiting}: the same steps in a method of its own. A
     * method's invocation count is one, however many compiled copies of it there are: the send
     * loop's inlined copy drives sendCounted's count far past C2's threshold, and a call from the
     * waiting path (interpreted for its first few hundred waits) that lands on one of the count's
     * checks made C2 compile sendCounted as a unit of its own, the pattern's send inlined once
     * more (9-13 ms of the C2 thread in the cold window of 16 B x2M). The same holds one level
     * down, so it calls the pattern's {@link Pattern#trySendAnyAfterWait}, not trySendAny. Kept
     * at 26 bytes, as sendCounted, so that C1 inlines it into sendWaiting: at 45 bytes (checkUsable
     * and sent written out) it was a call of its own there, ~7,000 a run, and C2 compiled it
     * (6-8 ms) in 6 of 10 cold runs.
     */
    private boolean sendCountedWaiting(Object message) {
        checkUsableAfterWait();
        if (!pattern.trySendAnyAfterWait(message)) {
            return false;
        }
        sent(message);
        return true;
    }

    /** Lock held: a message (a Message, or a bare one-frame {@code byte[]}) was queued. */
    private void sent(Object message) {
        counters.sent(message);
        answerAwaited = true;
    }

    /**
     * The waiting half of a send (-1 forever, else a positive timeout), lock not held: tries again
     * under the lock (room may have come since {@link #sendLocked}), then waits for room and tries
     * again until sent or the time is up. The wake count is read before each try: a pipe's wake-up
     * of a waiting writer, sent without this lock, that comes after it is not missed (see
     * {@link SocketSync#awaitWritable}). A method of its own so that the JIT compiles the common
     * half early and small, without this loop.
     */
    private boolean sendWaiting(Object message, long timeoutMillis) {
        long nanos = timeoutMillis < 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        sync.lock();
        try {
            while (true) {
                int ticket = sync.writeTicket();
                if (sendCountedWaiting(message)) {
                    return true;
                }
                if (nanos <= 0) {
                    return false;
                }
                nanos = sync.awaitWritable(nanos, type, ticket);
            }
        } finally {
            sync.unlock();
        }
    }

    // ---- ZmqSocket: receiving -----------------------------------------------------------------

    @Override
    public Message recv() {
        var m = recv(options.rcvtimeo());
        return m != null ? m : recvTimedOut();
    }

    /** {@link #recv()} found nothing within RCVTIMEO; out of line so the common path stays small (see {@link #recv(long)}). */
    private Message recvTimedOut() {
        throw timeoutError("receive", options.rcvtimeo(), "RCVTIMEO", "no message arrived");
    }

    @Override
    public Message recv(Duration timeout) {
        return recv(toMillis(timeout));
    }

    @Override
    public Message tryRecv() {
        return recv(0);
    }

    @Override
    public byte[] recvFrame() {
        var state = frames();
        if (state.hasMore()) {
            return state.nextFrame();
        }
        var m = recvFrame(options.rcvtimeo());
        if (m instanceof byte[] frame) {
            return frame;
        }
        return state.firstFrame(m != null ? (Message) m : recvTimedOut());
    }

    /**
     * The receive into the caller's memory: the calling thread's state takes the destination and
     * {@link #takeSole} the frame. 26 bytes of bytecode and 5 slots of locals and stack beyond the
     * argument, so C1 inlines it into its caller (its limits: 35 bytes, 5 slots), and takeSole is
     * the one compile unit of the receive below the caller. (Each method C1 does not inline is a
     * unit of its own, first C1's and then C2's, and C2 compiles it again inside its callers: with
     * five arguments for the destination this method was such a unit beside takeSole, and the
     * cold CURVE receiver's C2 compiled the receive three times.)
     */
    @Override
    public int recv(byte[] buffer) {
        var state = into(buffer);
        int n = takeSole(state);
        return n >= 0 ? n : recvIntoWaiting(state);
    }

    /** The calling thread's frame state, its destination all of {@code buffer}. */
    private ThreadFrames into(byte[] buffer) {
        return frames().into(buffer, 0, buffer.length);
    }

    @Override
    public int recv(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        var state = frames().into(buffer, offset, length);
        int n = takeSole(state);
        return n >= 0 ? n : recvIntoWaiting(state);
    }

    @Override
    public int recv(byte[] buffer, int offset, int length, Duration timeout) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        long millis = toMillis(timeout);
        return recvInto(frames().into(buffer, offset, length), millis);
    }

    @Override
    public int recv(ByteBuffer buffer) {
        if (buffer.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        var state = frames().into(buffer);
        int n = takeSole(state);
        return n >= 0 ? n : recvIntoWaiting(state);
    }

    /** What {@link #takeSole} returns when it took nothing: the caller waits. */
    private static final int NOTHING = -1;

    /**
     * The receive's fast path, one method for the common case: the pattern receives from its only
     * pipe as it is ({@link PipeSet#sole}, see {@link Pattern#solePipe}), the calling thread reads
     * no message frame by frame, and the next message is a one-frame message queued as its bare
     * array. Under the lock, as the general path ({@link #takeReceivedInto}): the frame is taken
     * from the pipe (which credits its writer, see {@link Pipe#pollInFrame}), copied into the
     * destination {@code state} holds, counted, and given back to the pipe for its connection to
     * decode into again ({@link Pipe#recycleIn}). In the interpreter, which runs a cold receiver's
     * first thousands of messages, that is ~20 calls a message where the general path's layers
     * (pattern, fair queue, take, finish) made ~45, and fewer methods for C1 to compile while they
     * run (16 B x200k with dev.zmq interpreted: receiver's application thread 725 -> 510 ms). Anything
     * else goes the general way. A departed pipe makes {@link PipeSet#sole} null until it is reaped,
     * so nothing is left to reap here. Returns the frame's whole size, or {@link #NOTHING} (then
     * {@code state} still holds the destination, for the waiting path).
     */
    private int takeSole(ThreadFrames state) {
        sync.lock();
        try {
            checkUsable();
            var pipe = pipes.sole;
            if (pipe == null || state.hasMore()) {
                return takeReceivedInto(state) != null ? state.received() : NOTHING;
            }
            Object m = pipe.pollInFrame();
            if (m == null) { // before the instanceof: see tookInto
                return NOTHING;
            }
            if (!(m instanceof byte[] frame)) { // a Message: several frames, or one not queued bare
                tookOtherInto(state, m);
                return state.received();
            }
            int size = state.copyOut(frame);
            counters.receivedFrame(size);
            pipe.recycleIn(frame);
            answerAwaited = false;
            return size;
        } finally {
            unlockSync();
        }
    }

    /**
     * Nothing was there at once: waits up to RCVTIMEO, and throws if it passes. It calls the wait
     * itself, not through {@link #recvIntoWaiting(ThreadFrames, long)}, which C1 does not inline
     * ("callee uses too much stack"): a tier-3 call fewer per waiting receive, and one C2 compile
     * fewer (a tcp latency run compiled both, each with recvWaiting inlined, ~3,100 bytecodes).
     */
    private int recvIntoWaiting(ThreadFrames state) {
        int timeout = options.rcvtimeo();
        if (timeout != 0 && recvWaiting(timeout, false, state) != null) {
            return state.received();
        }
        state.nothingReceived();
        return recvIntoTimedOut();
    }

    /** {@link #recvTimedOut()} for the receives into the caller's memory. */
    private int recvIntoTimedOut() {
        throw timeoutError("receive", options.rcvtimeo(), "RCVTIMEO", "no message arrived");
    }

    /**
     * The next frame for the calling thread, copied into the destination {@code state} holds; its
     * whole size, or -1 if none came within {@code timeoutMillis}.
     */
    private int recvInto(ThreadFrames state, long timeoutMillis) {
        int n = takeSole(state);
        return n >= 0 ? n : recvIntoWaiting(state, timeoutMillis);
    }

    /** {@link #recvInto} found nothing at once: waits up to {@code timeoutMillis} (0: not at all). */
    private int recvIntoWaiting(ThreadFrames state, long timeoutMillis) {
        if (timeoutMillis != 0 && recvWaiting(timeoutMillis, false, state) != null) {
            return state.received();
        }
        return state.nothingReceived();
    }

    @Override
    public String recvString() {
        return new String(recvFrame(), StandardCharsets.UTF_8);
    }

    @Override
    public boolean hasMore() {
        return frames().hasMore();
    }

    private Message recv(long timeoutMillis) {
        var m = takeLocked();
        return m != null || timeoutMillis == 0 ? m : (Message) recvWaiting(timeoutMillis, false, null);
    }

    /**
     * As {@link #recv(long)} for {@link #recvFrame()}: a one-frame message may come as its bare
     * frame ({@code byte[]}, see {@link Pattern#tryRecvFrame}), no Message made for it.
     */
    private Object recvFrame(long timeoutMillis) {
        var m = takeLockedFrame();
        return m != null || timeoutMillis == 0 ? m : recvWaiting(timeoutMillis, true, null);
    }

    /**
     * The next message, or null, under the lock. {@link #recv()}, {@link #recv(long)} and this are
     * each under C1's inlining limit (35 bytes of bytecode), so the JIT compiles the receive path as
     * one unit instead of one per method (each C2 compile repeating its callees), and the interim
     * C1 code makes no calls between them.
     */
    private Message takeLocked() {
        sync.lock();
        try {
            checkUsable();
            return takeReceived();
        } finally {
            sync.unlock();
        }
    }

    /** {@link #takeLocked()} for {@link #recvFrame(long)}. */
    private Object takeLockedFrame() {
        sync.lock();
        try {
            checkUsable();
            return takeReceivedFrame();
        } finally {
            sync.unlock();
        }
    }

    /**
     * How long a receiver with an inproc peer that found nothing keeps looking, yielding between looks,
     * before it parks: an inproc answer is a microsecond or two away when the peer thread runs. A parked
     * thread lets its processor go idle, and waking an idle virtual CPU costs far more than that: on
     * this project's 2-vCPU benchmark VM (no guest halt polling), inproc_lat 16 B x200k ran 17-22 us
     * one-way with threads that parked (JeroMQ's the same, 17-19 us) against ~2 us with both threads
     * pinned to one CPU, where the yield alone hands over. Yielding, not spinning: a peer on the same
     * processor gets it at once. Bounded, so an idle socket parks after this long.
     */
    private static final long INPROC_WATCH_NANOS = 20_000;

    /** Lock held: what a waiting receive takes, into {@code into}, as a frame, or as a message (see {@link #recvWaiting}). */
    private Object takeWaited(boolean frame, ThreadFrames into) {
        return into != null ? takeWaitedInto(into) : frame ? takeReceivedFrame() : takeReceived();
    }

    /** One look for a message without waiting, the lock taken and released (see {@link #recvWaiting}). */
    private Object lookAgain(boolean frame, ThreadFrames into) {
        sync.lock();
        try {
            checkUsableAfterWait();
            return takeWaited(frame, into);
        } finally {
            sync.unlock();
        }
    }

    /**
     * The waiting half of {@link #recv(long)}, lock not held; split off for the JIT as {@link #sendWaiting}.
     * Before it parks it looks again, in one of three ways. With an inproc peer it yields and looks
     * again for up to {@link #INPROC_WATCH_NANOS} (see there).
     *
     * <p>When it waits for the answer to what it sent and no peer is inproc, it looks again, yielding
     * between looks, for up to the socket's answer window ({@link #answerPoll}), then parks: the
     * answer of a conversation over tcp is tens of microseconds away, and waking a parked thread
     * costs as much again where its processor went idle (a VM without guest halt polling), while
     * the I/O threads poll through the same gap ({@code ZmqContext.ioBusyPoll}). The window adapts
     * to how soon the answers came (it grows while they come within the context's busy poll, and
     * stops polling when they come later), so a client whose answers take milliseconds parks at
     * once. A receiver that sent nothing since its last receive (PULL, SUB) never polls: its
     * messages come as the peers send them, and polling there took the processor from the
     * threads that deliver them (cold tcp 16 B x2M, 8.5M -> 7.4M msg/s with a 200 us poll).
     * Otherwise it gives up the processor once, without the lock, and looks again: a sender that
     * was about to publish (on another core, or waiting for this one) usually has by then, which
     * spares this thread a park and the sender a wake-up (this socket's lock, a signal and an
     * unpark system call), far dearer than a yield.
     */
    private Object recvWaiting(long timeoutMillis, boolean frame, ThreadFrames into) {
        long nanos = timeoutMillis < 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long start = System.nanoTime();
        boolean inproc = pipes.hasInproc();
        boolean conversation = !inproc && answerAwaited;
        long watch = Math.min(nanos, inproc ? INPROC_WATCH_NANOS : conversation ? answerPoll.nanos() : 0);
        if (watch > 0) {
            do {
                Thread.yield();
                Object m = lookAgain(frame, into);
                if (m != null) {
                    return m; // a conversation's window stays as it is
                }
            } while (System.nanoTime() - start < watch);
            if (nanos != Long.MAX_VALUE) {
                nanos -= System.nanoTime() - start; // 0 or less: one more look below, then null
            }
        } else if (!conversation) {
            Thread.yield();
        }
        sync.lock();
        try {
            while (true) {
                int ticket = sync.readTicket(); // before the look: see SocketSync.awaitReadable
                checkUsableAfterWait();
                Object m = takeWaited(frame, into);
                if (m != null || nanos <= 0) {
                    if (conversation) {
                        answerPoll.slept(System.nanoTime() - start);
                    }
                    return m;
                }
                nanos = sync.awaitReadable(nanos, type, ticket);
            }
        } finally {
            sync.unlock();
        }
    }

    /** Lock held: the next message the pattern gives (counted), or null; departed pipes read empty are let go. */
    private Message takeReceived() {
        var pipe = pipes.sole; // see takeSole
        Message m;
        if (pipe != null) {
            m = pipe.pollIn();
        } else {
            m = pattern.tryRecv();
            pipes.reapDeparted();
        }
        if (m != null) {
            counters.received(m);
            answerAwaited = false;
        }
        return m;
    }

    /** {@link #takeReceived()} for {@link #recvFrame(long)}: a bare frame or a Message (counted), or null. */
    private Object takeReceivedFrame() {
        var pipe = pipes.sole; // see takeSole
        Object m;
        if (pipe != null) {
            m = pipe.pollInFrame();
        } else {
            m = pattern.tryRecvFrame();
            pipes.reapDeparted();
        }
        if (m != null) { // before the instanceof: see tookInto
            if (m instanceof byte[] frame) {
                counters.receivedFrame(frame.length);
            } else {
                counters.received((Message) m);
            }
            answerAwaited = false;
        }
        return m;
    }

    /**
     * {@link #takeReceivedFrame()} for {@link #takeSole}'s general case: the calling thread's next frame copied into
     * the destination {@code state} holds: the next of the message it reads frame by frame, or the
     * first of the next message (the rest of a longer one kept in {@code state} for the next calls).
     * The frame of a one-frame message is copied here, under the lock, and its array given back to
     * the connection that decoded it ({@link Pattern#recycle}): the application never saw it, so
     * the connection may decode into it again, and a steady receiver allocates nothing per message.
     * Returns what was taken (non-null), or null.
     */
    private Object takeReceivedInto(ThreadFrames state) {
        return tookInto(state, state.hasMore() ? state : pattern.tryRecvFrame());
    }

    /**
     * {@link #takeReceivedInto} for {@link #recvWaiting}: the same steps, through methods the compiled
     * receive path does not inline (see {@link #sendCountedWaiting}). Called there, takeReceivedInto,
     * whose count the receive loop's profiling code drives far past C2's threshold, was compiled by
     * C2 as a unit of its own, the whole receive path inlined once more (15-37 ms of the C2 thread in
     * 2 of 3 cold 16 B x2M receivers, LogCompilation). tookFrameInto and tookOtherInto are calls of
     * their own in that path already.
     */
    private Object takeWaitedInto(ThreadFrames state) {
        Object m = state.hasMore() ? state : pattern.tryRecvFrameAfterWait();
        if (m == null) {
            return finishTake(null);
        }
        return m instanceof byte[] ? tookFrameInto(state, m) : tookOtherInto(state, m);
    }

    /**
     * {@link #takeReceivedInto} of {@code m}: a bare frame, a Message, {@code state} (reading frame by
     * frame), or null. Null is told apart before the {@code instanceof}: the profile of an
     * {@code instanceof} records the classes that passed it only, so where mostly Messages (REQ, REP)
     * and nulls (nothing there yet) failed {@code instanceof byte[]}, it read "always null", C2
     * compiled the Message case as a trap, and the first Message deoptimized recv and recvWaiting
     * (a tcp 16 B latency run: 3-4 such traps a side, recv compiled again in 150 ms of C2).
     */
    private Object tookInto(ThreadFrames state, Object m) {
        return m != null ? tookSomeInto(state, m) : finishTake(null);
    }

    /**
     * {@link #tookInto} of a frame, a Message or {@code state}. Two returns, not a conditional
     * expression (whose goto is 2 bytes longer than a return): 21 bytes of bytecode, so C1 inlines it
     * deep in the general receive path (five calls deep is its limit). At 23 bytes it was a call of
     * its own in the profiling code, and C2 compiled it as a unit of its own with both take paths
     * inlined, inside the window of every cold 16 B x2M receiver (LogCompilation of 5d05fa7: in 4 of
     * 4, 47 ms of the C2 thread's wall time a run).
     */
    private Object tookSomeInto(ThreadFrames state, Object m) {
        if (m instanceof byte[]) {
            return tookFrameInto(state, m);
        }
        return tookOtherInto(state, m);
    }

    /** {@link #tookInto} of a one-frame message's bare frame: copied, given back, counted. */
    private Object tookFrameInto(ThreadFrames state, Object m) {
        var frame = (byte[]) m;
        counters.receivedFrame(state.copyOut(frame));
        pattern.recycle(frame);
        return finishTake(frame);
    }

    /** {@link #tookInto} of the next frame of the message read frame by frame, or of a Message. */
    private Object tookOtherInto(ThreadFrames state, Object m) {
        if (m == state) {
            state.copyOut(state.nextFrame());
            return state;
        }
        var message = (Message) m;
        if (message.size() == 1) {
            var frame = message.frame(0);
            state.copyOut(frame);
            pattern.recycle(frame);
        } else {
            state.copyOut(state.firstFrame(message));
        }
        counters.received(message);
        return finishTake(m);
    }

    /** The end of a take into the caller's memory of {@code m} (null: none), which it returns. */
    private Object finishTake(Object m) {
        if (m != null) {
            answerAwaited = false;
        }
        pipes.reapDeparted(); // after the recycle: the pattern forgets a departed pipe here
        return m;
    }

    @Override
    public SocketStatistics statistics() {
        sync.lock();
        try {
            // A closed socket has no peers and nothing queued, as far as its application is concerned.
            return counters.snapshot(closed ? 0 : pipes.queued(), closed ? 0 : pipes.connected(), endpoints.resolvedAddresses(),
                    endpoints.multicastStatistics());
        } finally {
            sync.unlock();
        }
    }

    private static long toMillis(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new ZmqException(ZmqError.EINVAL, "timeout must be zero or positive, got " + timeout);
        }
        try {
            return Math.max(timeout.toMillis(), timeout.isZero() ? 0 : 1);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    private ZmqException timeoutError(String what, int timeout, String option, String why) {
        if (timeout == 0) {
            return new ZmqException(ZmqError.EAGAIN, what + " would block on the " + type + " socket: " + why);
        }
        return new ZmqException(ZmqError.EAGAIN, what + " timed out after " + timeout + " ms (" + option + ") on the "
                + type + " socket: " + why);
    }

    // ---- subscriptions -------------------------------------------------------------------------

    @Override
    public void subscribe(byte[] prefix) {
        subscription(prefix, true);
    }

    @Override
    public void subscribe(String prefix) {
        subscription(prefix.getBytes(StandardCharsets.UTF_8), true);
    }

    @Override
    public void unsubscribe(byte[] prefix) {
        subscription(prefix, false);
    }

    @Override
    public void unsubscribe(String prefix) {
        subscription(prefix.getBytes(StandardCharsets.UTF_8), false);
    }

    @Override
    public void join(String group) {
        group(group, true);
    }

    @Override
    public void leave(String group) {
        group(group, false);
    }

    private void group(String group, boolean join) {
        Objects.requireNonNull(group, "group");
        sync.lock();
        try {
            checkUsable();
            pattern.group(group, join);
        } finally {
            sync.unlock();
        }
    }

    private void subscription(byte[] prefix, boolean add) {
        Objects.requireNonNull(prefix, "prefix");
        sync.lock();
        try {
            checkUsable();
            pattern.subscription(prefix.clone(), add);
        } finally {
            sync.unlock();
        }
    }

    // ---- options --------------------------------------------------------------------------

    @Override
    public <T> void set(SocketOption<T> option, T value) {
        checkUsable();
        var owner = Patterns.optionOwner(option);
        if (owner != null && !owner.contains(type)) {
            // As libzmq (EINVAL): a pattern option on another socket type would silently do nothing.
            throw new ZmqException(ZmqError.EINVAL, "option " + option.name() + " applies to " + owner
                    + " sockets only, not " + type);
        }
        if ((option == SocketOption.CURVE_SERVER && Boolean.TRUE.equals(value)) || option == SocketOption.CURVE_SERVERKEY) {
            dev.zmq.internal.crypto.CurveSupport.require();
        }
        options.set(option, value);
    }

    @Override
    public <T> T get(SocketOption<T> option) {
        checkUsable();
        var owner = Patterns.optionOwner(option);
        if (owner != null && !owner.contains(type)) {
            // As libzmq (EINVAL): the option does not exist on this socket type.
            throw new ZmqException(ZmqError.EINVAL, "option " + option.name() + " applies to " + owner
                    + " sockets only, not " + type);
        }
        if (option == SocketOption.EVENTS) {
            return option.type().cast(pollEvents());
        }
        if (option == SocketOption.THREAD_SAFE) {
            return option.type().cast(true);
        }
        if (option == SocketOption.TYPE) {
            return option.type().cast(type);
        }
        if (option == SocketOption.LAST_ENDPOINT) {
            sync.lock();
            try {
                return option.type().cast(endpoints.lastEndpoint());
            } finally {
                sync.unlock();
            }
        }
        if (option == SocketOption.RCVMORE) {
            return option.type().cast(hasMore());
        }
        if (option == SocketOption.MECHANISM) {
            return option.type().cast(options.mechanism());
        }
        return options.get(option);
    }

    /** The live options, read by connections when they start. */
    public Options options() {
        return options;
    }

    /** An I/O thread for a new connection, among those AFFINITY allows. */
    public IoThread nextIoThread() {
        return context.nextIoThread(options.get(SocketOption.AFFINITY));
    }

    /** The socket's endpoints and the sessions they made. */
    Endpoints endpoints() {
        return endpoints;
    }

    // ---- monitoring ---------------------------------------------------------------------------

    /** An I/O thread of the context stopped for good: counted and told to the monitors. */
    public void ioThreadFailed(String thread, Throwable cause) {
        events.ioThreadFailed(thread, cause);
    }

    @Override
    public AutoCloseable monitor(Set<SocketEvent.Type> types, Consumer<SocketEvent> listener) {
        Objects.requireNonNull(types, "types");
        Objects.requireNonNull(listener, "listener");
        checkUsable();
        return events.add(types, listener);
    }

    @Override
    public void monitor(String endpoint, int eventMask) {
        checkUsable();
        events.monitor(endpoint, eventMask);
    }

    // ---- polling ------------------------------------------------------------------------------

    /** What the socket could do now: {@link #POLLIN} and/or {@link #POLLOUT}. */
    public int pollEvents() {
        sync.lock();
        try {
            checkUsable();
            pipes.reapDeparted();
            return (pattern.hasIn() ? POLLIN : 0) | (pattern.hasOut() ? POLLOUT : 0);
        } finally {
            sync.unlock();
        }
    }

    /** Runs {@code watcher} (quickly, never blocking) whenever readiness may have changed. */
    public void addWatcher(Runnable watcher) {
        sync.addWatcher(watcher);
    }

    public void removeWatcher(Runnable watcher) {
        sync.removeWatcher(watcher);
    }
}
