package dev.zmq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.testkit.Await;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ZmqSocket#statistics()}: every counter, against what the peers really did. */
@Timeout(60)
class SocketStatisticsTest {
    private static final String ANY = "tcp://127.0.0.1:*";
    private static final byte[] A = bytes("alpha");
    private static final byte[] B = bytes("bravo!");
    private static final byte[] C = new byte[0];

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ZmqSocket open(ZmqContext ctx, SocketType type) {
        var s = ctx.socket(type);
        s.set(SocketOption.LINGER, 0);
        return s;
    }

    @Test
    void aNewSocketCountsNothing() {
        try (var ctx = new ZmqContext(); var s = open(ctx, SocketType.DEALER)) {
            assertEquals(SocketStatistics.NONE, s.statistics());
        }
    }

    @Test
    void wholeMessagesAndFrameBytesAreCountedWhateverTheFramingCalls() {
        try (var ctx = new ZmqContext(); var push = open(ctx, SocketType.PUSH); var pull = open(ctx, SocketType.PULL)) {
            push.connect(pull.bind(ANY));
            Await.until("the PUSH to be connected", () -> push.statistics().connectedPeers() == 1);
            push.send(Message.of(A, B, C));          // 3 frames, 11 bytes
            push.sendMore(A);
            push.sendMore(B);
            push.send(C);                             // the same, frame at a time
            push.send("x");                          // 1 frame, 1 byte
            assertTrue(push.trySend(Message.of(B))); // 1 frame, 6 bytes
            var sent = push.statistics();
            assertEquals(4, sent.messagesSent());
            assertEquals(11 + 11 + 1 + 6, sent.bytesSent());

            assertEquals(3, Await.recv(pull).size());
            assertArrayEquals(A, pull.recvFrame());   // a whole message taken, counted once
            assertTrue(pull.hasMore());
            pull.recvFrame();
            pull.recvFrame();
            assertEquals("x", Await.recv(pull).frameString(0));
            Await.recv(pull);
            var received = pull.statistics();
            assertEquals(4, received.messagesReceived());
            assertEquals(sent.bytesSent(), received.bytesReceived());
            assertEquals(0, received.messagesSent());
            assertEquals(0, sent.messagesReceived());
            assertEquals(0, sent.messagesDropped());
            assertEquals(0, received.messagesDiscarded());
        }
    }

    @Test
    void timedOutAndRefusedSendsAreNotCounted() {
        try (var ctx = new ZmqContext(); var push = open(ctx, SocketType.PUSH); var router = open(ctx, SocketType.ROUTER)) {
            assertTrue(!push.trySend(Message.of(A)), "no peer: nothing can be queued");
            assertTrue(!push.send(Message.of(A), Duration.ofMillis(20)));
            assertEquals(0, push.statistics().messagesSent());

            router.set(SocketOption.ROUTER_MANDATORY, true);
            var e = assertThrows(ZmqException.class, () -> router.send(Message.of(bytes("nobody"), A)));
            assertEquals(ZmqError.EHOSTUNREACH, e.error());
            assertEquals(0, router.statistics().messagesSent());
            assertEquals(0, router.statistics().messagesDropped(), "a refused send is reported to the caller, not dropped");
        }
    }

    @Test
    void routerCountsUnroutableMessagesAsDropped() {
        try (var ctx = new ZmqContext(); var router = open(ctx, SocketType.ROUTER); var dealer = open(ctx, SocketType.DEALER)) {
            dealer.set(SocketOption.ROUTING_ID, bytes("d1"));
            dealer.connect(router.bind(ANY));
            router.send(Message.of(bytes("nobody"), A, B));
            var stats = router.statistics();
            assertEquals(1, stats.messagesSent());
            assertEquals(2 + 5 + 6 + 0, stats.bytesSent() - 4, "the routing-id frame counts as the application sent it");
            assertEquals(1, stats.messagesDropped());

            dealer.send(Message.of(A));
            var request = Await.recv(router);
            assertArrayEquals(bytes("d1"), request.first());
            router.send(Message.of(bytes("d1"), B));
            assertArrayEquals(B, Await.recv(dealer).first());
            stats = router.statistics();
            assertEquals(2, stats.messagesSent());
            assertEquals(1, stats.messagesDropped(), "a routable message is not dropped");
            assertEquals(1, stats.messagesReceived());
            assertEquals(2 + 5, stats.bytesReceived(), "received bytes include the routing id the ROUTER prepends");
        }
    }

    /** A subscriber that stops reading: the PUB drops at the HWM, and everything it did not drop arrives. */
    @Test
    void pubCountsDropsAtTheHighWaterMarkAndTheRestArrives() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var sub = open(ctx, SocketType.SUB)) {
            pub.set(SocketOption.SNDHWM, 10);
            pub.set(SocketOption.SNDBUF, 16 * 1024);
            sub.set(SocketOption.RCVHWM, 10);
            sub.set(SocketOption.RCVBUF, 16 * 1024);
            sub.subscribe("");
            sub.connect(pub.bind(ANY));
            awaitSubscribed(pub, sub);
            var pubBefore = pub.statistics();
            var subBefore = sub.statistics();

            int count = 50_000;
            var payload = new byte[100];
            for (int i = 0; i < count; i++) {
                pub.send(Message.of(A, payload)); // two frames, 105 bytes; PUB never blocks
            }
            var pubAfter = pub.statistics();
            assertEquals(count, pubAfter.messagesSent() - pubBefore.messagesSent());
            assertEquals(count * 105L, pubAfter.bytesSent() - pubBefore.bytesSent());
            long dropped = pubAfter.messagesDropped() - pubBefore.messagesDropped();
            assertTrue(dropped > 0, "a subscriber that does not read must lose messages at the HWM");
            assertTrue(dropped < count, "the queues and buffers hold some: " + dropped);

            long expected = count - dropped;
            Await.until("the subscriber to receive the " + expected + " messages not dropped", () -> {
                sub.recv(Duration.ofMillis(50));
                return sub.statistics().messagesReceived() - subBefore.messagesReceived() >= expected;
            });
            assertNull(sub.recv(Await.QUIET), "no more than the messages not dropped arrive");
            var subAfter = sub.statistics();
            assertEquals(expected, subAfter.messagesReceived() - subBefore.messagesReceived());
            assertEquals(expected * 105L, subAfter.bytesReceived() - subBefore.bytesReceived());
            assertEquals(0, subAfter.messagesDiscarded());
        }
    }

    /** One copy per subscriber that missed it; a message no one subscribed to is not a drop. */
    @Test
    void pubCountsOneDropPerSubscriberAtItsHighWaterMark() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB)) {
            pub.set(SocketOption.SNDHWM, 1);
            var endpoint = pub.bind("inproc://stats-pub-drops");
            try (var s1 = open(ctx, SocketType.SUB); var s2 = open(ctx, SocketType.SUB)) {
                s1.set(SocketOption.RCVHWM, 1);
                s2.set(SocketOption.RCVHWM, 1);
                // Each syncs on a topic of its own (sent after "t"), so the other gets no probes.
                s1.subscribe("t");
                s1.subscribe("v");
                s2.subscribe("t");
                s2.subscribe("u");
                s1.connect(endpoint);
                s2.connect(endpoint);
                awaitSubscribed(pub, s1, "v");
                awaitSubscribed(pub, s2, "u");
                var unmatched = pub.statistics();
                pub.send(Message.of(bytes("nobody listens to this")));
                var before = pub.statistics();
                assertEquals(unmatched.messagesSent() + 1, before.messagesSent());
                assertEquals(unmatched.messagesDropped(), before.messagesDropped(), "a message nobody subscribed to is not a drop");
                long receivedBefore = s1.statistics().messagesReceived() + s2.statistics().messagesReceived();
                int count = 1000;
                for (int i = 0; i < count; i++) {
                    pub.send(Message.of(bytes("t" + i)));
                }
                long dropped = pub.statistics().messagesDropped() - before.messagesDropped();
                assertTrue(dropped > count, "two subscribers that do not read each miss most of the messages: " + dropped);
                long expected = 2L * count - dropped;
                Await.until("the subscribers to receive every copy not dropped", () -> {
                    s1.recv(Duration.ofMillis(5));
                    s2.recv(Duration.ofMillis(5));
                    return s1.statistics().messagesReceived() + s2.statistics().messagesReceived() - receivedBefore >= expected;
                });
                assertNull(s1.recv(Await.QUIET));
                assertNull(s2.recv(Duration.ZERO));
                assertEquals(expected, s1.statistics().messagesReceived() + s2.statistics().messagesReceived() - receivedBefore,
                        "every copy is either received or counted as dropped, once");
            }
        }
    }

    @Test
    void repCountsMalformedRequestsAsDiscardedAndRepliesToGonePeersAsDropped() {
        try (var ctx = new ZmqContext(); var rep = open(ctx, SocketType.REP)) {
            var endpoint = rep.bind(ANY);
            try (var dealer = open(ctx, SocketType.DEALER)) {
                dealer.connect(endpoint);
                dealer.send(Message.of(bytes("no delimiter")));
                dealer.send(Message.of(C, bytes("request")));
                assertEquals("request", Await.recv(rep).frameString(0));
                var stats = rep.statistics();
                assertEquals(1, stats.messagesDiscarded());
                assertEquals(1, stats.messagesReceived());
                assertEquals(7, stats.bytesReceived(), "the envelope the REP strips is not counted");
                Await.until("the DEALER to be connected as seen by the REP", () -> rep.statistics().connectedPeers() == 1);
            }
            // The requester closed: its reply has nowhere to go.
            Await.until("the REP to see the requester leave", () -> rep.statistics().connectedPeers() == 0);
            rep.send("reply");
            var stats = rep.statistics();
            assertEquals(1, stats.messagesSent());
            assertEquals(1, stats.messagesDropped());
            assertEquals(1, stats.disconnects());
        }
    }

    @Test
    void conflateCountsReplacedMessagesOnBothSides() {
        try (var ctx = new ZmqContext(); var push = open(ctx, SocketType.PUSH)) {
            push.set(SocketOption.CONFLATE, true);
            push.connect("tcp://127.0.0.1:1"); // never answers: the pipe exists, its message waits
            push.send("first");
            push.send("second");
            push.send("third");
            var stats = push.statistics();
            assertEquals(3, stats.messagesSent());
            assertEquals(2, stats.messagesDropped(), "each newer message replaced the queued one");
            assertEquals(1, stats.messagesQueued());
            assertEquals(0, stats.connectedPeers());
        }
    }

    @Test
    void connectionCountersFollowPeersRetriesAndFailedHandshakes() throws Exception {
        try (var ctx = new ZmqContext(); var pull = open(ctx, SocketType.PULL)) {
            var endpoint = pull.bind(ANY);
            try (var push = open(ctx, SocketType.PUSH)) {
                push.connect(endpoint);
                Await.until("both ends to count one connected peer",
                        () -> pull.statistics().connectedPeers() == 1 && push.statistics().connectedPeers() == 1);
            }
            Await.until("the PULL to see its peer leave",
                    () -> pull.statistics().connectedPeers() == 0 && pull.statistics().disconnects() == 1);

            // A peer that greets with a mechanism the PULL does not use (PLAIN against NULL) fails the handshake.
            var address = URI.create(endpoint.replace("tcp://", "http://"));
            try (var raw = new Socket()) {
                raw.connect(new InetSocketAddress(address.getHost(), address.getPort()), 5_000);
                OutputStream out = raw.getOutputStream();
                out.write(plainGreeting());
                out.flush();
                Await.until("the failed handshake to be counted", () -> pull.statistics().handshakeFailures() == 1);
            }
            assertEquals(0, pull.statistics().connectedPeers());

            // Nobody at the other end any more: the connecting side retries.
            pull.unbind(endpoint);
            try (var dealer = open(ctx, SocketType.DEALER)) {
                dealer.set(SocketOption.RECONNECT_IVL, 10);
                dealer.connect(endpoint);
                Await.until("connection retries to be counted", () -> dealer.statistics().connectRetries() >= 2);
                assertTrue(dealer.trySend(Message.of(A)), "without IMMEDIATE a message waits for the peer");
                assertEquals(1, dealer.statistics().messagesQueued());
                assertEquals(0, dealer.statistics().connectedPeers());
            }
        }
    }

    @Test
    void statisticsStayReadableAfterClose() {
        try (var ctx = new ZmqContext()) {
            var push = open(ctx, SocketType.PUSH);
            var pull = open(ctx, SocketType.PULL);
            push.connect(pull.bind("inproc://stats-after-close"));
            push.send("one");
            Await.recv(pull);
            assertEquals(1, push.statistics().connectedPeers());
            push.close();
            pull.close();
            assertEquals(1, push.statistics().messagesSent());
            assertEquals(1, pull.statistics().messagesReceived());
            assertEquals(0, push.statistics().connectedPeers(), "a closed socket has no peers");
            assertEquals(0, push.statistics().messagesQueued());
        }
    }

    @Test
    void statisticsAddUpFieldByField() {
        var a = new SocketStatistics(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
        var b = new SocketStatistics(10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130);
        assertEquals(new SocketStatistics(11, 22, 33, 44, 55, 66, 77, 88, 99, 110, 121, 132, 143), a.plus(b));
        assertEquals(a, SocketStatistics.NONE.plus(a));
    }

    /** Counts agree with what a JeroMQ peer really sent and received (JeroMQ binds: its connecting sockets may stall). */
    @Test
    void countsMatchWhatAJeromqPeerSentAndReceived() {
        int count = 500;
        try (var ctx = new ZmqContext(); var jctx = new org.zeromq.ZContext();
             var push = open(ctx, SocketType.PUSH); var pull = open(ctx, SocketType.PULL)) {
            var jpull = jctx.createSocket(org.zeromq.SocketType.PULL);
            int pullPort = jpull.bindToRandomPort("tcp://127.0.0.1");
            var jpush = jctx.createSocket(org.zeromq.SocketType.PUSH);
            int pushPort = jpush.bindToRandomPort("tcp://127.0.0.1");
            jpull.setReceiveTimeOut(10_000);
            push.connect("tcp://127.0.0.1:" + pullPort);
            pull.connect("tcp://127.0.0.1:" + pushPort);

            for (int i = 0; i < count; i++) {
                push.send(Message.of(bytes("k" + i), new byte[i % 50]));
            }
            long jeromqMessages = 0;
            long jeromqBytes = 0;
            while (jeromqMessages < count) {
                var m = org.zeromq.ZMsg.recvMsg(jpull);
                assertTrue(m != null, "JeroMQ received only " + jeromqMessages + " messages");
                jeromqMessages++;
                jeromqBytes += m.contentSize();
            }
            assertEquals(jeromqMessages, push.statistics().messagesSent());
            assertEquals(jeromqBytes, push.statistics().bytesSent());

            long jeromqSentBytes = 0;
            for (int i = 0; i < count; i++) {
                var m = new org.zeromq.ZMsg();
                m.add("frame-" + i);
                m.add(new byte[i % 7]);
                m.add("last");
                jeromqSentBytes += m.contentSize();
                assertTrue(m.send(jpush));
            }
            for (int i = 0; i < count; i++) {
                assertEquals(3, Await.recv(pull).size());
            }
            assertEquals(count, pull.statistics().messagesReceived());
            assertEquals(jeromqSentBytes, pull.statistics().bytesReceived());
            assertEquals(1, push.statistics().connectedPeers());
            assertEquals(1, pull.statistics().connectedPeers());
        }
    }

    /** Probes until the subscription reached the publisher, then waits out the probes in flight. */
    private static void awaitSubscribed(ZmqSocket pub, ZmqSocket sub) {
        awaitSubscribed(pub, sub, "");
    }

    /** Probes with topic-prefixed messages until {@code sub} gets one, then reads up to a fence; other subscribers of the topic read nothing meanwhile except these. */
    private static void awaitSubscribed(ZmqSocket pub, ZmqSocket sub, String topic) {
        var tag = topic + "-" + System.identityHashCode(sub);
        Await.until("the subscription to reach the publisher", () -> {
            pub.send(Message.of(bytes(tag + "-probe")));
            return sub.recv(Duration.ofMillis(20)) != null;
        });
        pub.send(Message.of(bytes(tag + "-fence")));
        Await.until("the fence after the probes", () -> {
            var m = sub.recv(Duration.ofMillis(20));
            return m != null && m.frameString(0).equals(tag + "-fence");
        });
    }

    /** A ZMTP 3.0 greeting announcing PLAIN as a client. */
    private static byte[] plainGreeting() {
        var g = new byte[64];
        g[0] = (byte) 0xFF;
        g[9] = 0x7F;
        g[10] = 3;
        var mechanism = bytes("PLAIN");
        System.arraycopy(mechanism, 0, g, 12, mechanism.length);
        return g;
    }
}
