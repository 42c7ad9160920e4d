package dev.zmq.internal.context;

import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.monitor.MonitorDispatcher;
import dev.zmq.internal.socket.SocketContext;
import dev.zmq.internal.socket.SocketCore;
import dev.zmq.internal.transport.Transports;
import dev.zmq.internal.transport.inproc.InprocRegistry;
import dev.zmq.internal.transport.ipc.IpcTransport;
import dev.zmq.internal.transport.pgm.EpgmTransport;
import dev.zmq.internal.transport.tcp.TcpTransport;
import dev.zmq.internal.transport.udp.UdpTransport;
import dev.zmq.internal.wire.mechanism.ZapRequester;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** The context's machinery: I/O threads, the sockets it created, and bounded termination. */
public final class ContextCore implements SocketContext, ZapRequester {
    private static final System.Logger LOG = System.getLogger(ContextCore.class.getName());
    private static final AtomicInteger CONTEXTS = new AtomicInteger();
    /** Extra time after the longest linger for sessions to finish closing. */
    private static final long GRACE_MILLIS = 1000;

    private final IoThread[] ioThreads;
    private final Duration maxLinger;
    private final Duration ioBusyPoll;
    private final AtomicInteger nextThread = new AtomicInteger();
    private final Set<SocketCore> sockets = ConcurrentHashMap.newKeySet();
    private final InprocRegistry inproc = new InprocRegistry(this::nextIoThread);
    /** The transports sockets of this context use, by scheme (in the order error messages list them). */
    private final Transports transports = new Transports()
            .add(TcpTransport.INSTANCE)
            .add(IpcTransport.INSTANCE)
            .add(inproc)
            .add(new EpgmTransport(this::nextIoThread))
            .add(UdpTransport.INSTANCE)
            .refuse("pgm", EpgmTransport::rawPgmRefused);
    private final MonitorDispatcher monitorDispatcher;
    private volatile dev.zmq.internal.zap.ZapClient zap;
    private final Object closeLock = new Object();
    private volatile boolean closed;
    private boolean closeDone;

    /** I/O threads that stopped for good, with why. */
    private final java.util.List<String> ioThreadFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final IoThread.FailureListener failureListener = (thread, cause) -> {
        ioThreadFailures.add(thread.name() + ": " + cause);
        for (var s : sockets) {
            s.ioThreadFailed(thread.name(), cause);
        }
    };

    /** Threads for name lookups (CONNECT_ALL_ADDRESSES), made on first use; at most one lookup per endpoint is queued. */
    private java.util.concurrent.ThreadPoolExecutor nameLookups;
    private final int id;

    /** Runs blocking name lookups off the I/O threads: up to 2 threads, which end when idle for 10 s. */
    @Override
    public synchronized java.util.concurrent.Executor nameLookups() {
        if (nameLookups == null) {
            var count = new AtomicInteger();
            nameLookups = new java.util.concurrent.ThreadPoolExecutor(2, 2, 10, TimeUnit.SECONDS,
                    new java.util.concurrent.ArrayBlockingQueue<>(4096), r -> {
                        var t = new Thread(r, "zmq-lookup-" + id + "-" + count.getAndIncrement());
                        t.setDaemon(true);
                        return t;
                    });
            nameLookups.allowCoreThreadTimeOut(true);
        }
        return nameLookups;
    }

    public ContextCore(int ioThreadCount, Duration maxLinger) {
        this(ioThreadCount, maxLinger, Duration.ofNanos(IoThread.DEFAULT_BUSY_POLL_NANOS));
    }

    public ContextCore(int ioThreadCount, Duration maxLinger, Duration ioBusyPoll) {
        this.maxLinger = maxLinger;
        this.ioBusyPoll = ioBusyPoll;
        this.id = CONTEXTS.incrementAndGet();
        this.monitorDispatcher = new MonitorDispatcher("zmq-monitor-" + id);
        this.ioThreads = new IoThread[ioThreadCount];
        for (int i = 0; i < ioThreadCount; i++) {
            ioThreads[i] = new IoThread("zmq-io-" + id + "-" + i, failureListener, ioBusyPoll.toNanos());
        }
    }

    @Override
    public ZmqSocket createSocket(SocketType type) {
        if (type == null) {
            throw new ZmqException(ZmqError.EINVAL, "socket type is null");
        }
        var socket = new SocketCore(this, type);
        sockets.add(socket);
        if (closed) {
            sockets.remove(socket);
            throw new ZmqException(ZmqError.ETERM, "the context was closed; create a new context");
        }
        return socket;
    }

    /** Runs socket monitor listeners. */
    @Override
    public MonitorDispatcher monitorDispatcher() {
        return monitorDispatcher;
    }

    /**
     * The connections' ZAP requester: this context, which hands each question to its ZAP client,
     * made at the first one. Every connection's settings take the requester, and most never ask it
     * (NULL without ZAP_DOMAIN): making the client for them loaded three classes at the first
     * connection, inside a latency tool's window (~1 ms cold).
     */
    @Override
    public ZapRequester zap() {
        return this;
    }

    @Override
    public boolean handlerPresent() {
        return zapClient().handlerPresent();
    }

    @Override
    public Pending request(String domain, String address, byte[] identity, String mechanism, List<byte[]> credentials,
                           Consumer<Outcome> callback) {
        return zapClient().request(domain, address, identity, mechanism, credentials, callback);
    }

    /** The context's ZAP client (created on first use; it opens its socket only when a handler is bound). */
    private dev.zmq.internal.zap.ZapClient zapClient() {
        var z = zap;
        if (z == null) {
            synchronized (this) {
                if (zap == null) {
                    zap = new dev.zmq.internal.zap.ZapClient(new dev.zmq.internal.zap.ZapClient.Host() {
                        @Override
                        public boolean isBound(String inprocName) {
                            return inproc.isBound(inprocName);
                        }

                        @Override
                        public ZmqSocket createSocket(SocketType type) {
                            return ContextCore.this.createSocket(type);
                        }
                    });
                }
                z = zap;
            }
        }
        return z;
    }

    /** The transports of this context's sockets, by scheme. */
    @Override
    public Transports transports() {
        return transports;
    }

    /** The context's inproc names. */
    public InprocRegistry inproc() {
        return inproc;
    }

    /** A closed socket finished lingering: the context no longer waits for it. */
    @Override
    public void forget(SocketCore socket) {
        sockets.remove(socket);
    }

    /** I/O threads are handed out round-robin to new connections and listeners. */
    public IoThread nextIoThread() {
        return ioThreads[Math.floorMod(nextThread.getAndIncrement(), ioThreads.length)];
    }

    /** Each I/O thread that stopped for good on an error, with the error; empty while all serve. */
    public java.util.List<String> ioThreadFailures() {
        return java.util.List.copyOf(ioThreadFailures);
    }

    /**
     * As {@link #nextIoThread()}, among the threads whose bit is set in {@code affinity} (bit 0 is
     * the first thread), as libzmq's ZMQ_AFFINITY; 0, or bits matching no thread, allow them all.
     */
    @Override
    public IoThread nextIoThread(long affinity) {
        int n = ioThreads.length;
        long usable = n >= 64 ? affinity : affinity & ((1L << n) - 1);
        if (usable == 0) {
            return nextIoThread();
        }
        int count = Long.bitCount(usable);
        int pick = Math.floorMod(nextThread.getAndIncrement(), count);
        long bits = usable;
        for (int i = 0; i < pick; i++) {
            bits &= bits - 1; // drop the lowest set bit
        }
        return ioThreads[Long.numberOfTrailingZeros(bits)];
    }

    public int ioThreadCount() {
        return ioThreads.length;
    }

    @Override
    public Duration maxLinger() {
        return maxLinger;
    }

    @Override
    public Duration busyPoll() {
        return ioBusyPoll;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    public void close() {
        synchronized (closeLock) {
            if (closeDone) {
                return;
            }
            closed = true;
            var all = new ArrayList<>(sockets);
            for (var s : all) {
                s.contextTerminating();
            }
            long deadline = System.nanoTime() + maxLinger.toNanos() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
            boolean interrupted = false;
            for (var s : all) {
                try {
                    if (!s.awaitTerminated(Math.max(0, deadline - System.nanoTime()))) {
                        LOG.log(System.Logger.Level.DEBUG, "socket " + s.type() + " did not finish lingering; forcing");
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            monitorDispatcher.stop(1000);
            synchronized (this) {
                if (nameLookups != null) {
                    nameLookups.shutdownNow();
                }
            }
            for (var t : ioThreads) {
                t.stop();
            }
            for (var t : ioThreads) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            sockets.clear();
            closeDone = true;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
