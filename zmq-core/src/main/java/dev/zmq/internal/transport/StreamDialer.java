package dev.zmq.internal.transport;

import dev.zmq.ZmqException;
import dev.zmq.internal.io.IoHandler;
import dev.zmq.internal.io.IoThread;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** Non-blocking stream connects (tcp, ipc); the target is resolved again on every attempt, as libzmq does. */
public final class StreamDialer implements Dialer {

    /** Where and how to connect. */
    public interface Target {
        /** The address to connect to now (resolving names again). */
        SocketAddress resolve();

        /** A new unconnected channel for {@code address}, with the socket's options applied. */
        SocketChannel open(SocketAddress address) throws IOException;

        /** CONNECT_TIMEOUT: how long, in ms, a connect may take before it is abandoned; 0 for no limit. */
        default int connectTimeoutMillis() {
            return 0;
        }

        /** The address as an endpoint string. */
        String format(SocketAddress address);
    }

    private final String endpoint;
    private final Target target;

    public StreamDialer(String endpoint, Target target) {
        this.endpoint = endpoint;
        this.target = target;
    }

    @Override
    public Attempt dial(IoThread io, Callback callback) {
        SocketChannel channel = null;
        try {
            var address = target.resolve();
            channel = target.open(address);
            channel.configureBlocking(false);
            if (channel.connect(address)) {
                callback.connected(channel, target.format(address));
                return () -> { };
            }
            var pending = new PendingConnect(channel, callback, target.format(address));
            pending.key = io.register(channel, SelectionKey.OP_CONNECT, pending);
            int timeout = target.connectTimeoutMillis();
            if (timeout > 0) {
                pending.timer = io.schedule(timeout, () -> pending.timedOut(timeout));
            }
            return pending;
        } catch (IOException | ZmqException | IllegalStateException e) {
            closeQuietly(channel);
            callback.failed("connect to " + endpoint + " failed: " + e.getMessage());
            return () -> { };
        }
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

    private static final class PendingConnect implements IoHandler, Attempt {
        private final SocketChannel channel;
        private final Callback callback;
        private final String peer;
        private SelectionKey key;
        private IoThread.Timer timer;
        private boolean done;

        PendingConnect(SocketChannel channel, Callback callback, String peer) {
            this.channel = channel;
            this.callback = callback;
            this.peer = peer;
        }

        @Override
        public void onReady(SelectionKey k) {
            if (done) {
                return;
            }
            done = true;
            k.interestOps(0);
            cancelTimer();
            try {
                if (channel.finishConnect()) {
                    // The key stays registered: the connection's engine takes it over.
                    callback.connected(channel, peer);
                    return;
                }
                done = false;
                k.interestOps(SelectionKey.OP_CONNECT);
            } catch (IOException e) {
                k.cancel();
                closeQuietly(channel);
                callback.failed("connect to " + peer + " failed: " + e.getMessage());
            }
        }

        /** CONNECT_TIMEOUT expired: abandon this attempt; the session retries after RECONNECT_IVL. */
        void timedOut(int timeoutMillis) {
            if (done) {
                return;
            }
            cancel();
            callback.failed("connect to " + peer + " timed out after " + timeoutMillis + " ms (CONNECT_TIMEOUT)");
        }

        private void cancelTimer() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
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
            done = true;
            cancelTimer();
            if (key != null) {
                key.cancel();
            }
            closeQuietly(channel);
        }
    }
}
