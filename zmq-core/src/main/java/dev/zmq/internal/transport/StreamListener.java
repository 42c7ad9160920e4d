package dev.zmq.internal.transport;

import dev.zmq.internal.io.IoHandler;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.session.AcceptedSession;
import dev.zmq.internal.session.SessionHost;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A bound stream endpoint (tcp or ipc): accepts connections and gives each its own session,
 * spread over the context's I/O threads.
 */
public final class StreamListener implements Listener, IoHandler {
    private static final System.Logger LOG = System.getLogger(StreamListener.class.getName());

    private final SessionHost socket;
    private final IoThread io;
    private final ServerSocketChannel server;
    private final String endpoint;
    private final StreamTransport.AcceptedSetup setup;
    private final Set<AcceptedSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** The pause after a failed accept: doubles while accepts keep failing, back to the start after one succeeds. */
    private long acceptBackoffMillis = ACCEPT_BACKOFF_START_MILLIS;
    private IoThread.Timer acceptResume;
    private SelectionKey acceptKey;
    /** Why reporting the last accept failure failed, if it did (for tests and debuggers). */
    volatile Throwable lastReportFailure;
    static final long ACCEPT_BACKOFF_START_MILLIS = 100;
    static final long ACCEPT_BACKOFF_MAX_MILLIS = 1000;

    public StreamListener(SessionHost socket, IoThread io, ServerSocketChannel server, String endpoint,
                          StreamTransport.AcceptedSetup setup) {
        this.socket = socket;
        this.io = io;
        this.server = server;
        this.endpoint = endpoint;
        this.setup = setup;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void start() {
        io.execute(() -> {
            if (closed) {
                return;
            }
            try {
                io.register(server, SelectionKey.OP_ACCEPT, this);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot listen on " + endpoint, e);
            }
        });
    }

    @Override
    public void onReady(SelectionKey key) {
        acceptKey = key;
        for (int i = 0; i < 64 && !closed; i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                pauseAccepting(key, e);
                return;
            }
            if (channel == null) {
                return;
            }
            acceptBackoffMillis = ACCEPT_BACKOFF_START_MILLIS;
            String peer;
            try {
                setup.tune(channel);
                peer = setup.peerAddress(channel);
            } catch (IOException e) {
                closeQuietly(channel);
                continue;
            }
            var sessionIo = socket.nextIoThread();
            socket.emit(dev.zmq.SocketEvent.Type.ACCEPTED, endpoint, peer, 0, null);
            var session = new AcceptedSession(socket, sessionIo, endpoint, sessions);
            if (!socket.addSession(session)) {
                closeQuietly(channel);
                return;
            }
            sessions.add(session);
            session.startOn(channel, peer);
        }
    }

    /**
     * An accept failed (typically EMFILE: no file descriptor left). The pending connection stays in
     * the backlog, so the selector would report it again at once and the thread would spin; instead
     * accepting pauses for a while (100 ms doubling up to 1 s), once reported as ACCEPT_FAILED. libzmq
     * retries at once (a busy loop until a descriptor is free); this deliberately does not.
     */
    private void pauseAccepting(SelectionKey key, IOException e) {
        long pause = acceptBackoffMillis;
        acceptBackoffMillis = Math.min(acceptBackoffMillis * 2, ACCEPT_BACKOFF_MAX_MILLIS);
        // The pause first: at the descriptor limit reporting itself may fail, the pause must not.
        if (key != null && key.isValid()) {
            key.interestOps(0);
            if (acceptResume == null) {
                acceptResume = io.schedule(pause, () -> {
                    acceptResume = null;
                    if (!closed && key.isValid()) {
                        key.interestOps(SelectionKey.OP_ACCEPT);
                    }
                });
            }
        }
        // The event before the log, each on its own: at the descriptor limit logging itself can fail for
        // good (java.util.logging's SimpleFormatter needs the default time zone, whose first use opens
        // lib/tzdb.dat: with no descriptor left that class's initialisation fails and every later log
        // record throws NoClassDefFoundError), and the application must still be told.
        try {
            socket.emit(dev.zmq.SocketEvent.Type.ACCEPT_FAILED, endpoint, null, 0,
                    e.getMessage() + " (accepting again in " + pause + " ms)");
        } catch (RuntimeException | Error reportFailed) {
            lastReportFailure = reportFailed;
        }
        try {
            LOG.log(System.Logger.Level.WARNING, () -> "accept on " + endpoint + " failed (" + e.getMessage()
                    + "); accepting again in " + pause + " ms");
        } catch (RuntimeException | Error logFailed) {
            lastReportFailure = logFailed;
        }
    }

    /**
     * Accepting failed in an unexpected way (out of memory, say): the listener stays, accepting
     * pauses as after a failed accept.
     */
    @Override
    public boolean onFailure(Throwable t) {
        if (closed || !server.isOpen()) {
            return false;
        }
        pauseAccepting(acceptKey, new IOException(t.toString(), t));
        return true;
    }

    @Override
    public void onShutdown() {
        closeNow();
    }

    /**
     * Stops accepting and closes the connections accepted here. Safe from any thread; returns once
     * the port is released, so the endpoint can be bound again at once.
     */
    @Override
    public void close() {
        closed = true;
        var released = new CompletableFuture<Void>();
        io.execute(() -> {
            closeNow();
            io.flushCancelledKeys();
            released.complete(null);
        });
        for (var s : sessions) {
            s.linger(0);
        }
        if (!io.inThread()) {
            try {
                released.get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "closing " + endpoint + " took too long");
            }
        }
    }

    private void closeNow() {
        if (acceptResume != null) {
            acceptResume.cancel();
            acceptResume = null;
        }
        boolean wasOpen = server.isOpen();
        closed = true;
        closeQuietly(server);
        if (wasOpen) {
            setup.released();
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
