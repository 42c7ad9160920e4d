package dev.zmq.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import dev.zmq.SocketEvent.Type;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.Endpoints;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CURVE (RFC 25/26) between our own sockets. */
@Timeout(60)
class CurveTest {
    private final CurveKeyPair serverKeys = CurveKeyPair.generate();
    private final CurveKeyPair clientKeys = CurveKeyPair.generate();

    static ZmqSocket curveServer(ZmqContext ctx, SocketType type, CurveKeyPair keys) {
        var s = ctx.socket(type);
        s.set(SocketOption.CURVE_SERVER, true);
        s.set(SocketOption.CURVE_SECRETKEY, keys.secretKey());
        s.set(SocketOption.LINGER, 0);
        return s;
    }

    static ZmqSocket curveClient(ZmqContext ctx, SocketType type, CurveKeyPair keys, byte[] serverKey) {
        var s = ctx.socket(type);
        s.set(SocketOption.CURVE_SERVERKEY, serverKey);
        s.set(SocketOption.CURVE_PUBLICKEY, keys.publicKey());
        s.set(SocketOption.CURVE_SECRETKEY, keys.secretKey());
        s.set(SocketOption.LINGER, 0);
        return s;
    }

    @Test
    void encryptedRequestsAndRepliesBothWaysWithoutZapHandler() {
        try (var ctx = new ZmqContext();
             var server = curveServer(ctx, SocketType.ROUTER, serverKeys);
             var client = curveClient(ctx, SocketType.DEALER, clientKeys, serverKeys.publicKey())) {
            client.set(SocketOption.ROUTING_ID, "client-1".getBytes(StandardCharsets.US_ASCII));
            client.connect(server.bind("tcp://127.0.0.1:*"));
            var big = new byte[1 << 20];
            new Random(7).nextBytes(big);
            client.send(Message.of("hello".getBytes(StandardCharsets.US_ASCII), new byte[0], big));
            var request = Await.recv(server);
            assertEquals(4, request.size());
            assertEquals("client-1", request.frameString(0));
            assertEquals("hello", request.frameString(1));
            assertEquals(0, request.frame(2).length);
            assertArrayEquals(big, request.frame(3));
            assertEquals("DEALER", request.property("Socket-Type"));
            assertEquals("client-1", request.property("Identity"));
            assertNull(request.property("User-Id"), "no ZAP handler: nobody vouched for a user");

            for (int i = 0; i < 100; i++) {
                server.send(Message.of("client-1", "reply " + i));
            }
            for (int i = 0; i < 100; i++) {
                var reply = Await.recv(client);
                assertEquals("reply " + i, reply.frameString(0));
                assertEquals("ROUTER", reply.property("Socket-Type"));
            }
        }
    }

    /**
     * A stream of multi-frame messages of mixed sizes, so frames are sealed straight into the output
     * buffer, fall across its end (sealed on their own then) and exceed it, in every combination:
     * every message arrives whole, in order, with its frames intact.
     */
    @Test
    void streamOfMixedMessagesArrivesIntactAcrossOutputBuffers() {
        try (var ctx = new ZmqContext();
             var pull = curveServer(ctx, SocketType.PULL, serverKeys);
             var push = curveClient(ctx, SocketType.PUSH, clientKeys, serverKeys.publicKey())) {
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            var random = new Random(11);
            var sent = new java.util.ArrayList<Message>();
            for (int i = 0; i < 3000; i++) {
                int frames = 1 + random.nextInt(3);
                var parts = new byte[frames][];
                for (int f = 0; f < frames; f++) {
                    int size = random.nextInt(20) == 0 ? 60_000 + random.nextInt(20_000) : random.nextInt(300);
                    parts[f] = new byte[size];
                    random.nextBytes(parts[f]);
                }
                sent.add(Message.of(parts));
            }
            // More than both HWMs hold: sent from another thread while this one receives.
            var sender = java.util.concurrent.CompletableFuture.runAsync(() -> sent.forEach(push::send));
            for (var expected : sent) {
                var got = Await.recv(pull);
                assertEquals(expected.size(), got.size());
                for (int f = 0; f < expected.size(); f++) {
                    assertArrayEquals(expected.frame(f), got.frame(f));
                }
            }
            sender.join();
            assertNull(pull.recv(Await.QUIET), "nothing more than was sent");
        }
    }

    @Test
    void zapAuthenticatorAllowsListedKeysAndRefusesOthers() {
        var stranger = CurveKeyPair.generate();
        try (var ctx = new ZmqContext();
             var zap = new ZapAuthenticator().allowCurveKey(clientKeys.publicKeyZ85()).start(ctx);
             var server = curveServer(ctx, SocketType.PULL, serverKeys);
             var client = curveClient(ctx, SocketType.PUSH, clientKeys, serverKeys.publicKey());
             var intruder = curveClient(ctx, SocketType.PUSH, stranger, serverKeys.publicKey())) {
            var serverEvents = Events.of(server);
            var intruderEvents = Events.of(intruder);
            var endpoint = server.bind("tcp://127.0.0.1:*");
            intruder.connect(endpoint);
            intruder.send("intrusion");
            assertEquals(400, serverEvents.await(Type.HANDSHAKE_FAILED_AUTH).value());
            assertEquals(400, intruderEvents.await(Type.HANDSHAKE_FAILED_AUTH).value());

            client.connect(endpoint);
            client.send("welcome me");
            var m = Await.recv(server);
            assertEquals("welcome me", m.frameString(0));
            assertEquals(clientKeys.publicKeyZ85(), m.property("User-Id"));
            assertNull(server.recv(Await.QUIET), "nothing from the intruder");
        }
    }

    @Test
    void zapMetadataReachesTheApplication() {
        ZapHandler handler = request -> ZapReply.allow("alice", java.util.Map.of("Role", "admin", "User-Id", "spoofed?"));
        try (var ctx = new ZmqContext();
             var zap = ZapServer.start(ctx, handler);
             var server = curveServer(ctx, SocketType.PULL, serverKeys);
             var client = curveClient(ctx, SocketType.PUSH, clientKeys, serverKeys.publicKey())) {
            client.connect(server.bind("tcp://127.0.0.1:*"));
            client.send("x");
            var m = Await.recv(server);
            assertEquals("alice", m.property("User-Id"), "the ZAP user id wins over metadata of the same name");
            assertEquals("admin", m.property("Role"));
        }
    }

    @Test
    void wrongServerKeyFailsTheHandshakeWithACryptographicError() {
        var impostor = CurveKeyPair.generate();
        try (var ctx = new ZmqContext();
             var server = curveServer(ctx, SocketType.PULL, serverKeys);
             var client = curveClient(ctx, SocketType.PUSH, clientKeys, impostor.publicKey())) {
            var serverEvents = Events.of(server);
            var clientEvents = Events.of(client);
            client.connect(server.bind("tcp://127.0.0.1:*"));
            client.send("x");
            var failed = serverEvents.await(Type.HANDSHAKE_FAILED_PROTOCOL);
            assertEquals(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC, failed.value());
            assertTrue(failed.reason().contains("CURVE_SERVERKEY"), failed.reason());
            clientEvents.await(Type.HANDSHAKE_FAILED_NO_DETAIL);
            assertNull(server.recv(Await.QUIET));
        }
    }

    @Test
    void tamperedMessageDropsTheConnection() throws Exception {
        meddle(MitmRelay.Mode.TAMPER, SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC);
    }

    @Test
    void replayedMessageDropsTheConnection() throws Exception {
        meddle(MitmRelay.Mode.REPLAY, SocketEvent.ProtocolError.ZMTP_INVALID_SEQUENCE);
    }

    private void meddle(MitmRelay.Mode mode, int expectedCode) throws Exception {
        try (var ctx = new ZmqContext();
             var server = curveServer(ctx, SocketType.PULL, serverKeys);
             var client = curveClient(ctx, SocketType.PUSH, clientKeys, serverKeys.publicKey())) {
            var serverEvents = Events.of(server);
            var endpoint = server.bind("tcp://127.0.0.1:*");
            try (var relay = new MitmRelay(Endpoints.port(endpoint), mode)) {
                client.connect(relay.endpoint());
                client.send("first");
                var failed = serverEvents.await(Type.HANDSHAKE_FAILED_PROTOCOL);
                assertTrue(relay.meddled());
                assertEquals(expectedCode, failed.value(), failed.reason());
                serverEvents.await(Type.DISCONNECTED);
                if (mode == MitmRelay.Mode.REPLAY) {
                    assertEquals("first", Await.recv(server).frameString(0), "the original got through");
                }
                assertNull(server.recv(Await.QUIET), "no tampered or replayed message delivered");
            }
        }
    }

    @Test
    void publishSubscribeAndHeartbeatsTravelInsideMessages() {
        try (var ctx = new ZmqContext();
             var pub = curveServer(ctx, SocketType.PUB, serverKeys);
             var sub = curveClient(ctx, SocketType.SUB, clientKeys, serverKeys.publicKey())) {
            sub.set(SocketOption.HEARTBEAT_IVL, 50);
            sub.set(SocketOption.HEARTBEAT_TIMEOUT, 200);
            var subEvents = Events.of(sub);
            sub.subscribe("news");
            sub.connect(pub.bind("tcp://127.0.0.1:*"));
            subEvents.await(Type.HANDSHAKE_SUCCEEDED);
            var probes = new int[1];
            var lastReceived = new String[1];
            Await.until("the subscription reached the publisher", () -> {
                pub.send("news: subscribed " + ++probes[0]);
                pub.send("other: filtered");
                var probe = sub.recv(java.time.Duration.ofMillis(20));
                lastReceived[0] = probe == null ? null : probe.frameString(0);
                return probe != null;
            });
            // Probes sent after the first one that arrived may still be on their way (a slow machine):
            // take them all, up to the last one sent, before the silence.
            var lastSent = "news: subscribed " + probes[0];
            while (!lastSent.equals(lastReceived[0])) {
                lastReceived[0] = Await.recv(sub).frameString(0);
            }
            // Silence from the publisher for many heartbeat timeouts: only PONGs (inside MESSAGE
            // commands) answering the subscriber's PINGs keep the connection alive.
            assertNull(sub.recv(java.time.Duration.ofMillis(800)));
            assertEquals(0, subEvents.count(Type.DISCONNECTED), "heartbeats kept the connection alive: " + subEvents.all);
            pub.send("other: filtered");
            pub.send("news: still here");
            assertEquals("news: still here", Await.recv(sub).frameString(0), "only subscribed topics arrive");
        }
    }


    @Test
    void clientWithoutItsKeysFailsClearlyAtConnect() {
        try (var ctx = new ZmqContext(); var client = ctx.socket(SocketType.PUSH)) {
            client.set(SocketOption.CURVE_SERVERKEY, serverKeys.publicKey());
            var e = org.junit.jupiter.api.Assertions.assertThrows(ZmqException.class, () -> client.connect("tcp://127.0.0.1:5"));
            assertEquals(ZmqError.EINVAL, e.error());
            assertTrue(e.getMessage().contains("CURVE_PUBLICKEY"), e.getMessage());
            var bad = org.junit.jupiter.api.Assertions.assertThrows(ZmqException.class,
                    () -> client.set(SocketOption.CURVE_SECRETKEY, new byte[31]));
            assertTrue(bad.getMessage().contains("32-byte"), bad.getMessage());
        }
    }
}
