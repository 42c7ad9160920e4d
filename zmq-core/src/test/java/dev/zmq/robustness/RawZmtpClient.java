package dev.zmq.robustness;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A hand-driven ZMTP peer over a plain TCP socket (usually the client, or the server end of a
 * connection one of our sockets made): writes whatever bytes a test wants (valid,
 * corrupted, truncated) and reads back what the peer sends, with deadlines on every read.
 */
final class RawZmtpClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawZmtpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to a {@code tcp://host:port} endpoint, as returned by a bind. */
    static RawZmtpClient connect(String endpoint) throws IOException {
        var uri = URI.create(endpoint);
        if (!"tcp".equals(uri.getScheme()) || uri.getPort() < 0) {
            throw new IllegalArgumentException("not a tcp://host:port endpoint: " + endpoint);
        }
        var socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            return new RawZmtpClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The raw end of a connection one of our sockets made to {@code server}: a hostile server. */
    static RawZmtpClient accept(java.net.ServerSocket server, Duration timeout) throws IOException {
        server.setSoTimeout((int) timeout.toMillis());
        var socket = server.accept();
        socket.setTcpNoDelay(true);
        return new RawZmtpClient(socket);
    }

    /** This end's local port: what the server sees as the peer's port (and should log). */
    int localPort() {
        return socket.getLocalPort();
    }

    /** Writes the given byte arrays in order and flushes. */
    RawZmtpClient write(byte[]... parts) throws IOException {
        for (var p : parts) {
            out.write(p);
        }
        out.flush();
        return this;
    }

    /**
     * Writes like {@link #write} but reports a connection the peer already closed (reset or broken
     * pipe) as {@code false} instead of throwing: hostile streams often get cut off half-way.
     */
    boolean tryWrite(byte[]... parts) {
        try {
            write(parts);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends our NULL greeting for ZMTP 3.1 and a READY announcing {@code socketType}. */
    RawZmtpClient sendGreetingAndReady(String socketType) throws IOException {
        return write(Zmtp.greeting(1), Zmtp.ready(socketType));
    }

    /**
     * The whole NULL handshake as {@code socketType}: sends greeting and READY, reads the peer's
     * greeting and READY, and returns the peer's properties (names lower-cased).
     */
    Map<String, byte[]> handshake(String socketType, Duration timeout) throws IOException {
        sendGreetingAndReady(socketType);
        long deadline = deadline(timeout);
        var greeting = readGreeting(deadline);
        if (greeting.major() != 3 || !greeting.mechanism().equals("NULL")) {
            throw new IOException("unexpected peer greeting " + greeting);
        }
        var ready = readFrame(deadline);
        if (!ready.isCommand("READY")) {
            throw new IOException("expected READY, got " + ready);
        }
        return Zmtp.parseProperties(ready.commandData());
    }

    /** Sends one whole message of string frames. */
    RawZmtpClient sendMessage(String... frames) throws IOException {
        return write(Zmtp.message(frames));
    }

    Zmtp.Greeting readGreeting(Duration timeout) throws IOException {
        return readGreeting(deadline(timeout));
    }

    private Zmtp.Greeting readGreeting(long deadline) throws IOException {
        return Zmtp.Greeting.parse(readFully(Zmtp.GREETING_SIZE, deadline));
    }

    /** Reads the next frame; {@link EOFException} if the peer closes first, even mid-frame. */
    Zmtp.Frame readFrame(Duration timeout) throws IOException {
        return readFrame(deadline(timeout));
    }

    private Zmtp.Frame readFrame(long deadline) throws IOException {
        int flags = readFully(1, deadline)[0] & 0xFF;
        long size = (flags & Zmtp.FLAG_LONG) != 0
                ? ByteBuffer.wrap(readFully(8, deadline)).getLong()
                : readFully(1, deadline)[0] & 0xFF;
        if (size < 0 || size > 64 * 1024 * 1024) {
            throw new IOException("peer announced a frame of " + Long.toUnsignedString(size) + " octets");
        }
        return new Zmtp.Frame(flags, readFully((int) size, deadline));
    }

    /** Reads the next whole message (frames up to one without MORE) as strings. */
    List<String> readMessage(Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        var frames = new ArrayList<String>();
        Zmtp.Frame f;
        do {
            f = readFrame(deadline);
            if (!f.isCommand()) {
                frames.add(new String(f.body(), StandardCharsets.UTF_8));
            }
        } while (f.isCommand() || f.hasMore());
        return frames;
    }

    /**
     * Reads and parses frames until the peer closes the connection. Returns the frames received
     * before the close (a trailing partial frame is dropped).
     *
     * @throws AssertionError if the connection is still open at the deadline
     */
    List<Zmtp.Frame> readFramesUntilClosed(Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        var frames = new ArrayList<Zmtp.Frame>();
        try {
            while (true) {
                frames.add(readFrame(deadline));
            }
        } catch (EOFException | SocketException closed) {
            return frames;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("peer did not close the connection within " + timeout + "; got " + frames);
        }
    }

    /**
     * Discards whatever the peer sends and waits for it to close the connection (EOF or reset).
     *
     * @return true if the peer closed within {@code timeout}, false if the connection is still open
     */
    boolean awaitClosedByPeer(Duration timeout) throws IOException {
        long deadline = deadline(timeout);
        var sink = new byte[8192];
        try {
            while (true) {
                setTimeout(deadline);
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /**
     * Waits until the peer sends something (its greeting, normally) or closes: proof that it accepted
     * this connection and started serving it.
     *
     * @return false if nothing happened within {@code timeout}
     */
    boolean awaitPeerActivity(Duration timeout) throws IOException {
        try {
            setTimeout(deadline(timeout));
            in.read();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Half-closes: the peer reads EOF, while this side can still read what the peer sends. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with a TCP reset instead of the orderly FIN. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private byte[] readFully(int n, long deadline) throws IOException {
        var buf = new byte[n];
        int read = 0;
        while (read < n) {
            setTimeout(deadline);
            int r = in.read(buf, read, n - read);
            if (r < 0) {
                throw new EOFException("peer closed after " + read + " of " + n + " octets");
            }
            read += r;
        }
        return buf;
    }

    private void setTimeout(long deadline) throws IOException {
        long remaining = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remaining));
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }
}
