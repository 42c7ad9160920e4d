package dev.zmq.pubsub;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TCP relay that records what goes through it: our socket connects to {@link #endpoint()},
 * the relay connects on to the real peer, and both byte streams are kept for inspection. One
 * connection; the relay threads end when either side closes.
 */
final class TapRelay implements AutoCloseable {
    private final ServerSocket server;
    private final URI target;
    private final ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
    private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();
    private final List<Socket> sockets = new ArrayList<>();

    TapRelay(String targetEndpoint) {
        target = URI.create(targetEndpoint);
        try {
            server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var acceptor = new Thread(this::accept, "tap-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        try {
            var client = server.accept();
            var upstream = new Socket(target.getHost(), target.getPort());
            synchronized (sockets) {
                sockets.add(client);
                sockets.add(upstream);
            }
            pump(client.getInputStream(), upstream.getOutputStream(), fromClient);
            pump(upstream.getInputStream(), client.getOutputStream(), fromServer);
        } catch (IOException e) {
            // closed before a connection came
        }
    }

    private void pump(InputStream in, OutputStream out, ByteArrayOutputStream record) {
        var t = new Thread(() -> {
            var buf = new byte[64 * 1024];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (record) {
                        record.write(buf, 0, n); // recorded before forwarding: seen by the time the peer acts on it
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            }
            close();
        }, "tap-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Bytes our side (the connecting client) sent so far. */
    byte[] fromClient() {
        synchronized (fromClient) {
            return fromClient.toByteArray();
        }
    }

    /** Bytes the peer sent so far. */
    byte[] fromServer() {
        synchronized (fromServer) {
            return fromServer.toByteArray();
        }
    }

    /** The complete frames of a recorded stream after its 64-byte greeting. */
    static List<RawZmtpPeer.Frame> frames(byte[] stream) {
        var frames = new ArrayList<RawZmtpPeer.Frame>();
        int i = 64;
        while (i + 2 <= stream.length) {
            int flags = stream[i] & 0xFF;
            long size;
            int header;
            if ((flags & RawZmtpPeer.LONG) != 0) {
                if (i + 9 > stream.length) {
                    break;
                }
                size = 0;
                for (int k = 1; k <= 8; k++) {
                    size = (size << 8) | (stream[i + k] & 0xFF);
                }
                header = 9;
            } else {
                size = stream[i + 1] & 0xFF;
                header = 2;
            }
            if (i + header + size > stream.length) {
                break;
            }
            frames.add(new RawZmtpPeer.Frame(flags, Arrays.copyOfRange(stream, i + header, (int) (i + header + size))));
            i += header + (int) size;
        }
        return frames;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        synchronized (sockets) {
            for (var s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }
}
