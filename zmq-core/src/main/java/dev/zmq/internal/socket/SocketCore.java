package dev.zmq.internal.socket;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.internal.ContextCore;
import dev.zmq.internal.Frames;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.engine.RawEngine;
import dev.zmq.internal.engine.EngineSettings;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.monitor.SocketMonitors;
import dev.zmq.internal.options.Options;
import dev.zmq.internal.pattern.Pattern;
import dev.zmq.internal.pattern.Patterns;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.pipe.PipeEndpoint;
import dev.zmq.internal.pipe.PipeOwner;
import dev.zmq.internal.session.ConnectingSession;
import dev.zmq.internal.session.ResolvingConnector;
import dev.zmq.internal.session.Session;
import dev.zmq.internal.session.SessionHost;
import dev.zmq.internal.transport.Endpoint;
import dev.zmq.internal.transport.Listener;
import dev.zmq.internal.wire.mechanism.Mechanisms;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The implementation behind {@link ZmqSocket}. One lock guards the pattern and the socket's state
 * and serializes application threads (which keeps messages whole when threads share a socket);
 * application threads wait on two conditions (readable, writable). The pipes to the peers are
 * lock-free ({@link Pipe}): connections deliver and take messages without this lock, and take it
 * only to wake the socket when its reader found the pipes empty or its writer found them full
 * ({@link PipeOwner}).
 */
public final class SocketCore implements ZmqSocket, SessionHost, ResolvingConnector.Registry, ZmtpEngine.PipeAccess, ZmtpEngine.Events,
        PipeOwner {
    private final ContextCore context;
    private final SocketType type;
    private final Options options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private final Pattern pattern;
    private final SocketMonitors monitors;
    // Traffic counters: plain fields, updated and read with the lock held (which every send,
    // receive and delivery already takes), so counting costs no extra synchronization.
    private final DropCounter drops = new DropCounter();
    private long messagesSent;
    /** Lock held: the PGM counters of epgm sessions that ended, so the socket's never go down. */
    private dev.zmq.MulticastStatistics endedMulticast = dev.zmq.MulticastStatistics.NONE;
    private long bytesSent;
    private long messagesReceived;
    private long bytesReceived;
    // Connection events come from I/O threads without the lock; they are rare.
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder connectRetries = new LongAdder();
    private final LongAdder disconnects = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    private final LongAdder ioThreadFailures = new LongAdder();
    /** The PAIR socket of a libzmq-style monitor ({@link #monitor(String, int)}), with its handle. */
    private SocketCore wireMonitor;
    private AutoCloseable wireMonitorHandle;
    private final Set<Session> sessions = new HashSet<>();
    private final Map<String, Listener> listeners = new HashMap<>();
    private final Map<String, String> bindAliases = new HashMap<>();
    private final Map<String, List<Session>> connections = new HashMap<>();
    /** Endpoints connected with CONNECT_ALL_ADDRESSES: their sessions are in {@link #connections} too. */
    private final Map<String, List<ResolvingConnector>> resolving = new HashMap<>();
    private volatile dev.zmq.NameResolver nameResolver = dev.zmq.NameResolver.system();
    /** Every pipe attached to the pattern. */
    private final Set<Pipe> pipes = new HashSet<>();
    /** Pipes whose peer left with messages still unread; detached once read. */
    private final List<Pipe> departed = new ArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final ThreadLocal<ThreadFrames> threadFrames = ThreadLocal.withInitial(ThreadFrames::new);
    private volatile boolean closed;
    private String lastEndpoint = "";
    /** Pollers waiting on this socket: told whenever readiness may have changed. */
    private final java.util.concurrent.CopyOnWriteArrayList<Runnable> watchers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Wake-ups of inproc peer sockets, run once the lock is released ({@link #runAfterUnlock}); guarded by the lock. */
    private final ArrayList<Runnable> afterUnlock = new ArrayList<>();

    /** The frame-at-a-time state of one thread on this socket. */
    private static final class ThreadFrames {
        final List<byte[]> sending = new ArrayList<>();
        Message receiving;
        int next;
    }

    public SocketCore(ContextCore context, SocketType type) {
        this.context = context;
        this.type = type;
        this.options = new Options(type);
        this.pattern = Patterns.create(type, options, drops);
        this.monitors = new SocketMonitors(context.monitorDispatcher());
    }

    // ---- ZmqSocket: lifecycle and endpoints ------------------------------------------------

    @Override
    public SocketType type() {
        return type;
    }

    @Override
    public String bind(String endpoint) {
        checkUsable();
        var parsed = Endpoint.parse(endpoint);
        checkDgramTransport(parsed);
        if (parsed.isUdp()) {
            try {
                return openUdp(endpoint, parsed, true);
            } catch (ZmqException e) {
                emit(SocketEvent.Type.BIND_FAILED, endpoint, null, e.error().errno(), e.getMessage());
                throw e;
            }
        }
        if (parsed.isEpgm()) {
            // As libzmq: for multicast, bind and connect are the same (both join the group).
            try {
                connectEpgm(endpoint, parsed);
            } catch (ZmqException e) {
                emit(SocketEvent.Type.BIND_FAILED, endpoint, null, e.error().errno(), e.getMessage());
                throw e;
            }
            return endpoint;
        }
        if (!parsed.isInproc()) {
            Mechanisms.validate(options);
        }
        Listener listener;
        try {
            listener = parsed.isInproc()
                    ? context.inproc().bind(this, parsed)
                    : parsed.streamTransport().bind(this, nextIoThread(), parsed);
        } catch (ZmqException e) {
            emit(SocketEvent.Type.BIND_FAILED, endpoint, null, e.error().errno(), e.getMessage());
            throw e;
        }
        var actual = listener.endpoint();
        lock.lock();
        try {
            if (closed) {
                listener.close();
                checkUsable();
            }
            listeners.put(actual, listener);
            bindAliases.put(endpoint, actual);
            lastEndpoint = actual;
        } finally {
            unlock();
        }
        listener.start();
        emit(SocketEvent.Type.LISTENING, actual, null, 0, null);
        return actual;
    }

    @Override
    public void connect(String endpoint) {
        checkUsable();
        var parsed = Endpoint.parse(endpoint);
        checkDgramTransport(parsed);
        if (parsed.isUdp()) {
            openUdp(endpoint, parsed, false);
            return;
        }
        if (parsed.isInproc()) {
            var session = context.inproc().connect(this, parsed, takeConnectRoutingId());
            lock.lock();
            try {
                connections.computeIfAbsent(endpoint, k -> new ArrayList<>()).add(session);
                lastEndpoint = endpoint;
            } finally {
                unlock();
            }
            return;
        }
        if (parsed.isEpgm()) {
            connectEpgm(endpoint, parsed);
            return;
        }
        Mechanisms.validate(options);
        if (parsed.transport().equals("tcp") && options.flag(SocketOption.CONNECT_ALL_ADDRESSES)) {
            connectAll(endpoint, parsed);
            return;
        }
        var dialer = parsed.streamTransport().dialer(this, parsed);
        ConnectingSession session;
        lock.lock();
        try {
            checkUsable();
            session = new ConnectingSession(this, nextIoThread(), endpoint, dialer, takeConnectRoutingId());
            sessions.add(session);
            // Connecting twice to one endpoint makes two connections, as in libzmq.
            connections.computeIfAbsent(endpoint, k -> new ArrayList<>()).add(session);
            lastEndpoint = endpoint;
        } finally {
            unlock();
        }
        session.start();
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
        lock.lock();
        try {
            return pattern.routingIdAttachedByThisThread();
        } finally {
            unlock();
        }
    }

    /** CONNECT_ALL_ADDRESSES: one session per address behind the endpoint's name, following it as it changes. */
    private void connectAll(String endpoint, Endpoint parsed) {
        if (options.get(SocketOption.CONNECT_ROUTING_ID).length > 0) {
            throw new ZmqException(ZmqError.EINVAL, "cannot connect to '" + endpoint + "' with CONNECT_ALL_ADDRESSES and"
                    + " CONNECT_ROUTING_ID: the routing id names one peer and the name may stand for several; clear"
                    + " CONNECT_ROUTING_ID or CONNECT_ALL_ADDRESSES");
        }
        var target = dev.zmq.internal.transport.tcp.TcpTransport.INSTANCE.resolvable(this, parsed);
        ResolvingConnector connector;
        lock.lock();
        try {
            checkUsable();
            connector = new ResolvingConnector(this, this, nextIoThread(), endpoint, target, nameResolver, context.nameLookups());
            resolving.computeIfAbsent(endpoint, k -> new ArrayList<>()).add(connector);
            lastEndpoint = endpoint;
        } finally {
            unlock();
        }
        connector.start();
    }

    @Override
    public void setNameResolver(dev.zmq.NameResolver resolver) {
        checkUsable();
        nameResolver = java.util.Objects.requireNonNull(resolver, "resolver");
    }

    @Override
    public dev.zmq.NameResolver nameResolver() {
        return nameResolver;
    }

    @Override
    public void refreshAddresses() {
        checkUsable();
        List<ResolvingConnector> all = new ArrayList<>();
        lock.lock();
        try {
            resolving.values().forEach(all::addAll);
        } finally {
            unlock();
        }
        all.forEach(ResolvingConnector::refresh);
    }

    /** Registers the session of an address found behind a name; false if the endpoint or socket is gone. */
    public boolean addResolved(ResolvingConnector connector, String address, ConnectingSession session) {
        lock.lock();
        try {
            if (closed || connector.isStopped()) {
                return false;
            }
            sessions.add(session);
            connections.computeIfAbsent(connector.endpoint(), k -> new ArrayList<>()).add(session);
            connector.live().put(address, session);
            return true;
        } finally {
            unlock();
        }
    }

    /**
     * An address vanished from behind a name: as {@link #disconnect(String)} does for an endpoint,
     * nothing new is routed to it and its session lingers until what is queued is delivered.
     * False if it was not there (its session ended, or the endpoint is gone).
     */
    public boolean retireResolved(ResolvingConnector connector, String address) {
        ConnectingSession session;
        lock.lock();
        try {
            if (connector.isStopped()) {
                return false;
            }
            session = connector.live().remove(address);
            if (session == null) {
                return false;
            }
            connector.retiring().add(session);
            var list = connections.get(connector.endpoint());
            if (list != null) {
                list.remove(session);
                if (list.isEmpty()) {
                    connections.remove(connector.endpoint());
                }
            }
            for (var pipe : pipes) {
                if (pipe.endpoint() == session) {
                    pipe.stopTakingOut();
                    pattern.peerGone(pipe);
                }
            }
        } finally {
            unlock();
        }
        session.linger(effectiveLinger());
        return true;
    }

    /** Lock held: the addresses behind CONNECT_ALL_ADDRESSES endpoints, for statistics. */
    private List<dev.zmq.ResolvedAddress> resolvedAddresses() {
        if (resolving.isEmpty() || closed) {
            return List.of();
        }
        var queued = new java.util.IdentityHashMap<Object, Long>();
        for (var pipe : pipes) {
            queued.merge(pipe.endpoint(), (long) pipe.outboundSize(), Long::sum);
        }
        var out = new ArrayList<dev.zmq.ResolvedAddress>();
        for (var list : resolving.values()) {
            for (var c : list) {
                c.live().forEach((address, s) -> out.add(new dev.zmq.ResolvedAddress(c.endpoint(), address, s.isConnected(), false,
                        queued.getOrDefault(s, 0L))));
                for (var s : c.retiring()) {
                    out.add(new dev.zmq.ResolvedAddress(c.endpoint(), s.address(), s.isConnected(), true, queued.getOrDefault(s, 0L)));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(dev.zmq.ResolvedAddress::endpoint).thenComparing(dev.zmq.ResolvedAddress::address)
                .thenComparing(dev.zmq.ResolvedAddress::draining));
        return out;
    }

    /** Opens an epgm session (its UDP sockets now, so errors reach the caller) and registers it like a connection. */
    private void connectEpgm(String endpoint, Endpoint parsed) {
        var session = dev.zmq.internal.transport.pgm.PgmSession.open(this, context.nextIoThread(), endpoint, parsed.address());
        lock.lock();
        try {
            if (closed) {
                session.terminate();
                checkUsable();
            }
            sessions.add(session);
            connections.computeIfAbsent(endpoint, k -> new ArrayList<>()).add(session);
            lastEndpoint = endpoint;
        } finally {
            unlock();
        }
        session.start();
    }

    /** DGRAM speaks plain UDP: libzmq gives it no other transport. */
    private void checkDgramTransport(Endpoint parsed) {
        if (type == SocketType.DGRAM && !parsed.isUdp()) {
            throw new ZmqException(ZmqError.ENOCOMPATPROTO, "DGRAM sockets work over udp:// only, not " + parsed.transport()
                    + ":// ('" + parsed.text() + "'): bind e.g. udp://*:5555");
        }
    }

    /**
     * Opens a udp endpoint (its UDP socket now, so errors reach the caller) and registers it like a
     * connection, under the endpoint as bound (with the real port of {@code udp://*:*}) and the
     * endpoint as given. Returns the former.
     */
    private String openUdp(String endpoint, Endpoint parsed, boolean bind) {
        var session = dev.zmq.internal.transport.udp.UdpSession.open(this, nextIoThread(), endpoint, parsed.address(), bind);
        var actual = session.endpoint();
        lock.lock();
        try {
            if (closed) {
                session.terminate();
                checkUsable();
            }
            if (type == SocketType.DGRAM && connections.keySet().stream().anyMatch(e -> e.regionMatches(true, 0, "udp://", 0, 6))) {
                session.terminate();
                // As libzmq's dgram.cpp, which keeps one pipe only (it would silently ignore this one).
                throw new ZmqException(ZmqError.EINVAL, "a DGRAM socket has one udp endpoint and is already bound to "
                        + String.join(", ", connections.keySet()) + ": unbind it first, or use another socket");
            }
            sessions.add(session);
            connections.computeIfAbsent(actual, k -> new ArrayList<>()).add(session);
            if (!actual.equals(endpoint)) {
                bindAliases.put(endpoint, actual);
            }
            lastEndpoint = actual;
        } finally {
            unlock();
        }
        session.start();
        return actual;
    }

    @Override
    public void unbind(String endpoint) {
        checkUsable();
        if (endpoint != null && endpoint.regionMatches(true, 0, "epgm://", 0, 7)) {
            disconnect(endpoint); // a bound epgm endpoint is a connection (see bind)
            return;
        }
        if (endpoint != null && endpoint.regionMatches(true, 0, "udp://", 0, 6)) {
            String actual;
            lock.lock();
            try {
                actual = bindAliases.getOrDefault(endpoint, endpoint);
                if (connections.containsKey(actual)) {
                    bindAliases.values().removeIf(actual::equals);
                }
            } finally {
                unlock();
            }
            disconnect(actual); // a udp endpoint is a connection too (see openUdp)
            return;
        }
        Listener listener;
        lock.lock();
        try {
            var actual = bindAliases.getOrDefault(endpoint, endpoint);
            listener = listeners.remove(actual);
            if (listener == null) {
                throw new ZmqException(ZmqError.ENOENT, "cannot unbind '" + endpoint + "': this socket is not bound to it"
                        + (listeners.isEmpty() ? "" : " (bound: " + String.join(", ", listeners.keySet()) + ")"));
            }
            bindAliases.values().removeIf(actual::equals);
        } finally {
            unlock();
        }
        listener.close();
        emit(SocketEvent.Type.CLOSED, listener.endpoint(), null, 0, null);
    }

    @Override
    public void disconnect(String endpoint) {
        checkUsable();
        List<Session> ended;
        lock.lock();
        try {
            ended = connections.remove(endpoint);
            var followed = resolving.remove(endpoint);
            if (ended == null && followed == null) {
                var known = new java.util.TreeSet<>(connections.keySet());
                known.addAll(resolving.keySet());
                throw new ZmqException(ZmqError.ENOENT, "cannot disconnect '" + endpoint + "': this socket is not connected to it"
                        + (known.isEmpty() ? "" : " (connected: " + String.join(", ", known) + ")"));
            }
            if (followed != null) {
                followed.forEach(ResolvingConnector::stop);
            }
            if (ended == null) {
                ended = List.of();
            }
        } finally {
            unlock();
        }
        lock.lock();
        try {
            // As libzmq: once disconnect() returns, nothing new is routed to that peer; what is
            // already queued still drains during LINGER.
            for (var pipe : pipes) {
                if (ended.contains(pipe.endpoint())) {
                    pipe.stopTakingOut();
                    pattern.peerGone(pipe);
                }
            }
        } finally {
            unlock();
        }
        long linger = effectiveLinger();
        ended.forEach(s -> s.linger(linger));
    }

    @Override
    public void close() {
        List<Listener> toClose;
        List<Session> toLinger;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            readable.signalAll();
            writable.signalAll();
            notifyWatchers();
            toClose = new ArrayList<>(listeners.values());
            listeners.clear();
            toLinger = new ArrayList<>(sessions);
            resolving.values().forEach(list -> list.forEach(ResolvingConnector::stop));
            if (sessions.isEmpty()) {
                markTerminated();
            }
        } finally {
            unlock();
        }
        for (var l : toClose) {
            l.close();
            emit(SocketEvent.Type.CLOSED, l.endpoint(), null, 0, null);
        }
        monitors.closeAll(lastEndpoint);
        long linger = effectiveLinger();
        for (var s : toLinger) {
            s.linger(linger);
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** LINGER in milliseconds, with -1 (infinite) bounded by the context's maxLinger. */
    public long lingerMillis() {
        return effectiveLinger();
    }

    /** LINGER, with -1 (infinite) bounded by the context's maxLinger. */
    private long effectiveLinger() {
        int linger = options.integer(SocketOption.LINGER);
        return linger < 0 ? context.maxLinger().toMillis() : linger;
    }

    /** Context termination: wake everyone with ETERM and close. */
    public void contextTerminating() {
        lock.lock();
        try {
            readable.signalAll();
            writable.signalAll();
            notifyWatchers();
        } finally {
            unlock();
        }
        close();
    }

    private void markTerminated() {
        terminated.countDown();
        context.forget(this);
    }

    /** Waits until every session of this closed socket has ended; false on timeout. */
    public boolean awaitTerminated(long nanos) throws InterruptedException {
        return terminated.await(nanos, TimeUnit.NANOSECONDS);
    }

    private void checkUsable() {
        if (context.isClosed()) {
            throw new ZmqException(ZmqError.ETERM, "the context was closed; create a new context and socket");
        }
        if (closed) {
            throw new ZmqException(ZmqError.ENOTSOCK, "the " + type + " socket is closed");
        }
    }

    // ---- ZmqSocket: sending ---------------------------------------------------------------------

    @Override
    public void send(Message message) {
        int timeout = options.sndtimeo();
        if (!send(message, timeout)) {
            throw timeoutError("send", timeout, "SNDTIMEO", "no peer has room for the message (high-water mark reached or no peer connected)");
        }
    }

    @Override
    public boolean send(Message message, Duration timeout) {
        return send(message, toMillis(timeout));
    }

    @Override
    public boolean trySend(Message message) {
        return send(message, 0);
    }

    @Override
    public void send(byte[] frame) {
        var state = threadFrames.get();
        if (state.sending.isEmpty()) {
            send(Frames.wrap(new byte[][] {java.util.Objects.requireNonNull(frame, "frame")}));
            return;
        }
        var frames = new byte[state.sending.size() + 1][];
        for (int i = 0; i < state.sending.size(); i++) {
            frames[i] = state.sending.get(i);
        }
        frames[frames.length - 1] = java.util.Objects.requireNonNull(frame, "frame");
        send(Frames.wrap(frames));
        // Only a message actually queued clears the parts, so a timed-out last frame can be retried.
        state.sending.clear();
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
        threadFrames.get().sending.add(java.util.Objects.requireNonNull(frame, "frame"));
    }

    @Override
    public void sendMore(String frame) {
        sendMore(frame.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends, waiting up to {@code timeoutMillis} (-1 forever, 0 not at all); false if it timed out. */
    private boolean send(Message message, long timeoutMillis) {
        java.util.Objects.requireNonNull(message, "message");
        lock.lock();
        try {
            checkUsable();
            if (patternSend(message)) {
                countSent(message);
                return true;
            }
            if (timeoutMillis == 0) {
                return false;
            }
            long nanos = timeoutMillis < 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                nanos = await(writable, nanos);
                checkUsable();
                if (patternSend(message)) {
                    countSent(message);
                    return true;
                }
                if (nanos <= 0) {
                    return false;
                }
            }
        } finally {
            unlock();
        }
    }

    private boolean patternSend(Message message) {
        return pattern.trySend(message);
    }

    /**
     * Called by an inproc pipe with the lock held, to wake the peer socket: {@code task} runs on
     * this thread right after it released this socket's lock (or at once if it does not hold it),
     * so a send or receive wakes the other socket without an I/O-thread hop, while no thread ever
     * holds two sockets' locks (two sockets sending to each other cannot deadlock).
     */
    @Override
    public void runAfterUnlock(Runnable task) {
        if (lock.isHeldByCurrentThread()) {
            afterUnlock.add(task);
        } else {
            task.run();
        }
    }

    /** Releases the lock; the last release runs what {@link #runAfterUnlock} collected (without allocating for one task). */
    private void unlock() {
        if (afterUnlock.isEmpty() || lock.getHoldCount() > 1) {
            lock.unlock();
            return;
        }
        runCollected();
    }

    /** Lock held once: releases it, runs the collected tasks, and leaves the lock released. */
    private void runCollected() {
        int n = afterUnlock.size();
        Runnable single = n == 1 ? afterUnlock.get(0) : null;
        Runnable[] several = n > 1 ? afterUnlock.toArray(new Runnable[0]) : null;
        afterUnlock.clear();
        lock.unlock();
        if (single != null) {
            single.run();
        } else {
            for (var task : several) {
                task.run();
            }
        }
    }

    // ---- ZmqSocket: receiving -----------------------------------------------------------------

    @Override
    public Message recv() {
        int timeout = options.rcvtimeo();
        var m = recv(timeout);
        if (m == null) {
            throw timeoutError("receive", timeout, "RCVTIMEO", "no message arrived");
        }
        return m;
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
        var state = threadFrames.get();
        if (state.receiving == null) {
            var m = recv();
            if (m.size() == 1) {
                return m.frame(0);
            }
            state.receiving = m;
            state.next = 0;
        }
        var frame = state.receiving.frame(state.next++);
        if (state.next == state.receiving.size()) {
            state.receiving = null;
        }
        return frame;
    }

    @Override
    public String recvString() {
        return new String(recvFrame(), StandardCharsets.UTF_8);
    }

    @Override
    public boolean hasMore() {
        return threadFrames.get().receiving != null;
    }

    private Message recv(long timeoutMillis) {
        lock.lock();
        try {
            checkUsable();
            var m = pattern.tryRecv();
            if (!departed.isEmpty()) {
                reapDeparted();
            }
            if (m != null) {
                countReceived(m);
                return m;
            }
            if (timeoutMillis == 0) {
                return null;
            }
            long nanos = timeoutMillis < 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                nanos = await(readable, nanos);
                checkUsable();
                m = pattern.tryRecv();
                if (!departed.isEmpty()) {
                    reapDeparted();
                }
                if (m != null) {
                    countReceived(m);
                    return m;
                }
                if (nanos <= 0) {
                    return null;
                }
            }
        } finally {
            unlock();
        }
    }

    /** Lock held. */
    private void countSent(Message message) {
        messagesSent++;
        bytesSent += message.byteSize();
    }

    /** Lock held. */
    private void countReceived(Message message) {
        messagesReceived++;
        bytesReceived += message.byteSize();
    }

    @Override
    public dev.zmq.SocketStatistics statistics() {
        lock.lock();
        try {
            int connected = 0;
            long queued = 0;
            // A closed socket has no peers and nothing queued, as far as its application is concerned.
            for (var pipe : closed ? java.util.Set.<Pipe>of() : pipes) {
                if (pipe.isConnected()) {
                    connected++;
                }
                queued += pipe.outboundSize();
            }
            return new dev.zmq.SocketStatistics(messagesSent, bytesSent, messagesReceived, bytesReceived,
                    drops.outbound(), drops.inbound(), queued, connected, handshakeFailures.sum(), connectRetries.sum(),
                    disconnects.sum(), internalErrors.sum(), ioThreadFailures.sum(), resolvedAddresses(), multicastStatistics());
        } finally {
            unlock();
        }
    }

    /** Lock held: the counters of the epgm sessions, live and ended. */
    private dev.zmq.MulticastStatistics multicastStatistics() {
        var total = endedMulticast;
        for (var session : sessions) {
            var m = session.multicastStatistics();
            if (m != dev.zmq.MulticastStatistics.NONE) { // only epgm sessions have any
                total = total.plus(m);
            }
        }
        return total;
    }

    /** Waits on {@code condition}; returns the nanoseconds left (Long.MAX_VALUE stays "forever"). */
    private long await(Condition condition, long nanos) {
        if (!afterUnlock.isEmpty() && lock.getHoldCount() == 1) {
            // Wake-ups of inproc peers collected before this wait must not wait with us (the peer
            // could be waiting for exactly that one): run them first, then let the caller look again.
            runCollected();
            lock.lock();
            return nanos;
        }
        try {
            if (nanos == Long.MAX_VALUE) {
                condition.await();
                return Long.MAX_VALUE;
            }
            return condition.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZmqException(ZmqError.EINTR, "interrupted while waiting on the " + type + " socket", e);
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
        java.util.Objects.requireNonNull(group, "group");
        lock.lock();
        try {
            checkUsable();
            pattern.group(group, join);
        } finally {
            unlock();
        }
    }

    private void subscription(byte[] prefix, boolean add) {
        java.util.Objects.requireNonNull(prefix, "prefix");
        lock.lock();
        try {
            checkUsable();
            pattern.subscription(prefix.clone(), add);
        } finally {
            unlock();
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
            lock.lock();
            try {
                return option.type().cast(lastEndpoint);
            } finally {
                unlock();
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

    // ---- for sessions and engines -------------------------------------------------------------

    /** An I/O thread for a new connection, among those AFFINITY allows. */
    public IoThread nextIoThread() {
        return context.nextIoThread(options.get(SocketOption.AFFINITY));
    }

    /**
     * CONNECT_ROUTING_ID, which applies to the next connect only (libzmq clears it there), or null.
     * Types that do not take the option never have it set.
     */
    private byte[] takeConnectRoutingId() {
        var id = options.get(SocketOption.CONNECT_ROUTING_ID);
        if (id.length == 0) {
            return null;
        }
        options.set(SocketOption.CONNECT_ROUTING_ID, new byte[0]);
        return id;
    }

    /** Registers a session created by a listener; false if the socket is already closed. */
    public boolean addSession(Session session) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            sessions.add(session);
            return true;
        } finally {
            unlock();
        }
    }

    /** A session ended; the last one to end after close completes the socket's termination. */
    public void sessionEnded(Session session) {
        lock.lock();
        try {
            if (sessions.remove(session)) {
                var m = session.multicastStatistics();
                if (m != dev.zmq.MulticastStatistics.NONE) { // only epgm sessions have any
                    endedMulticast = endedMulticast.plus(m);
                }
            }
            if (!connections.isEmpty()) {
                connections.values().forEach(list -> list.remove(session));
                connections.values().removeIf(List::isEmpty);
            }
            if (!resolving.isEmpty() && session instanceof ConnectingSession cs && cs.address() != null) {
                for (var list : resolving.values()) {
                    for (var c : list) {
                        c.retiring().remove(cs);
                        c.live().remove(cs.address(), cs); // ended on its own: the next lookup connects again
                    }
                }
            }
            if (closed && sessions.isEmpty()) {
                markTerminated();
            }
        } finally {
            unlock();
        }
    }

    /** A connection for this socket, with the mechanism and metadata its options say. */
    public Engine newEngine(IoThread io, SocketChannel channel, ZmtpEngine.Owner owner, String endpoint, String peerAddress) {
        if (type == SocketType.STREAM) {
            return new RawEngine(io, channel, owner, this, this, endpoint, peerAddress, options.flag(SocketOption.STREAM_NOTIFY));
        }
        return new ZmtpEngine(io, channel, owner, this, this, endpoint, peerAddress, EngineSettings.of(type, options, context.zap()));
    }

    /** Starts a connection's handshake. Call on its I/O thread. */
    public void startEngine(Engine engine) {
        engine.start(options.get(SocketOption.ROUTING_ID));
    }

    /**
     * Creates a pipe for a peer and gives it to the pattern. {@code peerType} is null for a pipe
     * created before its connection exists. Returns null if the pattern refuses the peer.
     */
    public Pipe attachPipe(PipeEndpoint endpoint, SocketType peerType, byte[] identity) {
        return attach(new Pipe(options.sndhwm(), options.rcvhwm(), options.flag(SocketOption.CONFLATE), endpoint, this, drops),
                peerType, identity);
    }

    private Pipe attach(Pipe pipe, SocketType peerType, byte[] identity) {
        pipe.setPeerType(peerType);
        pipe.setRoutingId(identity);
        pipe.setConnected(peerType != null);
        lock.lock();
        try {
            if (closed || !pattern.attach(pipe)) {
                return null;
            }
            pipes.add(pipe);
            signalWaiters();
            return pipe;
        } finally {
            unlock();
        }
    }

    /**
     * inproc: creates this side's pipe and gives it to the pattern, with queues of its own
     * ({@code first} null) or over the queues of the other socket's pipe {@code first}. Null if
     * the pattern refuses the peer.
     */
    public Pipe attachInprocPipe(PipeEndpoint endpoint, SocketType peerType, byte[] identity, Pipe first) {
        boolean conflate = options.flag(SocketOption.CONFLATE);
        var pipe = first == null ? Pipe.inproc(options.sndhwm(), options.rcvhwm(), conflate, endpoint, this, drops)
                : Pipe.mateOf(first, options.sndhwm(), options.rcvhwm(), endpoint, this, drops);
        return attach(pipe, peerType, identity);
    }

    /** inproc: our pipe {@code ours} learns the other socket's pipe over its queues (see {@link Pipe#linkMate}). */
    public void linkInproc(Pipe ours, Pipe theirs) {
        lock.lock();
        try {
            ours.linkMate(theirs);
            signalWaiters();
        } finally {
            unlock();
        }
    }

    /** Tells the pattern who is on the other end of a pipe created before its connection. */
    public boolean identifyPipe(Pipe pipe, SocketType peerType, byte[] identity) {
        lock.lock();
        try {
            pipe.setPeerType(peerType);
            pipe.setRoutingId(identity);
            pipe.setConnected(true);
            boolean accepted = pattern.identified(pipe);
            if (accepted) {
                signalWaiters();
            }
            return accepted;
        } finally {
            unlock();
        }
    }

    /** Takes a pipe away from the pattern and drops what it holds. */
    public void detachPipe(Pipe pipe) {
        lock.lock();
        try {
            if (!pipe.isDetached()) {
                pattern.detach(pipe);
                pipe.markDetached();
            }
            pipes.remove(pipe);
            departed.remove(pipe);
            pipe.clear();
            signalWaiters();
        } finally {
            unlock();
        }
    }

    /**
     * The peer of {@code pipe} left. As libzmq, what it sent before leaving is still delivered:
     * the pipe stops taking messages but stays readable until drained, then is detached.
     */
    public void peerGone(Pipe pipe) {
        lock.lock();
        try {
            if (pipe.isDetached()) {
                return;
            }
            pipe.clearOutbound();
            pipe.markPeerGone();
            if (pipe.hasIn()) {
                pattern.peerGone(pipe);
                departed.add(pipe);
            } else {
                pattern.detach(pipe);
                pipe.markDetached();
                pipes.remove(pipe);
            }
            signalWaiters();
        } finally {
            unlock();
        }
    }

    /** Detaches departed pipes that have been read empty. Lock held. */
    private void reapDeparted() {
        for (int i = departed.size() - 1; i >= 0; i--) {
            var p = departed.get(i);
            if (!p.hasIn()) {
                departed.remove(i);
                pattern.detach(p);
                p.markDetached();
                pipes.remove(p);
            }
        }
    }

    /** A pipe that outlives its connection lost it (the session will reconnect). */
    public void pipeDisconnected(Pipe pipe) {
        lock.lock();
        try {
            pipe.setConnected(false);
        } finally {
            unlock();
        }
    }

    /** A connection dropped {@code count} messages it had taken from a pipe (a datagram the network refused). */
    public void countDroppedOut(int count) {
        lock.lock();
        try {
            drops.droppedOut(count);
        } finally {
            unlock();
        }
    }

    /** A connection discarded {@code count} messages that arrived malformed (a datagram that breaks the format). */
    public void countDiscardedIn(int count) {
        lock.lock();
        try {
            drops.discardedIn(count);
        } finally {
            unlock();
        }
    }

    /**
     * The connection side's delivery: lock-free; the socket's lock is taken only when the pipe
     * says its reader was asleep ({@link #inboundArrived}).
     */
    @Override
    public boolean deliver(Pipe pipe, ArrayList<Message> batch) {
        return pipe.pushIn(batch);
    }

    /** The connection side's take: lock-free; a waiting sender is woken through {@link #outboundRoom}. */
    @Override
    public void drain(Pipe pipe, ArrayDeque<Message> into, int max) {
        pipe.drainOut(into, max);
    }

    @Override
    public void inboundArrived(Pipe pipe) {
        lock.lock();
        try {
            if (!pipe.isDetached()) {
                // PUB/XPUB take subscriptions here; the pipe asks again once they found it empty.
                pattern.pipeReadable(pipe);
            }
            if (lock.hasWaiters(readable)) {
                readable.signalAll();
            }
            notifyWatchers();
        } finally {
            unlock();
        }
    }

    @Override
    public void outboundRoom(Pipe pipe) {
        lock.lock();
        try {
            if (lock.hasWaiters(writable)) {
                writable.signalAll();
            }
            notifyWatchers();
        } finally {
            unlock();
        }
    }

    private void signalWaiters() {
        if (lock.hasWaiters(writable)) {
            writable.signalAll();
        }
        if (lock.hasWaiters(readable)) {
            readable.signalAll();
        }
        notifyWatchers();
    }

    private void notifyWatchers() {
        for (var w : watchers) {
            w.run();
        }
    }

    // ---- monitoring ---------------------------------------------------------------------------

    @Override
    public void emit(SocketEvent.Type type, String endpoint, String peer, long value, String reason) {
        switch (type) {
            case HANDSHAKE_FAILED_NO_DETAIL, HANDSHAKE_FAILED_PROTOCOL, HANDSHAKE_FAILED_AUTH -> handshakeFailures.increment();
            case CONNECT_RETRIED -> connectRetries.increment();
            case DISCONNECTED -> disconnects.increment();
            default -> {
            }
        }
        monitors.emit(type, endpoint, peer, value, reason);
    }

    @Override
    public void internalError(Throwable t) {
        internalErrors.increment();
    }

    /** An I/O thread of the context stopped for good: counted and told to the monitors. */
    public void ioThreadFailed(String thread, Throwable cause) {
        ioThreadFailures.increment();
        monitors.emit(SocketEvent.Type.IO_THREAD_FAILED, null, null, 0, "I/O thread " + thread + " stopped: " + cause);
    }

    @Override
    public AutoCloseable monitor(java.util.Set<SocketEvent.Type> types, java.util.function.Consumer<SocketEvent> listener) {
        java.util.Objects.requireNonNull(types, "types");
        java.util.Objects.requireNonNull(listener, "listener");
        checkUsable();
        return monitors.add(types, listener);
    }

    @Override
    public void monitor(String endpoint, int eventMask) {
        checkUsable();
        AutoCloseable previous;
        synchronized (monitors) {
            previous = wireMonitorHandle;
            wireMonitorHandle = null;
            wireMonitor = null;
        }
        if (previous != null) {
            closeQuietly(previous);
        }
        if (endpoint == null) {
            return;
        }
        var parsed = Endpoint.parse(endpoint);
        if (!parsed.isInproc()) {
            throw new ZmqException(ZmqError.EPROTONOSUPPORT, "a monitor endpoint must be inproc://, got '" + endpoint + "'");
        }
        var pair = (SocketCore) context.createSocket(SocketType.PAIR);
        try {
            pair.bind(endpoint);
        } catch (ZmqException e) {
            pair.close();
            throw e;
        }
        var types = SocketEvent.Type.fromMask(eventMask);
        // libzmq's format has 16 bits for the event code: events above them are not carried.
        types.removeIf(t -> t.code() > 0xFFFF);
        var handle = monitors.add(java.util.EnumSet.allOf(SocketEvent.Type.class), event -> {
            if (types.contains(event.type())) {
                pair.trySend(dev.zmq.internal.monitor.MonitorWire.encode(event));
            }
            if (event.type() == SocketEvent.Type.MONITOR_STOPPED) {
                pair.close();
            }
        });
        synchronized (monitors) {
            wireMonitor = pair;
            wireMonitorHandle = handle;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // a monitor handle does not fail
        }
    }

    // ---- polling ------------------------------------------------------------------------------

    /** Bit for "a receive would succeed now". */
    public static final int POLLIN = 1;
    /** Bit for "a send would succeed now". */
    public static final int POLLOUT = 2;

    /** What the socket could do now: {@link #POLLIN} and/or {@link #POLLOUT}. */
    public int pollEvents() {
        lock.lock();
        try {
            checkUsable();
            if (!departed.isEmpty()) {
                reapDeparted();
            }
            return (pattern.hasIn() ? POLLIN : 0) | (pattern.hasOut() ? POLLOUT : 0);
        } finally {
            unlock();
        }
    }

    /** Runs {@code watcher} (quickly, never blocking) whenever readiness may have changed. */
    public void addWatcher(Runnable watcher) {
        watchers.add(watcher);
    }

    public void removeWatcher(Runnable watcher) {
        watchers.remove(watcher);
    }

    /** For the context: sessions and listeners to tear down at forced termination. */
    public void forEachSession(java.util.function.Consumer<Session> action) {
        List<Session> copy;
        lock.lock();
        try {
            copy = new ArrayList<>(sessions);
        } finally {
            unlock();
        }
        copy.forEach(action);
    }
}
