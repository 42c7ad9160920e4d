package dev.zmq.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.FairQueue;
import dev.zmq.testkit.Link;
import dev.zmq.testkit.RoundRobin;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DEALER and ROUTER (RFC 28): routing out, fair queueing in, identities. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DealerRouterTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dealerRoundRobinsOutgoingMessagesAcrossPeers() {
        try (var ctx = new ZmqContext()) {
            RoundRobin.check(ctx, SocketType.DEALER, SocketType.DEALER, 3, 4);
        }
    }

    @Test
    void dealerFairQueuesIncomingMessages() throws InterruptedException {
        try (var ctx = new ZmqContext()) {
            FairQueue.check(ctx, SocketType.DEALER, SocketType.DEALER, 3, 240);
        }
    }

    @Test
    void routerUsesThePeersChosenRoutingId() {
        try (var ctx = new ZmqContext();
             var link = Link.of(ctx, SocketType.ROUTER, r -> r.set(SocketOption.ROUTER_MANDATORY, true),
                     SocketType.DEALER, d -> d.set(SocketOption.ROUTING_ID, utf8("alice")))) {
            var router = link.bound();
            var alice = link.connected();
            // The id is known from the handshake: the router can address alice before she says anything.
            Await.until("the ROUTER to accept a message for 'alice'", () -> {
                try {
                    router.send(Message.of("alice", "hi"));
                    return true;
                } catch (ZmqException e) {
                    assertEquals(ZmqError.EHOSTUNREACH, e.error());
                    return false;
                }
            });
            assertEquals(Message.of("hi"), Await.recv(alice));
            alice.send(Message.of("yo", "there"));
            assertEquals(Message.of("alice", "yo", "there"), Await.recv(router));
        }
    }

    @Test
    void routerGeneratesFiveByteIdsForAnonymousPeersAndRoutesRepliesWithThem() {
        try (var ctx = new ZmqContext(); var router = ctx.socket(SocketType.ROUTER);
             var d1 = ctx.socket(SocketType.DEALER); var d2 = ctx.socket(SocketType.DEALER)) {
            var endpoint = router.bind("tcp://127.0.0.1:*");
            d1.connect(endpoint);
            d2.connect(endpoint);
            d1.send("from-d1");
            d2.send("from-d2");
            byte[] id1 = null;
            byte[] id2 = null;
            for (int i = 0; i < 2; i++) {
                var m = Await.recv(router);
                assertEquals(2, m.size(), () -> "expected [id, body], got " + m);
                var id = m.frame(0);
                assertEquals(5, id.length, () -> "generated id should be 5 bytes, got " + Arrays.toString(id));
                assertEquals(0, id[0], () -> "generated id should start with 0x00, got " + Arrays.toString(id));
                switch (m.frameString(1)) {
                    case "from-d1" -> id1 = id;
                    case "from-d2" -> id2 = id;
                    default -> throw new AssertionError("unexpected " + m);
                }
            }
            assertFalse(Arrays.equals(id1, id2), "two peers got the same id");
            router.send(Message.of(id2, utf8("to-d2")));
            router.send(Message.of(id1, utf8("to-d1"), utf8("second frame")));
            assertEquals(Message.of("to-d1", "second frame"), Await.recv(d1));
            assertEquals(Message.of("to-d2"), Await.recv(d2));
        }
    }

    @Test
    void routerMandatoryRaisesHostUnreachableForAnUnknownId() {
        try (var ctx = new ZmqContext(); var router = ctx.socket(SocketType.ROUTER)) {
            router.set(SocketOption.ROUTER_MANDATORY, true);
            router.bind("tcp://127.0.0.1:*");
            var e = assertThrows(ZmqException.class, () -> router.send(Message.of("nobody", "x")));
            assertEquals(ZmqError.EHOSTUNREACH, e.error());
        }
    }

    @Test
    void routerWithoutMandatoryDropsUnroutableMessagesSilently() {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.ROUTER, SocketType.DEALER)) {
            var router = link.bound();
            var dealer = link.connected();
            dealer.send("hello");
            var id = Await.recv(router).frame(0);
            router.send(Message.of("nobody", "lost")); // no exception
            router.send(Message.of(id, utf8("found")));
            assertEquals(Message.of("found"), Await.recv(dealer));
            assertNull(dealer.recv(Await.QUIET));
        }
    }

    @Test
    void dealerToDealerIsPlainAsynchronousMessaging() {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.DEALER, SocketType.DEALER)) {
            for (int i = 0; i < 5; i++) {
                link.connected().send("c" + i);
                link.bound().send("b" + i);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(Message.of("c" + i), Await.recv(link.bound()));
                assertEquals(Message.of("b" + i), Await.recv(link.connected()));
            }
        }
    }

    @Test
    void routerToRouterWithChosenIds() {
        try (var ctx = new ZmqContext();
             var link = Link.of(ctx, SocketType.ROUTER, r -> r.set(SocketOption.ROUTING_ID, utf8("server")),
                     SocketType.ROUTER, r -> {
                         r.set(SocketOption.ROUTING_ID, utf8("client"));
                         r.set(SocketOption.ROUTER_MANDATORY, true);
                     })) {
            var server = link.bound();
            var client = link.connected();
            Await.until("the client ROUTER to know 'server'", () -> {
                try {
                    client.send(Message.of("server", "ping"));
                    return true;
                } catch (ZmqException e) {
                    assertEquals(ZmqError.EHOSTUNREACH, e.error());
                    return false;
                }
            });
            var m = Await.recv(server);
            assertArrayEquals(utf8("client"), m.frame(0));
            assertEquals("ping", m.frameString(1));
            server.send(Message.of("client", "pong"));
            assertEquals(Message.of("server", "pong"), Await.recv(client));
        }
    }
}
