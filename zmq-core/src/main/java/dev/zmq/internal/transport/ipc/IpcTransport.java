package dev.zmq.internal.transport.ipc;

import dev.zmq.SocketOption;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.options.Options;
import dev.zmq.internal.session.Dialer;
import dev.zmq.internal.session.SessionHost;
import dev.zmq.internal.transport.Endpoint;
import dev.zmq.internal.transport.Listener;
import dev.zmq.internal.transport.StreamDialer;
import dev.zmq.internal.transport.StreamListener;
import dev.zmq.internal.transport.StreamTransport;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ipc:///path}: real Unix domain sockets, so libzmq peers on the same machine can connect.
 * {@code ipc://*} binds a fresh socket file in a new temporary directory, as libzmq does.
 */
public final class IpcTransport implements StreamTransport {
    public static final IpcTransport INSTANCE = new IpcTransport();
    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_PATH_BYTES = 107;

    private IpcTransport() {
    }

    @Override
    public String scheme() {
        return "ipc";
    }

    @Override
    public Listener bind(SessionHost socket, Endpoint endpoint) {
        var io = socket.nextIoThread();
        Path tempDir = null;
        Path path;
        try {
            if (endpoint.address().equals("*")) {
                tempDir = Files.createTempDirectory("zmq-ipc-");
                path = tempDir.resolve("socket");
            } else {
                path = pathOf(endpoint);
            }
        } catch (IOException e) {
            throw new ZmqException(ZmqError.EADDRNOTAVAIL, "cannot create a directory for " + endpoint.text() + ": " + e.getMessage(), e);
        }
        ServerSocketChannel server = null;
        try {
            // As libzmq: a socket file left behind (by a crashed process, typically) is removed
            // before binding. Like libzmq, this also takes the path over from a live process.
            Files.deleteIfExists(path);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path), socket.options().integer(SocketOption.BACKLOG));
            server.configureBlocking(false);
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(server);
            throw new ZmqException(ZmqError.EADDRNOTAVAIL, "cannot bind " + endpoint.text() + ": " + e.getMessage(), e);
        }
        var bound = "ipc://" + path;
        var dir = tempDir;
        var options = socket.options();
        return new StreamListener(socket, io, server, bound, new StreamTransport.AcceptedSetup() {
            @Override
            public void tune(SocketChannel channel) throws IOException {
                applyBuffers(channel, options);
            }

            @Override
            public String peerAddress(SocketChannel channel) {
                return bound;
            }

            @Override
            public void released() {
                try {
                    Files.deleteIfExists(path);
                    if (dir != null) {
                        Files.deleteIfExists(dir);
                    }
                } catch (IOException ignored) {
                    // best effort, as libzmq
                }
            }
        });
    }

    @Override
    public Dialer dialer(SessionHost socket, Endpoint endpoint) {
        if (endpoint.address().equals("*")) {
            throw new ZmqException(ZmqError.EINVAL, "cannot connect to '" + endpoint.text() + "': * is only valid when binding");
        }
        var path = pathOf(endpoint);
        var options = socket.options();
        var target = UnixDomainSocketAddress.of(path);
        return new StreamDialer(endpoint.text(), new StreamDialer.Target() {
            @Override
            public SocketAddress resolve() {
                return target;
            }

            @Override
            public SocketChannel open(SocketAddress address) throws IOException {
                var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                applyBuffers(channel, options);
                return channel;
            }

            @Override
            public String format(SocketAddress address) {
                return "ipc://" + path;
            }
        });
    }

    private static Path pathOf(Endpoint endpoint) {
        var address = endpoint.address();
        if (address.startsWith("@")) {
            throw new ZmqException(ZmqError.EPROTONOSUPPORT, "'" + endpoint.text()
                    + "': abstract-namespace ipc addresses are not supported by the JDK; use a file path");
        }
        if (address.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new ZmqException(ZmqError.EINVAL, "'" + endpoint.text() + "': ipc paths are limited to "
                    + MAX_PATH_BYTES + " bytes by the operating system; use a shorter path");
        }
        return Path.of(address);
    }

    /**
     * Unless SNDBUF says otherwise, a send buffer as roomy as TCP's autotuning gives a loopback
     * connection (tcp_wmem's 4 MiB; Linux doubles what is set, and caps it at net.core.wmem_max).
     * A Unix stream socket queues only what its sender's buffer holds (the receiver's SO_RCVBUF
     * plays no part), and the default 208 KiB is about 11,000 small messages: a receiver
     * pausing at RCVHWM then made our sender stall on a full socket on up to a third of its writes
     * (EAGAIN, then a wait for writability), where over tcp it seldom did.
     */
    static final int DEFAULT_SNDBUF = 2 << 20;

    static void applyBuffers(SocketChannel channel, Options options) throws IOException {
        int sndbuf = options.integer(SocketOption.SNDBUF);
        if (sndbuf >= 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, sndbuf);
        } else if (channel.getOption(StandardSocketOptions.SO_SNDBUF) < DEFAULT_SNDBUF) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, DEFAULT_SNDBUF);
        }
        int rcvbuf = options.integer(SocketOption.RCVBUF);
        if (rcvbuf >= 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, rcvbuf);
        }
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
