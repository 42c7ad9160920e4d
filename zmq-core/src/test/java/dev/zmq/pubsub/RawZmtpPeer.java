package dev.zmq.pubsub;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-written ZMTP 3.x peer over a plain TCP socket, NULL mechanism only: it announces the
 * version and socket type we choose and shows exactly which frames the other side puts on the
 * wire. Frames are read by a background thread, so waiting for one never leaves a frame half read.
 */
final class RawZmtpPeer implements AutoCloseable {
    static final int MORE = 0x01;
    static final int LONG = 0x02;
    static final int COMMAND = 0x04;

    /** One frame as it was on the wire. */
    record Frame(int flags, byte[] body) {
        boolean isCommand() {
            return (flags & COMMAND) != 0;
        }

        boolean more() {
            return (flags & MORE) != 0;
        }

        String commandName() {
            return new String(body, 1, body[0] & 0xFF, StandardCharsets.US_ASCII);
        }

        byte[] commandData() {
            return Arrays.copyOfRange(body, 1 + (body[0] & 0xFF), body.length);
        }

        @Override
        public String toString() {
            return (isCommand() ? "command " + commandName() + " " + HexFormat.of().formatHex(commandData())
                    : "data" + (more() ? "+more" : "") + " " + HexFormat.of().formatHex(body));
        }
    }

    private static final Frame CLOSED = new Frame(-1, new byte[0]);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private byte[] peerGreeting;
    private Thread reader;

    private RawZmtpPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) PubSubTesting.DEADLINE.toMillis());
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to a {@code tcp://host:port} endpoint. */
    static RawZmtpPeer connect(String endpoint) {
        var uri = URI.create(endpoint);
        try {
            return new RawZmtpPeer(new Socket(uri.getHost(), uri.getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A listening socket on 127.0.0.1 for our sockets to connect to. */
    static final class Listener implements AutoCloseable {
        private final ServerSocket server;

        Listener() {
            try {
                server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                server.setSoTimeout((int) PubSubTesting.DEADLINE.toMillis());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String endpoint() {
            return "tcp://127.0.0.1:" + server.getLocalPort();
        }

        RawZmtpPeer accept() {
            try {
                return new RawZmtpPeer(server.accept());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /**
     * Exchanges greetings (announcing ZMTP 3.{@code minor}, NULL) and READY commands (announcing
     * {@code socketType}), then starts reading frames in the background. Returns the peer's READY.
     */
    Frame handshake(int minor, String socketType) {
        try {
            var greeting = new byte[64];
            greeting[0] = (byte) 0xFF;
            greeting[8] = 1;
            greeting[9] = 0x7F;
            greeting[10] = 3;
            greeting[11] = (byte) minor;
            System.arraycopy("NULL".getBytes(StandardCharsets.US_ASCII), 0, greeting, 12, 4);
            out.write(greeting);
            out.flush();
            peerGreeting = in.readNBytes(64);
            if (peerGreeting.length < 64) {
                throw new EOFException("peer closed during the greeting");
            }
            var props = new ByteArrayOutputStream();
            property(props, "Socket-Type", socketType.getBytes(StandardCharsets.US_ASCII));
            sendCommand("READY", props.toByteArray());
            var ready = readFrameNow();
            if (!ready.isCommand() || !ready.commandName().equals("READY")) {
                throw new IOException("expected READY, got " + ready);
            }
            socket.setSoTimeout(0); // the reader blocks until data or close(); waits are bounded by poll()
            reader = new Thread(this::readLoop, "raw-zmtp-reader");
            reader.setDaemon(true);
            reader.start();
            return ready;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 64 greeting bytes the other side sent. */
    byte[] peerGreeting() {
        return peerGreeting;
    }

    /** The value of a property in a READY command's metadata, or null. */
    static String readyProperty(Frame ready, String name) {
        var d = ready.commandData();
        int i = 0;
        while (i < d.length) {
            int nameLen = d[i] & 0xFF;
            var n = new String(d, i + 1, nameLen, StandardCharsets.US_ASCII);
            i += 1 + nameLen;
            int valueLen = ((d[i] & 0xFF) << 24) | ((d[i + 1] & 0xFF) << 16) | ((d[i + 2] & 0xFF) << 8) | (d[i + 3] & 0xFF);
            i += 4;
            if (n.equalsIgnoreCase(name)) {
                return new String(d, i, valueLen, StandardCharsets.US_ASCII);
            }
            i += valueLen;
        }
        return null;
    }

    private static void property(ByteArrayOutputStream b, String name, byte[] value) {
        b.write(name.length());
        b.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        b.write(value.length >>> 24);
        b.write(value.length >>> 16);
        b.write(value.length >>> 8);
        b.write(value.length);
        b.writeBytes(value);
    }

    void sendCommand(String name, byte[] data) {
        var body = new byte[1 + name.length() + data.length];
        body[0] = (byte) name.length();
        System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, body, 1, name.length());
        System.arraycopy(data, 0, body, 1 + name.length(), data.length);
        writeFrame(COMMAND, body);
    }

    /** Sends a data message of one or more frames. */
    void sendMessage(byte[]... parts) {
        for (int i = 0; i < parts.length; i++) {
            writeFrame(i < parts.length - 1 ? MORE : 0, parts[i]);
        }
    }

    private void writeFrame(int flags, byte[] body) {
        try {
            if (body.length > 255) {
                out.write(flags | LONG);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) ((long) body.length >>> shift));
                }
            } else {
                out.write(flags);
                out.write(body.length);
            }
            out.write(body);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame the other side sent, or null if none within {@code timeout}. */
    Frame poll(Duration timeout) {
        try {
            var f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (f == CLOSED) {
                frames.add(CLOSED);
                throw new AssertionError("the connection was closed by the other side; bytes received after the handshake: "
                        + rawHex());
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next frame, failing if none arrives within the test deadline. */
    Frame next() {
        var f = poll(PubSubTesting.DEADLINE);
        if (f == null) {
            throw new AssertionError("no frame from the other side within " + PubSubTesting.DEADLINE
                    + "; bytes received after the handshake: " + rawHex());
        }
        return f;
    }

    /** Hex of every byte received after the handshake, for failure reports. */
    synchronized String rawHex() {
        return HexFormat.of().formatHex(raw.toByteArray());
    }

    private void readLoop() {
        try {
            while (true) {
                frames.add(readFrameNow());
            }
        } catch (IOException e) {
            frames.add(CLOSED);
        }
    }

    private Frame readFrameNow() throws IOException {
        int flags = in.readUnsignedByte();
        long size = (flags & LONG) != 0 ? in.readLong() : in.readUnsignedByte();
        if (size > 16 * 1024 * 1024) {
            throw new IOException("absurd frame size " + size);
        }
        var body = in.readNBytes((int) size);
        if (body.length < size) {
            throw new EOFException();
        }
        synchronized (this) {
            if (reader != null) {
                raw.write(flags);
                if ((flags & LONG) != 0) {
                    for (int shift = 56; shift >= 0; shift -= 8) {
                        raw.write((int) (size >>> shift));
                    }
                } else {
                    raw.write((int) size);
                }
                raw.writeBytes(body);
            }
        }
        return new Frame(flags, body);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
