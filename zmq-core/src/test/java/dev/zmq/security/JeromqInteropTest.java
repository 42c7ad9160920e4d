package dev.zmq.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.zmq.Message;
import dev.zmq.SocketEvent.Type;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * CURVE and PLAIN against JeroMQ 0.6.0 in this JVM (its CURVE runs on jnacl, which JeroMQ brings),
 * both directions, with a ZAP handler on each side, accepting and refusing.
 */
@Timeout(90)
class JeromqInteropTest {
    private static final AtomicInteger MONITORS = new AtomicInteger();
    private static final int EVENT_HANDSHAKE_FAILED_AUTH = 0x4000;

    /**
     * A ZAP handler in the JeroMQ context: PLAIN alice/wonder, CURVE keys in {@code allowedKeys}.
     * Close it before the context: JeroMQ sockets belong to one thread, so the handler thread
     * closes its own socket (a context terminated under a blocked recv upsets JeroMQ's reaper).
     */
    private static AutoCloseable jeromqZapHandler(ZContext ctx, Set<String> allowedKeys) {
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var bound = new java.util.concurrent.CountDownLatch(1);
        var t = new Thread(() -> {
            var router = ctx.createSocket(org.zeromq.SocketType.ROUTER);
            router.setReceiveTimeOut(50);
            router.bind("inproc://zeromq.zap.01");
            bound.countDown();
            try {
                while (!stop.get()) {
                    var first = router.recv();
                    if (first == null) {
                        continue;
                    }
                    var frames = new java.util.ArrayList<byte[]>();
                    frames.add(first);
                    while (router.hasReceiveMore()) {
                        frames.add(router.recv());
                    }
                    // routing id, "", "1.0", request id, domain, address, identity, mechanism, credentials...
                    var mechanism = new String(frames.get(7), StandardCharsets.US_ASCII);
                    boolean ok;
                    String user;
                    if (mechanism.equals("PLAIN")) {
                        user = new String(frames.get(8), StandardCharsets.UTF_8);
                        ok = user.equals("alice") && new String(frames.get(9), StandardCharsets.UTF_8).equals("wonder");
                    } else {
                        user = Z85.encode(frames.get(8));
                        ok = allowedKeys.contains(user);
                    }
                    router.sendMore(frames.get(0));
                    router.sendMore(new byte[0]);
                    router.sendMore("1.0");
                    router.sendMore(frames.get(3));
                    router.sendMore(ok ? "200" : "400");
                    router.sendMore(ok ? "OK" : "denied");
                    router.sendMore(ok ? user : "");
                    router.send(new byte[0]);
                }
            } finally {
                ctx.destroySocket(router);
            }
        }, "jeromq-zap");
        t.setDaemon(true);
        t.start();
        try {
            bound.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return () -> {
            stop.set(true);
            t.join(5000);
        };
    }

    /**
     * Works around JeroMQ 0.6.0's connect hand-off race (see dev.zmq.interop.JeromqNudger, which
     * explains it): a few percent of its connections never send their greeting unless something
     * changes its poller's table, which binding a throw-away socket every 250 ms does.
     */
    private static AutoCloseable nudge(ZContext ctx) {
        var stop = new java.util.concurrent.CountDownLatch(1);
        var t = new Thread(() -> {
            try {
                while (!stop.await(250, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    var socket = ctx.createSocket(org.zeromq.SocketType.PAIR);
                    try {
                        socket.setLinger(0);
                        socket.bind("tcp://127.0.0.1:*");
                    } finally {
                        ctx.destroySocket(socket);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the context is closing
            }
        }, "jeromq-nudger");
        t.setDaemon(true);
        t.start();
        return () -> {
            stop.countDown();
            t.join(5000);
        };
    }

    /**
     * JeroMQ monitor events of {@code socket}, as (event, value) pairs. The reading thread owns its
     * PAIR socket, made from the raw context so that ZContext.close() does not close it from the
     * test's thread while this one is blocked in recv on it: JeroMQ's reaper would then read that
     * socket's mailbox alongside the blocked recv, and when the recv took the reaper's wake-up the
     * reaper blocked for good and ZContext.close() hung in Ctx.terminate (~1 run in 100 under load).
     * Terminating the context ends the blocked recv (ETERM: null) and the thread closes its socket.
     */
    private static List<int[]> jeromqEvents(ZContext ctx, ZMQ.Socket socket) {
        var events = new CopyOnWriteArrayList<int[]>();
        var address = "inproc://jeromq-monitor-" + MONITORS.incrementAndGet();
        socket.monitor(address, ZMQ.EVENT_ALL);
        var pair = ctx.getContext().socket(org.zeromq.SocketType.PAIR);
        pair.setLinger(0);
        pair.connect(address);
        var t = new Thread(() -> {
            try {
                for (var e = ZMQ.Event.recv(pair); e != null; e = ZMQ.Event.recv(pair)) {
                    events.add(new int[] {e.getEvent(), e.getValue() instanceof Integer i ? i : -1});
                }
            } catch (RuntimeException e) {
                // the context is terminating
            } finally {
                pair.close();
            }
        }, "jeromq-monitor");
        t.setDaemon(true);
        t.start();
        return events;
    }

    private static String describe(List<int[]> events) {
        return events.stream().map(e -> Integer.toHexString(e[0]) + ":" + e[1]).toList().toString();
    }

    private static long disconnections(List<int[]> events) {
        return events.stream().filter(e -> e[0] == ZMQ.EVENT_DISCONNECTED).count();
    }

    private static boolean sawAuthFailure(List<int[]> events, int status) {
        return events.stream().anyMatch(e -> e[0] == EVENT_HANDSHAKE_FAILED_AUTH && e[1] == status);
    }

    @Test
    void ourCurveClientAndJeromqServerBothOutcomes() throws Exception {
        var serverKeys = CurveKeyPair.generate();
        var allowed = CurveKeyPair.generate();
        var stranger = CurveKeyPair.generate();
        try (var jctx = new ZContext(); var nudger = nudge(jctx); var ctx = new ZmqContext();
             var zap = jeromqZapHandler(jctx, Set.of(allowed.publicKeyZ85()))) {
            var server = jctx.createSocket(org.zeromq.SocketType.ROUTER);
            server.setCurveServer(true);
            server.setCurveSecretKey(serverKeys.secretKey());
            var serverEvents = jeromqEvents(jctx, server);
            int port = server.bindToRandomPort("tcp://127.0.0.1");
            var endpoint = "tcp://127.0.0.1:" + port;
            try (var client = CurveTest.curveClient(ctx, SocketType.DEALER, allowed, serverKeys.publicKey());
                 var intruder = CurveTest.curveClient(ctx, SocketType.DEALER, stranger, serverKeys.publicKey())) {
                client.connect(endpoint);
                client.send(Message.of("hello", "world"));
                server.setReceiveTimeOut(10_000);
                var id = server.recv();
                assertEquals("hello", server.recvStr());
                assertEquals("world", server.recvStr());
                server.sendMore(id);
                server.send("pong");
                assertEquals("pong", Await.recv(client).frameString(0));

                var intruderEvents = Events.of(intruder);
                intruder.connect(endpoint);
                intruder.send("intrusion");
                assertEquals(400, intruderEvents.await(Type.HANDSHAKE_FAILED_AUTH).value());
                // JeroMQ 0.6.0's server monitor has no HANDSHAKE_FAILED_AUTH: a refused peer shows as
                // a connection accepted then DISCONNECTED, and nothing is delivered.
                Await.until("JeroMQ drops the refused client", () -> disconnections(serverEvents) > 0);
            }
        }
    }

    @Test
    void jeromqCurveClientAndOurServerBothOutcomes() throws Exception {
        var serverKeys = CurveKeyPair.generate();
        var allowed = CurveKeyPair.generate();
        var stranger = CurveKeyPair.generate();
        try (var jctx = new ZContext();
             var nudger = nudge(jctx);
             var ctx = new ZmqContext();
             var zap = new ZapAuthenticator().allowCurveKey(allowed.publicKey()).start(ctx);
             var server = CurveTest.curveServer(ctx, SocketType.ROUTER, serverKeys)) {
            var serverEvents = Events.of(server);
            var endpoint = server.bind("tcp://127.0.0.1:*");
            var client = jctx.createSocket(org.zeromq.SocketType.DEALER);
            client.setCurveServerKey(serverKeys.publicKey());
            client.setCurvePublicKey(allowed.publicKey());
            client.setCurveSecretKey(allowed.secretKey());
            client.connect(endpoint);
            var big = new byte[300_000];
            new java.util.Random(3).nextBytes(big);
            client.sendMore("hi");
            client.send(big);
            var request = server.recv(Await.SOON);
            org.junit.jupiter.api.Assertions.assertNotNull(request, () -> "nothing from JeroMQ; server events: " + serverEvents.all);
            assertEquals("hi", request.frameString(1));
            assertArrayEquals(big, request.frame(2));
            assertEquals(allowed.publicKeyZ85(), request.property("User-Id"));
            for (int i = 0; i < 20; i++) {
                server.send(Message.of(request.frame(0), ("r" + i).getBytes()));
            }
            client.setReceiveTimeOut(10_000);
            for (int i = 0; i < 20; i++) {
                assertEquals("r" + i, client.recvStr());
            }

            var intruder = jctx.createSocket(org.zeromq.SocketType.DEALER);
            intruder.setCurveServerKey(serverKeys.publicKey());
            intruder.setCurvePublicKey(stranger.publicKey());
            intruder.setCurveSecretKey(stranger.secretKey());
            var intruderEvents = jeromqEvents(jctx, intruder);
            intruder.connect(endpoint);
            intruder.send("intrusion");
            assertEquals(400, serverEvents.await(Type.HANDSHAKE_FAILED_AUTH).value());
            Await.until("JeroMQ's client reports the refusal", () -> sawAuthFailure(intruderEvents, 400));
            assertNull(server.recv(Await.QUIET));
        }
    }

    @Test
    void plainBothWays() throws Exception {
        try (var jctx = new ZContext(); var nudger = nudge(jctx); var ctx = new ZmqContext(); var zap = jeromqZapHandler(jctx, Set.of())) {
            var jserver = jctx.createSocket(org.zeromq.SocketType.ROUTER);
            jserver.setPlainServer(true);
            var jserverEvents = jeromqEvents(jctx, jserver);
            var jendpoint = "tcp://127.0.0.1:" + jserver.bindToRandomPort("tcp://127.0.0.1");
            try (var good = ctx.socket(SocketType.DEALER); var bad = ctx.socket(SocketType.DEALER)) {
                good.set(SocketOption.PLAIN_USERNAME, "alice");
                good.set(SocketOption.PLAIN_PASSWORD, "wonder");
                bad.set(SocketOption.PLAIN_USERNAME, "alice");
                bad.set(SocketOption.PLAIN_PASSWORD, "guess");
                bad.set(SocketOption.LINGER, 0);
                good.connect(jendpoint);
                good.send("hi");
                jserver.setReceiveTimeOut(10_000);
                jserver.recv();
                assertEquals("hi", jserver.recvStr());
                var badEvents = Events.of(bad);
                bad.connect(jendpoint);
                bad.send("hi");
                assertEquals(400, badEvents.await(Type.HANDSHAKE_FAILED_AUTH).value());
                Await.until("JeroMQ drops the refused client", () -> disconnections(jserverEvents) > 0);
            }
        }
        try (var jctx = new ZContext();
             var nudger = nudge(jctx);
             var jctx2 = new ZContext();
             var nudger2 = nudge(jctx2);
             var ctx = new ZmqContext();
             var zap = new ZapAuthenticator().addUser("bob", "builder").start(ctx);
             var server = ctx.socket(SocketType.ROUTER)) {
            server.set(SocketOption.PLAIN_SERVER, true);
            var events = Events.of(server);
            var endpoint = server.bind("tcp://127.0.0.1:*");
            var good = jctx.createSocket(org.zeromq.SocketType.DEALER);
            good.setPlainUsername("bob");
            good.setPlainPassword("builder");
            good.connect(endpoint);
            good.send("hello");
            var m = Await.recv(server);
            assertEquals("hello", m.frameString(1));
            assertEquals("bob", m.property("User-Id"));
            var bad = jctx2.createSocket(org.zeromq.SocketType.DEALER);
            bad.setPlainUsername("bob");
            bad.setPlainPassword("nope");
            bad.connect(endpoint);
            bad.send("hello");
            assertEquals(400, events.await(Type.HANDSHAKE_FAILED_AUTH).value());
        }
    }
}
