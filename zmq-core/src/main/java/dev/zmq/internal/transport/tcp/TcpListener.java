package dev.zmq.internal.transport.tcp;

import dev.zmq.SocketOption;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.io.IoHandler;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.session.AcceptedSession;
import dev.zmq.internal.socket.SocketCore;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bound {@code tcp://} endpoint: accepts connections and gives each its own session, spread
 * over the context's I/O threads.
 */
public final class TcpListener implements IoHandler {
    private static final System.Logger LOG = System.getLogger(TcpListener.class.getName());

    private final SocketCore socket;
    private final IoThread io;
    private final ServerSocketChannel server;
    private final String endpoint;
    private final Set<AcceptedSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TcpListener(SocketCore socket, IoThread io, ServerSocketChannel server, String endpoint) {
        this.socket = socket;
        this.io = io;
        this.server = server;
        this.endpoint = endpoint;
    }

    /** Binds synchronously, so address errors reach the caller of bind(). */
    public static TcpListener bind(SocketCore socket, IoThread io, TcpAddress address) {
        var options = socket.options();
        InetSocketAddress local = address.resolve(options.flag(SocketOption.IPV6));
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            // As libzmq: allow quick rebinds after a restart (TIME_WAIT), never two live binds.
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            int rcvbuf = options.integer(SocketOption.RCVBUF);
            if (rcvbuf >= 0) {
                server.setOption(StandardSocketOptions.SO_RCVBUF, rcvbuf);
            }
            server.bind(local, options.integer(SocketOption.BACKLOG));
            server.configureBlocking(false);
            var bound = (InetSocketAddress) server.getLocalAddress();
            return new TcpListener(socket, io, server, TcpAddress.format(bound));
        } catch (BindException e) {
            closeQuietly(server);
            var msg = String.valueOf(e.getMessage());
            if (msg.contains("in use")) {
                throw new ZmqException(ZmqError.EADDRINUSE, "cannot bind " + address.endpoint()
                        + ": address already in use (another socket or process is bound to it)", e);
            }
            throw new ZmqException(ZmqError.EADDRNOTAVAIL, "cannot bind " + address.endpoint() + ": " + msg, e);
        } catch (IOException e) {
            closeQuietly(server);
            throw new ZmqException(ZmqError.EADDRNOTAVAIL, "cannot bind " + address.endpoint() + ": " + e.getMessage(), e);
        }
    }

    /** The bound endpoint with the real port, e.g. {@code tcp://127.0.0.1:40123}. */
    public String endpoint() {
        return endpoint;
    }

    /** Starts accepting. Safe from any thread. */
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
        for (int i = 0; i < 64 && !closed; i++) {
            java.nio.channels.SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "accept on " + endpoint + " failed: " + e.getMessage());
                return;
            }
            if (channel == null) {
                return;
            }
            String peer;
            try {
                TcpTuning.apply(channel, socket.options());
                peer = TcpAddress.format((InetSocketAddress) channel.getRemoteAddress());
            } catch (IOException e) {
                closeQuietly(channel);
                continue;
            }
            var sessionIo = socket.nextIoThread();
            var session = new AcceptedSession(socket, sessionIo, sessions::remove);
            if (!socket.addSession(session)) {
                closeQuietly(channel);
                return;
            }
            sessions.add(session);
            var ch = channel;
            sessionIo.execute(() -> {
                try {
                    ch.configureBlocking(false);
                } catch (IOException e) {
                    session.terminate();
                    closeQuietly(ch);
                    return;
                }
                session.start(ch, peer);
            });
        }
    }

    @Override
    public void onShutdown() {
        closeNow();
    }

    /**
     * Stops accepting and closes the connections accepted here. Safe from any thread; returns once
     * the port is released, so the endpoint can be bound again at once.
     */
    public void close() {
        closed = true;
        var released = new java.util.concurrent.CompletableFuture<Void>();
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
                released.get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "closing " + endpoint + " took too long");
            }
        }
    }

    private void closeNow() {
        closed = true;
        closeQuietly(server);
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
