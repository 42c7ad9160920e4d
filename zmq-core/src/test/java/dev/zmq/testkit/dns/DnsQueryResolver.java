package dev.zmq.testkit.dns;

import dev.zmq.NameResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal DNS client (RFC 1035) behind the {@link NameResolver} seam: asks one server, over UDP,
 * for the A records of a name (and AAAA records when asked to), so a test can point a socket at a
 * DNS server on a port of its own (the JDK's resolver only asks the system's servers on port 53).
 * No caching: every call is a query. An answer truncated to fit a UDP datagram (over 512 bytes:
 * about 28 A records) is asked again over TCP, as a stub resolver does. NXDOMAIN is an
 * {@link UnknownHostException}; an answer without addresses is an empty list.
 */
public final class DnsQueryResolver implements NameResolver {
    private static final int TYPE_A = 1;
    private static final int TYPE_AAAA = 28;

    private final InetSocketAddress server;
    private final boolean ipv6;
    private final int timeoutMillis;

    public DnsQueryResolver(InetSocketAddress server, boolean ipv6, int timeoutMillis) {
        this.server = server;
        this.ipv6 = ipv6;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws IOException {
        var out = new ArrayList<InetSocketAddress>();
        for (var a : query(host, TYPE_A)) {
            out.add(new InetSocketAddress(a, port));
        }
        if (ipv6) {
            for (var a : query(host, TYPE_AAAA)) {
                out.add(new InetSocketAddress(a, port));
            }
        }
        return out;
    }

    /** The addresses of one type the server answers for {@code host}. */
    public List<InetAddress> query(String host, int type) throws IOException {
        int id = ThreadLocalRandom.current().nextInt(1 << 16);
        byte[] request = encodeQuery(id, host, type);
        try (var udp = new DatagramSocket()) {
            udp.setSoTimeout(timeoutMillis);
            udp.send(new DatagramPacket(request, request.length, server));
            var buffer = new byte[4096];
            while (true) {
                var packet = new DatagramPacket(buffer, buffer.length);
                try {
                    udp.receive(packet);
                } catch (SocketTimeoutException e) {
                    throw new SocketTimeoutException("no answer from DNS server " + server + " for " + host + " within " + timeoutMillis + " ms");
                }
                var answer = ByteBuffer.wrap(buffer, 0, packet.getLength());
                if (packet.getLength() < 12 || (answer.getShort(0) & 0xFFFF) != id) {
                    continue; // not the answer to this query
                }
                if ((answer.getShort(2) & 0x0200) != 0) {
                    return queryTcp(request, host, type); // TC: the whole answer needs TCP
                }
                return decodeAnswer(answer, host, type);
            }
        }
    }

    private List<InetAddress> queryTcp(byte[] request, String host, int type) throws IOException {
        try (var tcp = new java.net.Socket()) {
            tcp.connect(server, timeoutMillis);
            tcp.setSoTimeout(timeoutMillis);
            var out = new java.io.DataOutputStream(tcp.getOutputStream());
            out.writeShort(request.length);
            out.write(request);
            out.flush();
            var in = new java.io.DataInputStream(tcp.getInputStream());
            var answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            return decodeAnswer(ByteBuffer.wrap(answer), host, type);
        }
    }

    static byte[] encodeQuery(int id, String host, int type) {
        var out = new ByteArrayOutputStream();
        out.write(id >>> 8);
        out.write(id);
        out.write(0x01); // RD
        out.write(0x00);
        out.write(0);
        out.write(1); // QDCOUNT
        out.writeBytes(new byte[6]); // ANCOUNT, NSCOUNT, ARCOUNT
        for (var label : host.split("\\.")) {
            var bytes = label.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length == 0 || bytes.length > 63) {
                throw new IllegalArgumentException("bad DNS name " + host);
            }
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        out.write(type >>> 8);
        out.write(type);
        out.write(0);
        out.write(1); // IN
        return out.toByteArray();
    }

    static List<InetAddress> decodeAnswer(ByteBuffer b, String host, int type) throws IOException {
        int flags = b.getShort(2) & 0xFFFF;
        if ((flags & 0x8000) == 0) {
            throw new IOException("not a DNS response");
        }
        int rcode = flags & 0xF;
        if (rcode == 3) {
            throw new UnknownHostException(host + ": no such name (NXDOMAIN)");
        }
        if (rcode != 0) {
            throw new ErrorAnswer("DNS server answered rcode " + rcode + " for " + host);
        }
        int questions = b.getShort(4) & 0xFFFF;
        int answers = b.getShort(6) & 0xFFFF;
        b.position(12);
        for (int i = 0; i < questions; i++) {
            skipName(b);
            b.position(b.position() + 4);
        }
        var out = new ArrayList<InetAddress>();
        for (int i = 0; i < answers; i++) {
            skipName(b);
            int rrType = b.getShort() & 0xFFFF;
            b.getShort(); // class
            b.getInt(); // TTL
            int length = b.getShort() & 0xFFFF;
            var data = new byte[length];
            b.get(data);
            if (rrType == type && ((type == TYPE_A && length == 4) || (type == TYPE_AAAA && length == 16))) {
                out.add(InetAddress.getByAddress(host, data));
            }
        }
        return out;
    }

    /** The server answered with an error code (REFUSED, SERVFAIL...). */
    public static final class ErrorAnswer extends IOException {
        ErrorAnswer(String message) {
            super(message);
        }
    }

    private static void skipName(ByteBuffer b) {
        while (true) {
            int len = b.get() & 0xFF;
            if (len == 0) {
                return;
            }
            if ((len & 0xC0) == 0xC0) {
                b.get(); // compression pointer: the name ends here
                return;
            }
            b.position(b.position() + len);
        }
    }
}
