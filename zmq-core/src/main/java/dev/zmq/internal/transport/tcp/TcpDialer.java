package dev.zmq.internal.transport.tcp;

import dev.zmq.SocketOption;
import dev.zmq.ZmqException;
import dev.zmq.internal.io.IoHandler;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.socket.Options;
import dev.zmq.internal.transport.Dialer;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** Non-blocking TCP connects; the address is resolved again on every attempt, as libzmq does. */
public final class TcpDialer implements Dialer {
    private final TcpAddress address;
    private final Options options;

    public TcpDialer(TcpAddress address, Options options) {
        this.address = address;
        this.options = options;
    }

    @Override
    public Attempt dial(IoThread io, Callback callback) {
        SocketChannel channel = null;
        try {
            var target = address.resolve(options.flag(SocketOption.IPV6));
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            TcpTuning.apply(channel, options);
            if (channel.connect(target)) {
                callback.connected(channel, TcpAddress.format(target));
                return () -> { };
            }
            var pending = new PendingConnect(channel, callback, TcpAddress.format(target));
            pending.key = io.register(channel, SelectionKey.OP_CONNECT, pending);
            return pending;
        } catch (IOException | ZmqException | IllegalStateException e) {
            closeQuietly(channel);
            callback.failed("connect to " + address.endpoint() + " failed: " + e.getMessage());
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

        @Override
        public void onShutdown() {
            cancel();
        }

        @Override
        public void cancel() {
            done = true;
            if (key != null) {
                key.cancel();
            }
            closeQuietly(channel);
        }
    }
}
