package dev.zmq.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Peers that speak ZMTP 2.0 (RFC 15) and 1.0 (RFC 13) byte for byte, as libzmq 3.x and 2.x do. */
@Timeout(30)
class LegacyZmtpPeerTest {
    private static final byte[] SIGNATURE = {(byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F};

    private static Socket rawClient(String endpoint) throws IOException {
        int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        var s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5000);
        return s;
    }

    private static byte[] bytes(int... values) {
        var b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void zmtp20PushIntoOurPull() throws Exception {
        try (var ctx = new ZmqContext()) {
            var pull = ctx.socket(SocketType.PULL);
            var ep = pull.bind("tcp://127.0.0.1:*");
            try (var raw = rawClient(ep)) {
                var out = raw.getOutputStream();
                var in = new DataInputStream(raw.getInputStream());
                // signature, revision 1, PUSH, empty identity, then two messages (one multi-frame).
                out.write(concat(SIGNATURE, bytes(0x01, 0x08), bytes(0x00, 0x00),
                        bytes(0x00, 5), ascii("hello"), bytes(0x01, 1), ascii("a"), bytes(0x00, 1), ascii("b")));
                var greeting = new byte[14];
                in.readFully(greeting);
                // Our side: signature, revision 3 (a 2.0 peer downgrades), PULL = 7, empty identity frame.
                assertArrayEquals(concat(SIGNATURE, bytes(3, 7), bytes(0x00, 0x00)), greeting);
                assertEquals(Message.of("hello"), pull.recv(Duration.ofSeconds(5)));
                assertEquals(Message.of("a", "b"), pull.recv(Duration.ofSeconds(5)));
            }
        }
    }

    @Test
    void zmtp10RequestToOurRep() throws Exception {
        try (var ctx = new ZmqContext()) {
            var rep = ctx.socket(SocketType.REP);
            var ep = rep.bind("tcp://127.0.0.1:*");
            try (var raw = rawClient(ep)) {
                var out = raw.getOutputStream();
                var in = new DataInputStream(raw.getInputStream());
                // Anonymous identity (length 1, flags 0), then [delimiter (MORE), "hello"]: lengths count the flags octet.
                out.write(concat(bytes(0x01, 0x00), bytes(0x01, 0x01), bytes(0x06, 0x00), ascii("hello")));
                var signature = new byte[10];
                in.readFully(signature);
                assertEquals((byte) 0xFF, signature[0]);
                var request = rep.recv(Duration.ofSeconds(5));
                assertNotNull(request);
                assertEquals("hello", request.frameString(0));
                rep.send("world");
                // Our identity body is empty, so the reply follows the signature directly, in 1.0 framing.
                var reply = new byte[2 + 7];
                in.readFully(reply);
                assertArrayEquals(concat(bytes(0x01, 0x01), bytes(0x06, 0x00), ascii("world")), reply);
            }
        }
    }

    @Test
    void ourPushConnectsToAZmtp20Pull() throws Exception {
        try (var server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress()); var ctx = new ZmqContext()) {
            var push = ctx.socket(SocketType.PUSH);
            push.connect("tcp://127.0.0.1:" + server.getLocalPort());
            push.send(Message.of("x", "yz"));
            try (var raw = server.accept()) {
                raw.setSoTimeout(5000);
                var in = new DataInputStream(raw.getInputStream());
                raw.getOutputStream().write(concat(SIGNATURE, bytes(0x01, 0x07), bytes(0x00, 0x00)));
                var greeting = new byte[14];
                in.readFully(greeting);
                assertArrayEquals(concat(SIGNATURE, bytes(3, 8), bytes(0x00, 0x00)), greeting);
                var frames = new byte[2 + 1 + 2 + 2];
                in.readFully(frames);
                assertArrayEquals(concat(bytes(0x01, 1), ascii("x"), bytes(0x00, 2), ascii("yz")), frames);
            }
        }
    }

    @Test
    void zmtp20SubscriberGetsPrefixedSubscriptionsAndFilteredMessages() throws Exception {
        try (var ctx = new ZmqContext()) {
            var pub = ctx.socket(SocketType.PUB);
            var ep = pub.bind("tcp://127.0.0.1:*");
            try (var raw = rawClient(ep)) {
                var out = raw.getOutputStream();
                var in = new DataInputStream(raw.getInputStream());
                // A 2.0 SUB subscribes with a 0x01-prefixed message.
                out.write(concat(SIGNATURE, bytes(0x01, 0x02), bytes(0x00, 0x00), bytes(0x00, 2, 0x01, 'A')));
                var greeting = new byte[14];
                in.readFully(greeting);
                assertEquals(1, greeting[11]); // PUB
                // Publish until the subscription has been applied: the first matching message arrives.
                long deadline = System.nanoTime() + 5_000_000_000L;
                raw.setSoTimeout(50);
                byte[] frame = null;
                while (frame == null && System.nanoTime() < deadline) {
                    pub.send("B-not-for-you");
                    pub.send("A-for-you");
                    try {
                        frame = new byte[2 + 9];
                        in.readFully(frame);
                    } catch (java.net.SocketTimeoutException e) {
                        frame = null;
                    }
                }
                assertNotNull(frame);
                assertArrayEquals(concat(bytes(0x00, 9), ascii("A-for-you")), frame);
            }
        }
    }
}
