package dev.zmq.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * libzmq's draft socket types between zmq-core sockets: CLIENT/SERVER (RFC 41), RADIO/DISH (RFC 48),
 * SCATTER/GATHER (RFC 49), PEER (RFC 51) and CHANNEL, over tcp, ipc and inproc.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DraftSocketsTest {
    private static final Duration SHORT = Duration.ofMillis(20);

    /** ipc endpoints' files, removed with the directory after the class. */
    @TempDir
    static Path ipcDir;

    /** A bind endpoint for {@code transport} (a fresh ipc path in {@link #ipcDir}). */
    private static String endpoint(String transport, String name) {
        return switch (transport) {
            case "tcp" -> "tcp://127.0.0.1:*";
            case "inproc" -> "inproc://" + name + "-" + System.nanoTime();
            case "ipc" -> "ipc://" + ipcDir.resolve(name + "-" + System.nanoTime() + ".sock");
            default -> throw new IllegalArgumentException(transport);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void serverRepliesToTheClientThatAskedByRoutingId(String transport) {
        try (var ctx = new ZmqContext(); var server = ctx.socket(SocketType.SERVER);
             var a = ctx.socket(SocketType.CLIENT); var b = ctx.socket(SocketType.CLIENT)) {
            var ep = server.bind(endpoint(transport, "server"));
            a.connect(ep);
            b.connect(ep);
            a.send("from-a");
            b.send("from-b");
            var first = Await.recv(server);
            var second = Await.recv(server);
            assertNotEquals(0, first.routingId(), "a SERVER's message carries its CLIENT's routing id");
            assertNotEquals(first.routingId(), second.routingId(), "each CLIENT has its own routing id");
            server.send(Message.of("re:" + first.frameString(0)).withRoutingId(first.routingId()));
            server.send(Message.of("re:" + second.frameString(0)).withRoutingId(second.routingId()));
            assertEquals("re:from-a", Await.recv(a).frameString(0), "each reply reached the CLIENT that asked");
            assertEquals("re:from-b", Await.recv(b).frameString(0));
            var fromA = first.frameString(0).equals("from-a") ? first : second;
            a.send("again");
            assertEquals(fromA.routingId(), Await.recv(server).routingId(), "a CLIENT keeps its routing id");
        }
    }

    @Test
    void serverRefusesUnknownRoutingIdsAndMultiFrameMessages() {
        try (var ctx = new ZmqContext(); var server = ctx.socket(SocketType.SERVER)) {
            server.bind("tcp://127.0.0.1:*");
            var unknown = assertThrows(ZmqException.class, () -> server.send(Message.of("x").withRoutingId(12345)));
            assertEquals(ZmqError.EHOSTUNREACH, unknown.error());
            var none = assertThrows(ZmqException.class, () -> server.send(Message.of("x")));
            assertEquals(ZmqError.EHOSTUNREACH, none.error(), "a message without routing id goes nowhere");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"CLIENT", "SERVER", "RADIO", "SCATTER", "PEER", "CHANNEL"})
    void multiFrameMessagesAreRefusedWithEinvalAsLibzmq(SocketType type) {
        try (var ctx = new ZmqContext(); var socket = ctx.socket(type)) {
            var whole = assertThrows(ZmqException.class, () -> socket.send(Message.of("a", "b"), Duration.ZERO));
            assertEquals(ZmqError.EINVAL, whole.error());
            assertTrue(whole.getMessage().contains("single-frame"), whole.getMessage());
            var more = assertThrows(ZmqException.class, () -> socket.sendMore("a"));
            assertEquals(ZmqError.EINVAL, more.error(), "ZMQ_SNDMORE fails with EINVAL on libzmq's thread-safe types");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void dishReceivesTheGroupsItJoinedOnly(String transport) {
        try (var ctx = new ZmqContext(); var radio = ctx.socket(SocketType.RADIO); var dish = ctx.socket(SocketType.DISH)) {
            var ep = radio.bind(endpoint(transport, "radio"));
            dish.join("weather");
            dish.join("sport");
            dish.connect(ep);
            // Joins travel asynchronously: send until the first arrives.
            Await.until("the DISH's join to reach the RADIO", () -> {
                radio.send(Message.of("sunny").withGroup("weather"));
                return dish.recv(SHORT) != null;
            });
            while (dish.recv(SHORT) != null) {
                // drain the probes
            }
            radio.send(Message.of("news").withGroup("politics"));
            radio.send(Message.of("prefix").withGroup("weathe")); // exact match only, not a prefix
            radio.send(Message.of("prefix2").withGroup("weather2"));
            radio.send(Message.of("goal").withGroup("sport"));
            var got = Await.recv(dish);
            assertEquals("goal", got.frameString(0), "only the joined group's message arrives");
            assertEquals("sport", got.group());
            dish.leave("sport");
            Await.until("the DISH's leave to reach the RADIO", () -> {
                radio.send(Message.of("goal2").withGroup("sport"));
                radio.send(Message.of("marker").withGroup("weather"));
                var m = Await.recv(dish);
                while (m.frameString(0).equals("goal2")) {
                    m = Await.recv(dish);
                }
                assertEquals("weather", m.group());
                return dish.recv(SHORT) == null;
            });
            radio.send(Message.of("goal3").withGroup("sport"));
            radio.send(Message.of("rain").withGroup("weather"));
            assertEquals(Message.of("rain"), Await.recv(dish), "after leaving, only the group still joined arrives");
            assertNull(dish.recv(Await.QUIET));
        }
    }

    @Test
    void dishRejoinsAfterTheRadioComesBack() {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH)) {
            var first = ctx.socket(SocketType.RADIO);
            var ep = first.bind("tcp://127.0.0.1:*");
            dish.join("g");
            dish.connect(ep);
            Await.until("the first RADIO to reach the DISH", () -> {
                first.send(Message.of("1").withGroup("g"));
                return dish.recv(SHORT) != null;
            });
            first.close();
            try (var second = ctx.socket(SocketType.RADIO)) {
                // The first RADIO's port is released asynchronously (bounded wait in close): bind once it is free.
                Await.until("the first RADIO's port to be free", () -> {
                    try {
                        second.bind(ep);
                        return true;
                    } catch (ZmqException e) {
                        return false;
                    }
                });
                Await.until("the DISH to rejoin on the new connection", () -> {
                    second.send(Message.of("2").withGroup("g"));
                    return dish.recv(SHORT) != null;
                });
            }
        }
    }

    @Test
    void groupsAreCheckedAsLibzmqDoes() {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH); var radio = ctx.socket(SocketType.RADIO)) {
            var tooLong = "g".repeat(256);
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> dish.join(tooLong)).error());
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> Message.of("x").withGroup(tooLong)).error());
            dish.join("g".repeat(255));
            dish.join("a");
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> dish.join("a")).error(), "joined twice");
            dish.leave("a");
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> dish.leave("a")).error(), "not joined");
            assertEquals(ZmqError.ENOTSUP, assertThrows(ZmqException.class, () -> radio.join("a")).error());
            assertEquals(ZmqError.ENOTSUP, assertThrows(ZmqException.class, () -> dish.send("x")).error());
            assertEquals(ZmqError.ENOTSUP, assertThrows(ZmqException.class, () -> radio.recv(Duration.ZERO)).error());
            assertEquals(0, dish.get(SocketOption.LINGER), "a DISH does not linger by default, as libzmq's dish.cpp");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void scatterRoundRobinsToGathers(String transport) {
        try (var ctx = new ZmqContext(); var scatter = ctx.socket(SocketType.SCATTER);
             var g1 = ctx.socket(SocketType.GATHER); var g2 = ctx.socket(SocketType.GATHER)) {
            var ep = scatter.bind(endpoint(transport, "scatter"));
            g1.connect(ep);
            g2.connect(ep);
            Await.until("both GATHERs attached", () -> scatter.statistics().connectedPeers() == 2);
            for (int i = 0; i < 10; i++) {
                scatter.send("job-" + i);
            }
            Set<String> seen = new HashSet<>();
            int fromFirst = 0;
            for (int i = 0; i < 5; i++) {
                assertTrue(seen.add(Await.recv(g1).frameString(0)));
                fromFirst++;
                assertTrue(seen.add(Await.recv(g2).frameString(0)));
            }
            assertEquals(5, fromFirst, "round-robin: half each");
            assertEquals(10, seen.size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void peersTalkByTheRoutingIdConnectPeerReturns(String transport) {
        try (var ctx = new ZmqContext(); var bound = ctx.socket(SocketType.PEER); var connecting = ctx.socket(SocketType.PEER)) {
            var ep = bound.bind(endpoint(transport, "peer"));
            int id = connecting.connectPeer(ep);
            assertNotEquals(0, id, "connectPeer returns the new peer's routing id");
            connecting.send(Message.of("hello").withRoutingId(id));
            var got = Await.recv(bound);
            assertEquals("hello", got.frameString(0));
            bound.send(Message.of("welcome").withRoutingId(got.routingId()));
            var back = Await.recv(connecting);
            assertEquals("welcome", back.frameString(0));
            assertEquals(id, back.routingId(), "the reply comes from the peer connectPeer named");
        }
    }

    @Test
    void connectPeerIsForPeersWithoutImmediate() {
        try (var ctx = new ZmqContext(); var peer = ctx.socket(SocketType.PEER); var server = ctx.socket(SocketType.SERVER)) {
            assertEquals(ZmqError.ENOTSUP, assertThrows(ZmqException.class, () -> server.connectPeer("tcp://127.0.0.1:1")).error());
            peer.set(SocketOption.IMMEDIATE, true);
            assertEquals(ZmqError.EFAULT, assertThrows(ZmqException.class, () -> peer.connectPeer("tcp://127.0.0.1:1")).error());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void channelIsASingleFramePair(String transport) {
        try (var ctx = new ZmqContext(); var a = ctx.socket(SocketType.CHANNEL); var b = ctx.socket(SocketType.CHANNEL)) {
            var ep = a.bind(endpoint(transport, "channel"));
            b.connect(ep);
            b.send("ping");
            assertEquals("ping", Await.recv(a).frameString(0));
            a.send("pong");
            assertEquals("pong", Await.recv(b).frameString(0));
        }
    }

    @Test
    void draftTypesOnlyTalkToTheirPeerTypes() {
        assertTrue(SocketType.CLIENT.isCompatibleWith(SocketType.SERVER));
        assertTrue(SocketType.DISH.isCompatibleWith(SocketType.RADIO));
        assertTrue(SocketType.GATHER.isCompatibleWith(SocketType.SCATTER));
        assertTrue(SocketType.PEER.isCompatibleWith(SocketType.PEER));
        assertTrue(SocketType.CHANNEL.isCompatibleWith(SocketType.CHANNEL));
        try (var ctx = new ZmqContext(); var server = ctx.socket(SocketType.SERVER); var dealer = ctx.socket(SocketType.DEALER)) {
            var ep = server.bind("inproc://incompatible");
            var e = assertThrows(ZmqException.class, () -> dealer.connect(ep));
            assertEquals(ZmqError.EINVAL, e.error());
        }
    }

    @Test
    void theRoutingIdAndGroupAreNotPartOfEquality() {
        var m = Message.of("x");
        assertEquals(m, m.withRoutingId(7).withGroup("g"));
        assertEquals(7, m.withRoutingId(7).routingId());
        assertEquals("g", m.withGroup("g").group());
        assertEquals("", m.group());
        assertEquals(0, m.routingId());
    }
}
