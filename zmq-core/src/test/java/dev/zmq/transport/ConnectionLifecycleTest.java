package dev.zmq.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.Endpoints;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections over time: unbind, disconnect, connecting before the peer binds, reconnecting,
 * IMMEDIATE. Senders that may keep messages for unreachable peers use LINGER 0 so that closing
 * the context is not what these tests measure.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionLifecycleTest {

    private static ZmqSocket pushTo(ZmqContext ctx, int reconnectIvl) {
        var push = ctx.socket(SocketType.PUSH);
        push.set(SocketOption.LINGER, 0);
        push.set(SocketOption.RECONNECT_IVL, reconnectIvl);
        return push;
    }

    /** Binds {@code endpoint}, retrying while a just-closed socket still holds the port. */
    private static void bindWhenFree(ZmqSocket socket, String endpoint) {
        Await.until("to bind " + endpoint + " again", () -> {
            try {
                assertEquals(endpoint, socket.bind(endpoint));
                return true;
            } catch (ZmqException e) {
                assertEquals(ZmqError.EADDRINUSE, e.error(), e::toString);
                return false;
            }
        });
    }

    @Test
    void unbindStopsAcceptingAndClosesItsConnections() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL);
             var early = pushTo(ctx, 20); var late = pushTo(ctx, 20)) {
            var endpoint = pull.bind("tcp://127.0.0.1:*");
            early.connect(endpoint);
            early.send("before");
            assertEquals(Message.of("before"), Await.recv(pull));

            pull.unbind(endpoint);
            late.connect(endpoint);
            late.send("new connection after unbind");
            early.send("old connection after unbind");
            assertNull(pull.recv(Duration.ofMillis(500)), "a message got through an unbound endpoint");
        }
    }

    @Test
    void disconnectStopsSendingToThatPeer() {
        try (var ctx = new ZmqContext(); var push = pushTo(ctx, 100);
             var a = ctx.socket(SocketType.PULL); var b = ctx.socket(SocketType.PULL)) {
            var ea = a.bind("tcp://127.0.0.1:*");
            var eb = b.bind("tcp://127.0.0.1:*");
            push.connect(ea);
            push.connect(eb);
            push.send("w1");
            push.send("w2");
            assertTrue(Await.recv(a).frameString(0).startsWith("w"));
            assertTrue(Await.recv(b).frameString(0).startsWith("w"));

            push.disconnect(ea);
            for (int i = 0; i < 10; i++) {
                push.send("m" + i);
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(Message.of("m" + i), Await.recv(b));
            }
            assertNull(a.recv(Await.QUIET), "a disconnected peer still received messages");
        }
    }

    @Test
    void connectingBeforeThePeerBindsQueuesUpToHwmAndDeliversOnceItBinds() {
        try (var ctx = new ZmqContext(); var push = pushTo(ctx, 20); var pull = ctx.socket(SocketType.PULL)) {
            // Reserve a port: bind on *, note the real endpoint, release it.
            String endpoint;
            try (var reserve = ctx.socket(SocketType.PULL)) {
                endpoint = reserve.bind("tcp://127.0.0.1:*");
                reserve.unbind(endpoint);
            }
            push.set(SocketOption.SNDHWM, 3);
            push.connect(endpoint);
            assertTrue(push.trySend(Message.of("early-0")));
            assertTrue(push.trySend(Message.of("early-1")));
            push.send(Message.of("early-2", "two frames"));
            assertFalse(push.trySend(Message.of("over the HWM")), "queueing to a connecting peer stops at SNDHWM");

            bindWhenFree(pull, endpoint);
            assertEquals(Message.of("early-0"), Await.recv(pull));
            assertEquals(Message.of("early-1"), Await.recv(pull));
            assertEquals(Message.of("early-2", "two frames"), Await.recv(pull));
            push.send("live");
            assertEquals(Message.of("live"), Await.recv(pull));
        }
    }

    @Test
    void reconnectsAfterThePeerGoesAwayAndComesBack() {
        try (var ctx = new ZmqContext(); var push = pushTo(ctx, 20)) {
            String endpoint;
            try (var first = ctx.socket(SocketType.PULL)) {
                endpoint = first.bind("tcp://127.0.0.1:*");
                push.connect(endpoint);
                push.send("to-first");
                assertEquals(Message.of("to-first"), Await.recv(first));
            }
            try (var second = ctx.socket(SocketType.PULL)) {
                bindWhenFree(second, endpoint);
                // Until the PUSH notices the first peer has gone, what it sends may be written to the
                // dead connection and lost. Offer numbered messages until one arrives at the new peer.
                int[] offered = {0};
                Await.until("a message to arrive at the restarted peer", () -> {
                    push.send("offer-" + offered[0]++);
                    return second.recv(Duration.ofMillis(100)) != null;
                });
                push.send("and-more");
                Await.until("'and-more' to arrive in order after the offers", () -> {
                    var m = Await.recv(second);
                    return m.equals(Message.of("and-more"));
                });
            }
        }
    }

    @Test
    void aRelaxedReqRetriesItsRequestWithARestartedRep() {
        try (var ctx = new ZmqContext(); var req = ctx.socket(SocketType.REQ)) {
            req.set(SocketOption.RECONNECT_IVL, 20);
            req.set(SocketOption.LINGER, 0);
            req.set(SocketOption.REQ_RELAXED, true);
            req.set(SocketOption.REQ_CORRELATE, true);
            String endpoint;
            try (var rep = ctx.socket(SocketType.REP)) {
                endpoint = rep.bind("tcp://127.0.0.1:*");
                req.connect(endpoint);
                req.send("one");
                assertEquals(Message.of("one"), Await.recv(rep));
                rep.send("ok-one");
                assertEquals(Message.of("ok-one"), Await.recv(req));
            }
            try (var rep = ctx.socket(SocketType.REP)) {
                bindWhenFree(rep, endpoint);
                // The lazy-pirate pattern: a request lost with the old connection is sent again.
                Message[] reply = {null};
                Await.until("a reply from the restarted REP", () -> {
                    req.send("two");
                    // answer every copy that made it, so the latest (the only one REQ accepts) is answered
                    for (var r = rep.recv(Duration.ofMillis(100)); r != null; r = rep.recv(Duration.ofMillis(20))) {
                        assertEquals(Message.of("two"), r);
                        rep.send("ok-two");
                    }
                    reply[0] = req.recv(Duration.ofMillis(200));
                    return reply[0] != null;
                });
                assertEquals(Message.of("ok-two"), reply[0]);
            }
        }
    }

    @Test
    void immediateDoesNotQueueToAConnectingPeer() {
        try (var ctx = new ZmqContext(); var push = pushTo(ctx, 20)) {
            push.set(SocketOption.IMMEDIATE, true);
            push.connect(Endpoints.unused());
            assertFalse(push.trySend(Message.of("x")), "IMMEDIATE: no completed connection, nowhere to queue");
            push.set(SocketOption.SNDTIMEO, 100);
            assertEquals(ZmqError.EAGAIN, assertThrows(ZmqException.class, () -> push.send("y")).error());
        }
    }

    @Test
    void immediateSendsOnlyToCompletedConnections() {
        try (var ctx = new ZmqContext(); var push = pushTo(ctx, 20);
             var live = ctx.socket(SocketType.PULL); var late = ctx.socket(SocketType.PULL)) {
            push.set(SocketOption.IMMEDIATE, true);
            var liveEndpoint = live.bind("tcp://127.0.0.1:*");
            var lateEndpoint = Endpoints.unused();
            push.connect(lateEndpoint);
            push.connect(liveEndpoint);
            Await.until("the live connection to accept a message", () -> push.trySend(Message.of("m0")));
            for (int i = 1; i < 6; i++) {
                push.send("m" + i);
            }
            for (int i = 0; i < 6; i++) {
                assertEquals(Message.of("m" + i), Await.recv(live), "with IMMEDIATE every message goes to the only live peer");
            }
            bindWhenFree(late, lateEndpoint);
            assertNull(late.recv(Await.QUIET), "nothing was queued for the peer that was not connected");
        }
    }

    @Test
    void withoutImmediateMessagesAreQueuedForTheConnectingPeerToo() {
        try (var ctx = new ZmqContext(); var push = pushTo(ctx, 20);
             var live = ctx.socket(SocketType.PULL); var late = ctx.socket(SocketType.PULL)) {
            var liveEndpoint = live.bind("tcp://127.0.0.1:*");
            var lateEndpoint = Endpoints.unused();
            push.connect(liveEndpoint);
            push.connect(lateEndpoint);
            for (int i = 0; i < 6; i++) {
                push.send("m" + i);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(Message.of("m" + 2 * i), Await.recv(live), "round robin over both pipes, connected or not");
            }
            assertNull(live.recv(Await.QUIET));
            bindWhenFree(late, lateEndpoint);
            for (int i = 0; i < 3; i++) {
                assertEquals(Message.of("m" + (2 * i + 1)), Await.recv(late), "queued messages delivered once the peer binds");
            }
        }
    }
}
