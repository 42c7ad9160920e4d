package dev.zmq.transport.udp;

import static dev.zmq.transport.udp.UdpRadioDishTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.testkit.Await;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DGRAM (libzmq's dgram.cpp and udp_engine.cpp with raw_socket): plain UDP, each message
 * [peer "ip:port", body], bound only. libzmq's own test (test_dgram.cpp) is the model of the echo.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DgramTest {

    private static String port(String endpoint) {
        return endpoint.substring(endpoint.lastIndexOf(':') + 1);
    }

    @Test
    void twoDgramSocketsEchoAsLibzmqsTest() {
        try (var ctx = new ZmqContext(); var listener = ctx.socket(SocketType.DGRAM); var sender = ctx.socket(SocketType.DGRAM)) {
            var listenerAt = "127.0.0.1:" + port(listener.bind("udp://127.0.0.1:*"));
            var senderAt = "127.0.0.1:" + port(sender.bind("udp://127.0.0.1:*"));

            sender.sendMore(listenerAt);
            sender.send("Is someone there ?");
            var question = Await.recv(listener);
            assertEquals(Message.of(senderAt, "Is someone there ?"), question, "the first frame is the sender's address");

            listener.send(Message.of(question.frame(0), "Yes, there is !".getBytes(StandardCharsets.UTF_8)));
            assertEquals(Message.of(listenerAt, "Yes, there is !"), Await.recv(sender));
        }
    }

    @Test
    void aPlainUdpPeerTalksToDgramBothWays() throws Exception {
        try (var ctx = new ZmqContext(); var dgram = ctx.socket(SocketType.DGRAM);
                var peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout(10_000);
            var at = Integer.parseInt(port(dgram.bind("udp://*:*")));
            var hello = "hello".getBytes(StandardCharsets.US_ASCII);
            peer.send(new DatagramPacket(hello, hello.length, new InetSocketAddress("127.0.0.1", at)));
            var got = Await.recv(dgram);
            assertEquals(Message.of("127.0.0.1:" + peer.getLocalPort(), "hello"), got);

            // The body goes out as it is, no header; an address frame with libzmq's C terminator works too.
            var withNul = Arrays.copyOf(got.frame(0), got.frame(0).length + 1);
            dgram.send(Message.of(withNul, new byte[] {0, 1, 2, (byte) 255}));
            dgram.send(Message.of(got.frame(0), new byte[0]));
            assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, receive(peer));
            assertEquals(0, receive(peer).length);

            var max = new byte[8192];
            dgram.send(Message.of(got.frame(0), max));
            assertEquals(8192, receive(peer).length);
        }
    }

    private static byte[] receive(DatagramSocket peer) throws java.io.IOException {
        var packet = new DatagramPacket(new byte[9000], 9000);
        peer.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    @Test
    void badMessagesAreRefusedWithTheRule() {
        try (var ctx = new ZmqContext(); var dgram = ctx.socket(SocketType.DGRAM)) {
            assertError(ZmqError.EFSM, "bind one first", () -> dgram.send(Message.of("127.0.0.1:5555", "x")));
            dgram.bind("udp://127.0.0.1:*");
            assertError(ZmqError.EINVAL, "exactly two frames", () -> dgram.send(Message.of("127.0.0.1:5555")));
            assertError(ZmqError.EINVAL, "exactly two frames", () -> dgram.send(Message.of("127.0.0.1:5555", "a", "b")));
            assertError(ZmqError.EINVAL, "ip:port", () -> dgram.send(Message.of("localhost:5555", "x")));
            assertError(ZmqError.EINVAL, "ip:port", () -> dgram.send(Message.of("127.0.0.1:0", "x")));
            assertError(ZmqError.EINVAL, "ip:port", () -> dgram.send(Message.of("300.0.0.1:5555", "x")));
            assertError(ZmqError.EMSGSIZE, "8192", () -> dgram.send(Message.of("127.0.0.1:5555".getBytes(StandardCharsets.US_ASCII),
                    new byte[8193])));
            assertError(ZmqError.ENOCOMPATPROTO, "cannot connect", () -> dgram.connect("udp://127.0.0.1:5555"));
            assertError(ZmqError.ENOCOMPATPROTO, "udp:// only", () -> dgram.bind("tcp://127.0.0.1:*"));
            assertError(ZmqError.EINVAL, "one udp endpoint", () -> dgram.bind("udp://127.0.0.1:*"));
            try (var v6 = ctx.socket(SocketType.DGRAM)) {
                v6.set(dev.zmq.SocketOption.IPV6, true);
                assertError(ZmqError.EINVAL, "IPv4 only", () -> v6.bind("udp://[::1]:*"));
            }
            assertFalse(SocketType.DGRAM.isCompatibleWith(SocketType.DGRAM), "DGRAM speaks no ZMTP");
        }
    }

    @Test
    void oversizedDatagramsAreDroppedAndCountedWhileTheSocketKeepsServing() throws Exception {
        try (var ctx = new ZmqContext(); var dgram = ctx.socket(SocketType.DGRAM); var peer = new DatagramSocket()) {
            var to = new InetSocketAddress("127.0.0.1", Integer.parseInt(port(dgram.bind("udp://127.0.0.1:*"))));
            var big = new byte[8193];
            peer.send(new DatagramPacket(big, big.length, to));
            var ok = "ok".getBytes(StandardCharsets.US_ASCII);
            peer.send(new DatagramPacket(ok, ok.length, to));
            assertEquals("ok", Await.recv(dgram).frameString(1));
            Await.until("the oversized datagram to be counted", () -> dgram.statistics().messagesDiscarded() == 1);
        }
    }
}
