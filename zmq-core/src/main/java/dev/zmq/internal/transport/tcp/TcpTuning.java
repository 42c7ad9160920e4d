package dev.zmq.internal.transport.tcp;

import dev.zmq.SocketOption;
import dev.zmq.internal.options.Options;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;

/** Applies a socket's TCP options to a new connection, as libzmq's tune_tcp_socket does. */
final class TcpTuning {
    private TcpTuning() {
    }

    /** Everything, for an accepted connection. */
    static void apply(SocketChannel channel, Options options) throws IOException {
        beforeConnect(channel, options);
        connected(channel, options);
    }

    /**
     * What must be set before connecting (buffer sizes shape the SYN's window scale; TOS marks the
     * SYN), as libzmq's tcp_open_socket does.
     */
    static void beforeConnect(SocketChannel channel, Options options) throws IOException {
        int sndbuf = options.integer(SocketOption.SNDBUF);
        if (sndbuf >= 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, sndbuf);
        }
        int rcvbuf = options.integer(SocketOption.RCVBUF);
        if (rcvbuf >= 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, rcvbuf);
        }
        int tos = options.integer(SocketOption.TOS);
        if (tos != 0) {
            channel.setOption(StandardSocketOptions.IP_TOS, tos);
        }
    }

    /**
     * What libzmq's tcp_connecter sets once the connection is up (tune_tcp_socket,
     * tune_tcp_keepalives), so a refused attempt makes no setsockopt calls by default.
     */
    static void connected(SocketChannel channel, Options options) throws IOException {
        // libzmq always disables Nagle: ZeroMQ batches on its own.
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        int keepalive = options.integer(SocketOption.TCP_KEEPALIVE);
        if (keepalive >= 0) {
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, keepalive == 1);
        }
        if (keepalive == 1) {
            setIfSupported(channel, ExtendedSocketOptions.TCP_KEEPCOUNT, options.integer(SocketOption.TCP_KEEPALIVE_CNT));
            setIfSupported(channel, ExtendedSocketOptions.TCP_KEEPIDLE, options.integer(SocketOption.TCP_KEEPALIVE_IDLE));
            setIfSupported(channel, ExtendedSocketOptions.TCP_KEEPINTERVAL, options.integer(SocketOption.TCP_KEEPALIVE_INTVL));
        }
    }

    private static void setIfSupported(SocketChannel channel, java.net.SocketOption<Integer> option, int value)
            throws IOException {
        if (value > 0 && channel.supportedOptions().contains(option)) {
            channel.setOption(option, value);
        }
    }
}
