package dev.zmq.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

/**
 * A TCP relay between one client and a server that understands just enough ZMTP 3 framing to meddle
 * with the client's first data frame after the handshake (a CURVE MESSAGE): flip one bit, or send it twice.
 */
final class MitmRelay implements AutoCloseable {
    enum Mode { TAMPER, REPLAY }

    private final ServerSocket listener;
    private final int serverPort;
    private final Mode mode;
    private volatile Socket client;
    private volatile Socket server;
    private volatile boolean meddled;

    MitmRelay(int serverPort, Mode mode) throws IOException {
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.serverPort = serverPort;
        this.mode = mode;
        var t = new Thread(this::run, "mitm-relay");
        t.setDaemon(true);
        t.start();
    }

    String endpoint() {
        return "tcp://127.0.0.1:" + listener.getLocalPort();
    }

    boolean meddled() {
        return meddled;
    }

    private void run() {
        try {
            client = listener.accept();
            server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
            var back = new Thread(() -> pump(server, client), "mitm-back");
            back.setDaemon(true);
            back.start();
            forward(client.getInputStream(), server.getOutputStream());
        } catch (IOException e) {
            // closed
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // closed
        }
    }

    /** Client to server: greeting as is, then frame by frame. */
    private void forward(InputStream in, OutputStream out) throws IOException {
        // The greeting goes in the stages ZMTP peers wait for: signature, major version, the rest.
        for (int part : new int[] {10, 1, 53}) {
            out.write(in.readNBytes(part));
            out.flush();
        }
        while (true) {
            int flags = in.read();
            if (flags < 0) {
                return;
            }
            long size;
            byte[] header;
            if ((flags & 0x02) != 0) {
                var len = in.readNBytes(8);
                size = 0;
                for (byte b : len) {
                    size = (size << 8) | (b & 0xFF);
                }
                header = new byte[9];
                header[0] = (byte) flags;
                System.arraycopy(len, 0, header, 1, 8);
            } else {
                int len = in.read();
                size = len;
                header = new byte[] {(byte) flags, (byte) len};
            }
            var body = in.readNBytes((int) size);
            boolean message = (flags & 0x04) == 0 && body.length > 8 && body[0] == 7
                    && new String(body, 1, 7, java.nio.charset.StandardCharsets.US_ASCII).equals("MESSAGE");
            if (message && !meddled) {
                meddled = true;
                if (mode == Mode.TAMPER) {
                    var bad = Arrays.copyOf(body, body.length);
                    bad[bad.length - 1] ^= 0x01;
                    out.write(header);
                    out.write(bad);
                } else {
                    out.write(header);
                    out.write(body);
                    out.write(header);
                    out.write(body);
                }
            } else {
                out.write(header);
                out.write(body);
            }
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (var s : new Socket[] {client, server}) {
            if (s != null) {
                s.close();
            }
        }
    }
}
