package dev.zmq.internal.transport;

import dev.zmq.ZmqException;
import dev.zmq.internal.io.IoHandler;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.session.Dialer;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * Non-blocking stream connects (tcp, ipc); the target is resolved again on every attempt, as libzmq does.
 *
 * <p>An attempt is made often while a peer is away (every RECONNECT_IVL per socket), so it costs
 * little more than the channel: the pending-connect handler and its timer are reused, and the
 * peer's text is made again only when the address changes.
 *
 * <p>A refused connect is learnt without {@link SocketChannel#finishConnect}, which reports it only
 * by throwing a {@link java.net.ConnectException} made in native code with its stack trace (a fifth
 * of a storm's CPU; NIO cannot read SO_ERROR as libzmq does). The pending connect is registered
 * for OP_READ too: a channel that is not connected yet is never readable, so OP_READ in the ready
 * set means what {@link SelectionKey#OP_READ} documents for that case, an error pending. Then the
 * channel is closed without asking (unless DEBUG logging wants the kernel's reason). A connect
 * that succeeded becomes ready for OP_CONNECT alone, even when the peer has written already.
 */
public final class StreamDialer implements Dialer {

    /** Where and how to connect. */
    public interface Target {
        /** The address to connect to now (resolving names again). */
        SocketAddress resolve();

        /** A new unconnected channel for {@code address}, with the options that must precede the connect applied. */
        SocketChannel open(SocketAddress address) throws IOException;

        /**
         * The connection is up: applies the options libzmq sets once connected (tune_tcp_socket:
         * TCP_NODELAY, keepalives), so a refused attempt does not pay for them.
         */
        default void connected(SocketChannel channel) throws IOException {
        }

        /** CONNECT_TIMEOUT: how long, in ms, a connect may take before it is abandoned; 0 for no limit. */
        default int connectTimeoutMillis() {
            return 0;
        }

        /** The address as an endpoint string. */
        String format(SocketAddress address);
    }

    private static final System.Logger LOG = System.getLogger(StreamDialer.class.getName());
    private static final Attempt DONE = () -> { };
    private static final String ERROR_PENDING = "connection refused, reset or unreachable (DEBUG logging of "
            + StreamDialer.class.getName() + " tells which)";

    private final String endpoint;
    private final Target target;
    /** The last address connected to and its text (usually the same every attempt). */
    private SocketAddress lastAddress;
    private String lastPeer;
    /** Reused by every attempt that has to wait for the connect; at most one attempt is under way. */
    private PendingConnect pending;

    public StreamDialer(String endpoint, Target target) {
        this.endpoint = endpoint;
        this.target = target;
    }

    @Override
    public Attempt dial(IoThread io, Callback callback) {
        SocketChannel channel = null;
        String peer = endpoint;
        try {
            var address = target.resolve();
            peer = peer(address);
            channel = target.open(address);
            channel.configureBlocking(false);
            if (channel.connect(address)) {
                connected(channel, peer, callback);
                return DONE;
            }
            if (pending == null || pending.pending()) {
                pending = new PendingConnect(io);
            }
            pending.begin(channel, callback, peer);
            return pending;
        } catch (IOException | ZmqException | IllegalStateException e) {
            closeQuietly(channel);
            callback.failed(peer, String.valueOf(e.getMessage()));
            return DONE;
        }
    }

    private String peer(SocketAddress address) {
        if (!address.equals(lastAddress)) {
            lastPeer = target.format(address);
            lastAddress = address;
        }
        return lastPeer;
    }

    /** Applies the connected-socket options, then hands the channel over (or reports why not). */
    private void connected(SocketChannel channel, String peer, Callback callback) {
        try {
            target.connected(channel);
        } catch (IOException e) {
            // As libzmq: a socket that cannot be tuned is closed and the connect retried.
            closeQuietly(channel);
            callback.failed(peer, "cannot set its options: " + e.getMessage());
            return;
        }
        callback.connected(channel, peer);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** A connect waiting for the selector; reused by the dialer's later attempts once done. */
    private final class PendingConnect implements IoHandler, Attempt, Runnable {
        private final IoThread io;
        private final IoThread.Timer timer;
        private SocketChannel channel;
        private Callback callback;
        private String peer;
        private SelectionKey key;
        private int timeoutMillis;
        private boolean done = true;

        PendingConnect(IoThread io) {
            this.io = io;
            this.timer = io.timer(this); // run(): no method reference spun at the first connect
        }

        void begin(SocketChannel channel, Callback callback, String peer) throws IOException {
            key = io.register(channel, SelectionKey.OP_CONNECT | SelectionKey.OP_READ, this);
            this.channel = channel;
            this.callback = callback;
            this.peer = peer;
            done = false;
            timeoutMillis = target.connectTimeoutMillis();
            if (timeoutMillis > 0) {
                timer.start(timeoutMillis);
            }
        }

        @Override
        public void onReady(SelectionKey k) {
            if (done) {
                return;
            }
            var ch = channel;
            if ((k.readyOps() & SelectionKey.OP_READ) != 0 && !LOG.isLoggable(System.Logger.Level.DEBUG)) {
                // An error is pending (see the class comment): refused, reset or unreachable.
                var c = finish();
                k.cancel();
                closeQuietly(ch);
                c.failed(peer, ERROR_PENDING);
                return;
            }
            boolean up;
            try {
                up = ch.finishConnect();
            } catch (IOException e) {
                var c = finish();
                k.cancel();
                closeQuietly(ch);
                c.failed(peer, String.valueOf(e.getMessage()));
                return;
            }
            if (up) {
                var c = finish();
                // The key stays registered: the connection's engine takes it over.
                k.interestOps(0);
                connected(ch, peer, c);
            }
        }

        /** CONNECT_TIMEOUT expired: abandon this attempt; the session retries after RECONNECT_IVL. */
        @Override
        public void run() {
            if (done) {
                return;
            }
            var ch = channel;
            var k = key;
            var c = finish();
            k.cancel();
            closeQuietly(ch);
            c.failed(peer, "timed out after " + timeoutMillis + " ms (CONNECT_TIMEOUT)");
        }

        /** Ends the attempt: returns its callback and lets go of what it held (this handler is reused). */
        private Callback finish() {
            done = true;
            timer.cancel();
            var c = callback;
            callback = null;
            channel = null;
            key = null;
            return c;
        }

        @Override
        public void onShutdown() {
            cancel();
        }

        @Override
        public boolean pending() {
            return !done;
        }

        @Override
        public void cancel() {
            if (done) {
                return;
            }
            var ch = channel;
            var k = key;
            finish();
            k.cancel();
            closeQuietly(ch);
        }
    }
}
