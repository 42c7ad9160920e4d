package dev.zmq.transport.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RADIO/DISH over udp:// on 127.0.0.1, between our sockets and against a peer written here from
 * libzmq 4.3's udp_engine.cpp: each message is one datagram, {@code [group length][group][body]},
 * with no handshake and nothing going back to the RADIO (a DISH filters on its own side). Debian's
 * libzmq lacks the draft API, so the peer is a plain {@link DatagramSocket}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpRadioDishTest {

    private static byte[] datagram(String group, String body) {
        var g = group.getBytes(StandardCharsets.UTF_8);
        var b = new ByteArrayOutputStream();
        b.write(g.length);
        b.writeBytes(g);
        b.writeBytes(body.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private static Message inGroup(String group, String body) {
        return Message.of(body).withGroup(group);
    }

    @Test
    void ourRadioReachesOurDishOnlyInTheGroupsItJoined() {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH); var radio = ctx.socket(SocketType.RADIO)) {
            var endpoint = dish.bind("udp://127.0.0.1:*");
            assertTrue(port(endpoint) > 0, endpoint);
            assertEquals(endpoint, dish.get(SocketOption.LAST_ENDPOINT));
            dish.join("weather");
            dish.join("news");
            radio.connect(endpoint);
            // No handshake: messages sent right after connect go out (the pipe exists on return, as in libzmq).
            radio.send(inGroup("sports", "skipped"));
            radio.send(inGroup("weather", "sunny"));
            radio.send(inGroup("news", "headline"));
            var first = Await.recv(dish);
            assertEquals("weather", first.group());
            assertEquals(Message.of("sunny"), first);
            var second = Await.recv(dish);
            assertEquals("news", second.group());
            assertEquals(Message.of("headline"), second);

            dish.leave("news");
            radio.send(inGroup("news", "not any more"));
            radio.send(inGroup("weather", "rain"));
            var third = Await.recv(dish);
            assertEquals(Message.of("rain"), third, "the left group's message is filtered by the DISH");
            assertNull(dish.tryRecv());
            // sports and the news after leave were dropped by the DISH's own filter, and counted.
            assertEquals(2, dish.statistics().messagesDiscarded());
        }
    }

    @Test
    void ourRadioWritesLibzmqsDatagrams() throws Exception {
        try (var ctx = new ZmqContext(); var radio = ctx.socket(SocketType.RADIO);
                var peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout(10_000);
            radio.connect("udp://127.0.0.1:" + peer.getLocalPort());
            var maxGroup = "g".repeat(Message.MAX_GROUP_LENGTH);
            radio.send(inGroup("weather", "sunny"));
            radio.send(inGroup("", "no group"));
            radio.send(inGroup(maxGroup, "x"));
            radio.send(Message.of(new byte[0]).withGroup("empty"));
            for (var expected : new byte[][] {datagram("weather", "sunny"), datagram("", "no group"), datagram(maxGroup, "x"),
                    datagram("empty", "")}) {
                var packet = new DatagramPacket(new byte[9000], 9000);
                peer.receive(packet);
                assertArrayEquals(expected, Arrays.copyOf(packet.getData(), packet.getLength()));
            }
        }
    }

    @Test
    void libzmqsDatagramsReachOurDish() throws Exception {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH); var peer = new DatagramSocket()) {
            var endpoint = dish.bind("udp://127.0.0.1:*");
            dish.join("weather");
            var to = new InetSocketAddress("127.0.0.1", port(endpoint));
            peer.send(new DatagramPacket(datagram("weather", "sunny"), datagram("weather", "sunny").length, to));
            var got = Await.recv(dish);
            assertEquals("weather", got.group());
            assertEquals(Message.of("sunny"), got);
        }
    }

    @Test
    void malformedDatagramsAreCountedAndDroppedWhileTheDishKeepsServing() throws Exception {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH); var peer = new DatagramSocket()) {
            var endpoint = dish.bind("udp://127.0.0.1:*");
            dish.join("g");
            var to = new InetSocketAddress("127.0.0.1", port(endpoint));
            var hostile = new ArrayList<byte[]>();
            hostile.add(new byte[0]); // no length byte
            hostile.add(new byte[] {9, 'g'}); // the group runs past the end (libzmq ignores it too)
            hostile.add(new byte[] {(byte) 255}); // a 255-byte group in a 1-byte datagram
            var oversized = new byte[8193]; // over libzmq's 8192-byte MAX_UDP_MSG
            oversized[0] = 1;
            oversized[1] = 'g';
            hostile.add(oversized);
            for (var h : hostile) {
                peer.send(new DatagramPacket(h, h.length, to));
            }
            var good = datagram("g", "still here");
            peer.send(new DatagramPacket(good, good.length, to));
            assertEquals(Message.of("still here"), Await.recv(dish));
            Await.until("the hostile datagrams to be counted", () -> dish.statistics().messagesDiscarded() == hostile.size());
            // A group of exactly the datagram's remaining length is fine, and so is an empty body.
            var exact = new byte[] {1, 'g'};
            peer.send(new DatagramPacket(exact, exact.length, to));
            var empty = Await.recv(dish);
            assertEquals("g", empty.group());
            assertEquals(0, empty.first().length);
        }
    }

    @Test
    void aDishAtItsHighWaterMarkStopsReadingAndGoesOnAsTheApplicationReads() throws Exception {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH); var peer = new DatagramSocket()) {
            dish.set(SocketOption.RCVHWM, 10);
            var endpoint = dish.bind("udp://127.0.0.1:*");
            dish.join("g");
            var to = new InetSocketAddress("127.0.0.1", port(endpoint));
            // 100 small datagrams fit the kernel's default receive buffer: what the DISH does not
            // take while paused waits there, and nothing it took is dropped.
            for (int i = 0; i < 100; i++) {
                var d = datagram("g", Integer.toString(i));
                peer.send(new DatagramPacket(d, d.length, to));
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(Integer.toString(i), Await.recv(dish).frameString(0));
            }
            assertEquals(0, dish.statistics().messagesDiscarded());
        }
    }

    @Test
    void aMessageTooBigForADatagramIsRefusedNamingTheLimit() throws Exception {
        try (var ctx = new ZmqContext(); var radio = ctx.socket(SocketType.RADIO);
                var peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout(10_000);
            radio.connect("udp://127.0.0.1:" + peer.getLocalPort());
            var fits = new byte[8192 - 1 - 5];
            radio.send(Message.of(fits).withGroup("group"));
            var packet = new DatagramPacket(new byte[9000], 9000);
            peer.receive(packet);
            assertEquals(8192, packet.getLength());

            var e = assertThrows(ZmqException.class, () -> radio.send(Message.of(new byte[fits.length + 1]).withGroup("group")));
            assertEquals(ZmqError.EMSGSIZE, e.error());
            assertTrue(e.getMessage().contains("8192") && e.getMessage().contains("8193"), e.getMessage());
            var tooLong = assertThrows(ZmqException.class, () -> inGroup("g".repeat(256), "x"));
            assertEquals(ZmqError.EINVAL, tooLong.error());
            assertTrue(tooLong.getMessage().contains("255"), tooLong.getMessage());
        }
    }

    @Test
    void aDishServesManyRadiosAndTcpPeersAlongsideUdp() {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH); var udpRadio = ctx.socket(SocketType.RADIO);
                var otherUdpRadio = ctx.socket(SocketType.RADIO); var tcpRadio = ctx.socket(SocketType.RADIO)) {
            var udp = dish.bind("udp://127.0.0.1:*");
            var tcp = dish.bind("tcp://127.0.0.1:*");
            dish.join("g");
            udpRadio.connect(udp);
            otherUdpRadio.connect(udp);
            tcpRadio.connect(tcp);
            udpRadio.send(inGroup("g", "one"));
            otherUdpRadio.send(inGroup("g", "two"));
            var got = new ArrayList<String>();
            got.add(Await.recv(dish).frameString(0));
            got.add(Await.recv(dish).frameString(0));
            got.sort(null);
            assertEquals(java.util.List.of("one", "two"), got);
            // The tcp RADIO learns the join over ZMTP; send until it has.
            Await.until("the tcp RADIO to reach the DISH", () -> {
                tcpRadio.send(inGroup("g", "tcp"));
                var m = dish.recv(Duration.ofMillis(50));
                return m != null && m.frameString(0).equals("tcp");
            });
        }
    }

    @Test
    void aRadioSendsToUdpAndTcpDishes() {
        try (var ctx = new ZmqContext(); var radio = ctx.socket(SocketType.RADIO); var udpDish = ctx.socket(SocketType.DISH);
                var tcpDish = ctx.socket(SocketType.DISH)) {
            udpDish.join("g");
            tcpDish.join("g");
            var tcp = radio.bind("tcp://127.0.0.1:*");
            tcpDish.connect(tcp);
            radio.connect(udpDish.bind("udp://127.0.0.1:*"));
            Await.until("the tcp DISH's join to reach the RADIO", () -> {
                radio.send(inGroup("g", "hello"));
                return tcpDish.recv(Duration.ofMillis(50)) != null;
            });
            assertEquals(Message.of("hello"), Await.recv(udpDish));
        }
    }

    @Test
    void ipv6LoopbackWithTheIpv6Option() {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH); var radio = ctx.socket(SocketType.RADIO)) {
            assertError(ZmqError.EINVAL, "set the IPV6 socket option", () -> dish.bind("udp://[::1]:*"));
            assertError(ZmqError.EINVAL, "set the IPV6 socket option", () -> radio.connect("udp://[::1]:5555"));
            dish.set(SocketOption.IPV6, true);
            radio.set(SocketOption.IPV6, true);
            if (!dev.zmq.testkit.Endpoints.hasIpv6Loopback()) {
                return; // nothing more to check on a machine without ::1 (the refusals above hold everywhere)
            }
            var endpoint = dish.bind("udp://[::1]:*");
            assertTrue(endpoint.matches("udp://\\[::1]:\\d+"), endpoint);
            dish.join("g");
            radio.connect(endpoint);
            radio.send(inGroup("g", "over IPv6"));
            assertEquals(Message.of("over IPv6"), Await.recv(dish));
        }
    }

    @Test
    void udpIsForRadioDishAndDgramAndEachInItsDirection() {
        try (var ctx = new ZmqContext(); var radio = ctx.socket(SocketType.RADIO); var dish = ctx.socket(SocketType.DISH);
                var pub = ctx.socket(SocketType.PUB)) {
            assertError(ZmqError.ENOCOMPATPROTO, "connect the RADIO", () -> radio.bind("udp://127.0.0.1:*"));
            assertError(ZmqError.ENOCOMPATPROTO, "bind the DISH", () -> dish.connect("udp://127.0.0.1:5555"));
            assertError(ZmqError.ENOCOMPATPROTO, "RADIO, DISH and DGRAM", () -> pub.connect("udp://127.0.0.1:5555"));
            assertError(ZmqError.EINVAL, "host:port", () -> radio.connect("udp://127.0.0.1"));
            assertError(ZmqError.EINVAL, "port '*'", () -> radio.connect("udp://127.0.0.1:*"));
            assertError(ZmqError.EINVAL, "'*'", () -> radio.connect("udp://*:5555"));
            assertError(ZmqError.EINVAL, "only for multicast", () -> radio.connect("udp://127.0.0.1;127.0.0.1:5555"));
            assertError(ZmqError.EINVAL, "only for multicast", () -> dish.bind("udp://127.0.0.1;127.0.0.1:*"));
            assertError(ZmqError.EINVAL, "out of range", () -> dish.bind("udp://127.0.0.1:70000"));
            assertError(ZmqError.EADDRNOTAVAIL, "no network interface", () -> dish.bind("udp://nosuchnic0;239.1.2.3:5555"));
            assertEquals("", dish.get(SocketOption.LAST_ENDPOINT), "a failed bind leaves nothing behind");
        }
    }

    @Test
    void unbindReleasesTheEndpointAndClosingTheRadioSendsWhatItQueued() throws Exception {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH);
                var peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            var endpoint = dish.bind("udp://127.0.0.1:*");
            dish.unbind("udp://127.0.0.1:*"); // by the endpoint as given, as for tcp
            var e = assertThrows(ZmqException.class, () -> dish.unbind(endpoint));
            assertEquals(ZmqError.ENOENT, e.error());
            Await.until("the port to be free again", () -> {
                try (var probe = new DatagramSocket(port(endpoint), InetAddress.getLoopbackAddress())) {
                    return true;
                } catch (java.net.SocketException busy) {
                    return false;
                }
            });
            peer.setSoTimeout(10_000);
            var radio = ctx.socket(SocketType.RADIO);
            radio.connect("udp://127.0.0.1:" + peer.getLocalPort());
            for (int i = 0; i < 100; i++) {
                radio.send(inGroup("g", "m" + i));
            }
            radio.close(); // LINGER: what was queued still goes out
            for (int i = 0; i < 100; i++) {
                var packet = new DatagramPacket(new byte[100], 100);
                peer.receive(packet);
                assertArrayEquals(datagram("g", "m" + i), Arrays.copyOf(packet.getData(), packet.getLength()));
            }
        }
    }

    static void assertError(ZmqError error, String hint, org.junit.jupiter.api.function.Executable call) {
        var e = assertThrows(ZmqException.class, call);
        assertEquals(error, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains(hint), () -> "'" + hint + "' not in: " + e.getMessage());
    }
}
