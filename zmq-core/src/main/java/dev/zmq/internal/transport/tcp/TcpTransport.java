package dev.zmq.internal.transport.tcp;

import dev.zmq.SocketOption;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.session.Dialer;
import dev.zmq.internal.session.ResolvingConnector;
import dev.zmq.internal.session.SessionHost;
import dev.zmq.internal.transport.Endpoint;
import dev.zmq.internal.transport.Listener;
import dev.zmq.internal.transport.NameResolvingTransport;
import dev.zmq.internal.transport.StreamDialer;
import dev.zmq.internal.transport.StreamListener;
import dev.zmq.internal.transport.StreamTransport;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** {@code tcp://host:port}. */
public final class TcpTransport implements NameResolvingTransport {
    public static final TcpTransport INSTANCE = new TcpTransport();

    private TcpTransport() {
    }

    @Override
    public String scheme() {
        return "tcp";
    }

    @Override
    public Listener bind(SessionHost socket, Endpoint endpoint) {
        var io = socket.nextIoThread();
        var address = TcpAddress.parse(endpoint, true);
        var options = socket.options();
        InetSocketAddress local = address.resolve(options.flag(SocketOption.IPV6));
        ServerSocketChannel server = null;
        try {
            // An IPv4 address gets an IPv4-only socket: on a dual-stack channel 0.0.0.0 would become
            // [::] and accept IPv6 too, unlike libzmq with IPV6 off.
            server = local.getAddress() instanceof Inet4Address
                    ? ServerSocketChannel.open(StandardProtocolFamily.INET)
                    : ServerSocketChannel.open();
            // As libzmq: allow quick rebinds after a restart (TIME_WAIT); two live binds still fail.
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            int rcvbuf = options.integer(SocketOption.RCVBUF);
            if (rcvbuf >= 0) {
                server.setOption(StandardSocketOptions.SO_RCVBUF, rcvbuf);
            }
            server.bind(local, options.integer(SocketOption.BACKLOG));
            server.configureBlocking(false);
            var bound = (InetSocketAddress) server.getLocalAddress();
            return new StreamListener(socket, io, server, TcpAddress.format(bound), new StreamTransport.AcceptedSetup() {
                @Override
                public void tune(SocketChannel channel) throws IOException {
                    TcpTuning.apply(channel, socket.options());
                }

                @Override
                public String peerAddress(SocketChannel channel) throws IOException {
                    return TcpAddress.format((InetSocketAddress) channel.getRemoteAddress());
                }
            });
        } catch (BindException e) {
            closeQuietly(server);
            var msg = String.valueOf(e.getMessage());
            if (msg.contains("in use")) {
                throw new ZmqException(ZmqError.EADDRINUSE, "cannot bind " + endpoint.text()
                        + ": address already in use (another socket or process is bound to it)", e);
            }
            throw new ZmqException(ZmqError.EADDRNOTAVAIL, "cannot bind " + endpoint.text() + ": " + msg, e);
        } catch (IOException e) {
            closeQuietly(server);
            throw new ZmqException(ZmqError.EADDRNOTAVAIL, "cannot bind " + endpoint.text() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Connects to {@code tcp://host:port}, or, in libzmq's form {@code tcp://source;host:port}, from
     * a chosen local address: {@code source} is {@code ip:port}, {@code ip} (any port) or
     * {@code *:port}, e.g. {@code tcp://192.168.1.17:0;192.168.1.1:5555}.
     */
    @Override
    public Dialer dialer(SessionHost socket, Endpoint endpoint) {
        var parsed = parseConnect(endpoint);
        var address = parsed.target();
        var options = socket.options();
        if (address.isIpv4Literal()) {
            // Nothing to look up: the same address every attempt (libzmq parses it again each time; we need not).
            var literal = address.resolve(false);
            return streamDialer(socket, endpoint.text(), parsed.source(), () -> literal);
        }
        return streamDialer(socket, endpoint.text(), parsed.source(), () -> address.resolve(options.flag(SocketOption.IPV6)));
    }

    @Override
    public ResolvingConnector.Target resolvable(SessionHost socket, Endpoint endpoint) {
        var parsed = parseConnect(endpoint);
        var source = parsed.source();
        return new ResolvingConnector.Target(parsed.target().host(), parsed.target().port(),
                to -> streamDialer(socket, TcpAddress.format(to), source, () -> to), TcpAddress::format);
    }

    private record ConnectAddress(TcpAddress source, TcpAddress target) {
    }

    /**
     * {@code tcp://host:port}, or, in libzmq's form {@code tcp://source;host:port}, from a chosen
     * local address: {@code source} is {@code ip:port}, {@code ip} (any port) or {@code *:port},
     * e.g. {@code tcp://192.168.1.17:0;192.168.1.1:5555}.
     */
    private static ConnectAddress parseConnect(Endpoint endpoint) {
        var text = endpoint.address();
        int semicolon = text.indexOf(';');
        TcpAddress source = null;
        var target = endpoint;
        if (semicolon >= 0) {
            var sourceText = text.substring(0, semicolon);
            if (sourceText.isEmpty()) {
                throw new ZmqException(ZmqError.EINVAL, "invalid endpoint '" + endpoint.text()
                        + "': nothing before ';' (the source address to connect from, e.g. tcp://192.168.1.17:0;192.168.1.1:5555)");
            }
            // A source without a port binds any port, as libzmq does.
            var withPort = sourceText.lastIndexOf(':') > sourceText.lastIndexOf(']') ? sourceText : sourceText + ":0";
            source = TcpAddress.parse(new Endpoint(endpoint.transport(), withPort, endpoint.text()), true);
            target = new Endpoint(endpoint.transport(), text.substring(semicolon + 1), endpoint.text());
        }
        return new ConnectAddress(source, TcpAddress.parse(target, false));
    }

    private static Dialer streamDialer(SessionHost socket, String name, TcpAddress from,
                                       java.util.function.Supplier<SocketAddress> resolve) {
        var options = socket.options();
        return new StreamDialer(name, new StreamDialer.Target() {
            @Override
            public SocketAddress resolve() {
                return resolve.get();
            }

            @Override
            public SocketChannel open(SocketAddress to) throws IOException {
                // An IPv4 target gets an IPv4 socket: on a dual-stack IPv6 socket IP_TOS would not
                // reach the IPv4 packets, so TOS would silently not apply.
                var ipv4 = to instanceof InetSocketAddress a && a.getAddress() instanceof Inet4Address;
                var channel = ipv4 ? SocketChannel.open(StandardProtocolFamily.INET) : SocketChannel.open();
                try {
                    TcpTuning.beforeConnect(channel, options);
                    if (from != null) {
                        channel.bind(from.resolve(options.flag(SocketOption.IPV6)));
                    }
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                return channel;
            }

            @Override
            public void connected(SocketChannel channel) throws IOException {
                TcpTuning.connected(channel, options);
            }

            @Override
            public int connectTimeoutMillis() {
                return options.integer(SocketOption.CONNECT_TIMEOUT);
            }

            @Override
            public String format(SocketAddress a) {
                return TcpAddress.format((InetSocketAddress) a);
            }
        });
    }

    private static void closeQuietly(ServerSocketChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
