package dev.zmq.pubsub;

import static dev.zmq.pubsub.PubSubTesting.ANY;
import static dev.zmq.pubsub.PubSubTesting.DEADLINE;
import static dev.zmq.pubsub.PubSubTesting.awaitCondition;
import static dev.zmq.pubsub.PubSubTesting.awaitSubscribed;
import static dev.zmq.pubsub.PubSubTesting.bytes;
import static dev.zmq.pubsub.PubSubTesting.recv;
import static dev.zmq.pubsub.PubSubTesting.recvUntil;
import static dev.zmq.pubsub.PubSubTesting.subscription;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Publish-subscribe against JeroMQ 0.6 (ZMTP 3.0: subscriptions as {@code 0x01}/{@code 0x00}
 * messages) and libzmq 4.3.4 through pyzmq (ZMTP 3.1: SUBSCRIBE/CANCEL commands), in both
 * directions and with either side bound.
 */
@Timeout(60)
class InteropTest {

    enum Peer {
        JEROMQ(JeromqPeer::new),
        LIBZMQ(PyzmqPeer::new);

        private final Supplier<InteropPeer> factory;

        Peer(Supplier<InteropPeer> factory) {
            this.factory = factory;
        }

        InteropPeer start() {
            return factory.get();
        }
    }

    static Stream<Arguments> peersAndSides() {
        var args = new ArrayList<Arguments>();
        for (var peer : Peer.values()) {
            args.add(Arguments.of(peer, true));
            args.add(Arguments.of(peer, false));
        }
        return args.stream();
    }

    /**
     * Our socket, LINGER 0. Facing JeroMQ, also HANDSHAKE_IVL 1 s: a connecting JeroMQ 0.6.0 socket
     * sometimes never gets its selector registration (jeromq PR #1022) and stalls. JeroMQ's own
     * handshake timer (1 s, see {@link JeromqPeer}) normally ends such a connection, as long as it
     * has not parsed our whole greeting (our greeting is staged as libzmq's, so it has not); ours
     * ends it too in case it did, so JeroMQ reconnects within the test's deadline either way.
     */
    private static ZmqSocket ours(ZmqContext ctx, SocketType type, Peer peer) {
        var s = PubSubTesting.open(ctx, type);
        if (peer == Peer.JEROMQ) {
            s.set(SocketOption.HANDSHAKE_IVL, 1000);
        }
        return s;
    }

    /** Connects our socket and theirs, with {@code weBind} choosing who binds. */
    private static void link(ZmqSocket ours, InteropPeer.Socket theirs, boolean weBind) {
        if (weBind) {
            theirs.connect(ours.bind(ANY));
        } else {
            ours.connect(theirs.bind(ANY));
        }
    }

    /**
     * The next message on our XPUB. A bound libzmq or JeroMQ SUB attaches an incoming connection,
     * and so sends its subscriptions, only while its application calls into the socket (libzmq
     * #2267): keep their SUB busy receiving meanwhile.
     */
    private static Message recvPollingTheirSub(ZmqSocket xpub, InteropPeer.Socket theirSub) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            var m = xpub.recv(PubSubTesting.PROBE_WAIT);
            if (m != null) {
                return m;
            }
            var unexpected = theirSub.recv(Duration.ofMillis(1));
            assertEquals(null, unexpected, "nothing was published, yet their SUB received something");
        }
        throw new AssertionError("no subscription reached our XPUB within " + DEADLINE);
    }

    private static List<String> strings(List<Message> messages) {
        return messages.stream().map(PubSubTesting::joined).toList();
    }

    private static final List<Message> MIXED = List.of(
            Message.of("A1"), Message.of("B1"), Message.of("BB1"), Message.of("BBB"), Message.of("C"),
            Message.of(new byte[0]), Message.of("A2", "x", "y"), Message.of("X", "A-second-frame"),
            Message.of(bytes(0x41, 0x00, 0xFF)), Message.of("ABBA", ""));
    private static final List<String> MIXED_MATCHING_A_BB = List.of("A1", "BB1", "BBB", "A2|x|y",
            new String(bytes(0x41, 0x00, 0xFF), java.nio.charset.StandardCharsets.UTF_8), "ABBA|");

    @ParameterizedTest(name = "{0}, we bind: {1}")
    @MethodSource("peersAndSides")
    void ourPubToTheirSub(Peer peer, boolean weBind) {
        try (var ctx = new ZmqContext(); var pub = ours(ctx, SocketType.PUB, peer); var them = peer.start()) {
            var sub = them.socket("SUB");
            sub.subscribe(bytes("A"));
            sub.subscribe(bytes("BB"));
            link(pub, sub, weBind);
            awaitSubscribed(pub::send, sub::recv, "BB"); // subscribed after A: both are in place

            MIXED.forEach(pub::send);
            pub.send("A.end");
            var got = sub.recvMany(MIXED_MATCHING_A_BB.size() + 1, DEADLINE);
            var expected = new ArrayList<>(MIXED_MATCHING_A_BB);
            expected.add("A.end");
            assertEquals(expected, strings(got), "what " + them + " received from our PUB");

            sub.unsubscribe(bytes("A"));
            sub.subscribe(bytes("S")); // after the unsubscription on the same connection
            awaitSubscribed(pub::send, sub::recv, "S");
            pub.send("A3");
            pub.send("BB2");
            pub.send("S.end");
            assertEquals(List.of("BB2", "S.end"), strings(sub.recvMany(2, DEADLINE)));
        }
    }

    @ParameterizedTest(name = "{0}, we bind: {1}")
    @MethodSource("peersAndSides")
    void theirPubToOurSub(Peer peer, boolean weBind) {
        try (var ctx = new ZmqContext(); var sub = ours(ctx, SocketType.SUB, peer); var them = peer.start()) {
            var pub = them.socket("PUB");
            sub.subscribe("A");
            sub.subscribe("BB");
            link(sub, pub, weBind);
            awaitSubscribed(t -> pub.send(t), sub::recv, "BB");

            for (var m : MIXED) {
                pub.send(m.frames().toArray(byte[][]::new));
            }
            pub.send(bytes("A.end"));
            assertEquals(MIXED_MATCHING_A_BB, recvUntil(sub, "A.end"), "what our SUB received from " + them);

            sub.unsubscribe("A");
            sub.subscribe("S");
            awaitSubscribed(t -> pub.send(t), sub::recv, "S");
            pub.send(bytes("A3"));
            pub.send(bytes("BB2"));
            pub.send(bytes("S.end"));
            assertEquals(List.of("BB2"), recvUntil(sub, "S.end"));
        }
    }

    @ParameterizedTest(name = "{0}, we bind: {1}")
    @MethodSource("peersAndSides")
    void ourXpubSeesTheirSubscriptionsAsMessages(Peer peer, boolean weBind) {
        try (var ctx = new ZmqContext(); var xpub = ours(ctx, SocketType.XPUB, peer); var them = peer.start()) {
            var sub = them.socket("SUB");
            link(xpub, sub, weBind);
            // One at a time: each must arrive as 0x01/0x00 + topic, whatever the wire form was.
            sub.subscribe(bytes("abc"));
            assertArrayEquals(subscription(1, "abc"), recvPollingTheirSub(xpub, sub).first());
            sub.subscribe(bytes(0, 1, 0xFF));
            assertArrayEquals(bytes(1, 0, 1, 0xFF), recv(xpub).first());
            sub.subscribe(new byte[0]);
            assertArrayEquals(bytes(1), recv(xpub).first());
            sub.unsubscribe(bytes("abc"));
            assertArrayEquals(subscription(0, "abc"), recv(xpub).first());
            sub.unsubscribe(new byte[0]);
            assertArrayEquals(bytes(0), recv(xpub).first());

            // The subscription that is left works: only its messages reach them.
            xpub.send("abc.1");
            xpub.send(bytes(0, 1, 0xFF, 7));
            var m = sub.recv(DEADLINE);
            assertNotNull(m, "nothing reached " + them);
            assertArrayEquals(bytes(0, 1, 0xFF, 7), m.first());
        }
    }

    @ParameterizedTest(name = "{0}, we bind: {1}")
    @MethodSource("peersAndSides")
    void theirXpubSeesOurSubscriptions(Peer peer, boolean weBind) {
        try (var ctx = new ZmqContext(); var sub = ours(ctx, SocketType.SUB, peer); var them = peer.start()) {
            var xpub = them.socket("XPUB");
            link(sub, xpub, weBind);
            sub.subscribe("abc");
            assertEquals(Message.of(subscription(1, "abc")), xpub.recv(DEADLINE));
            sub.subscribe(bytes(0, 1, 0xFF));
            assertEquals(Message.of(bytes(1, 0, 1, 0xFF)), xpub.recv(DEADLINE));
            sub.subscribe("");
            assertEquals(Message.of(bytes(1)), xpub.recv(DEADLINE));
            sub.unsubscribe("abc");
            assertEquals(Message.of(subscription(0, "abc")), xpub.recv(DEADLINE));
            sub.unsubscribe("");
            assertEquals(Message.of(bytes(0)), xpub.recv(DEADLINE));

            xpub.send(bytes("abc.1"));
            xpub.send(bytes(0, 1, 0xFF, 7));
            assertArrayEquals(bytes(0, 1, 0xFF, 7), recv(sub).first());
        }
    }

    /** The subscription form each peer speaks: libzmq 4.3.4 announces ZMTP 3.1, JeroMQ 0.6 ZMTP 3.0. */
    private static void assertSubscriptionForm(Peer peer, byte[] stream, String topic, String direction) {
        var frames = TapRelay.frames(stream);
        assertTrue(frames.size() >= 2, direction + ": expected READY and a subscription, got " + frames);
        assertEquals("READY", frames.get(0).commandName(), direction);
        var f = frames.get(1);
        if (peer == Peer.LIBZMQ) {
            assertEquals(RawZmtpPeer.COMMAND, f.flags(), () -> direction + ": a SUBSCRIBE command with libzmq, got " + f);
            assertEquals("SUBSCRIBE", f.commandName(), direction);
            assertArrayEquals(bytes(topic), f.commandData(), direction);
        } else {
            assertEquals(0, f.flags(), () -> direction + ": a 0x01-prefixed message with JeroMQ, got " + f);
            assertArrayEquals(subscription(1, topic), f.body(), direction);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Peer.class)
    void theSubscriptionFormOnTheWireIsThePeersBothWays(Peer peer) {
        try (var ctx = new ZmqContext(); var them = peer.start()) {
            int minor = peer == Peer.LIBZMQ ? 1 : 0;
            // Our SUB -> their XPUB, through a recording relay.
            var theirXpub = them.socket("XPUB");
            try (var sub = ours(ctx, SocketType.SUB, peer); var tap = new TapRelay(theirXpub.bind(ANY))) {
                sub.connect(tap.endpoint());
                sub.subscribe("ours");
                assertEquals(Message.of(subscription(1, "ours")), theirXpub.recv(DEADLINE));
                assertEquals(minor, tap.fromServer()[11], "the minor version " + them + " announces");
                assertSubscriptionForm(peer, tap.fromClient(), "ours", "our SUB to " + them);
            }
            // Their SUB -> our XPUB, through a recording relay.
            var theirSub = them.socket("SUB");
            try (var xpub = ours(ctx, SocketType.XPUB, peer); var tap = new TapRelay(theirSub.bind(ANY))) {
                xpub.connect(tap.endpoint());
                theirSub.subscribe(bytes("theirs"));
                assertArrayEquals(subscription(1, "theirs"), recvPollingTheirSub(xpub, theirSub).first());
                assertSubscriptionForm(peer, tap.fromServer(), "theirs", them + " to our XPUB");
            }
        }
    }

    @ParameterizedTest(name = "{0}, we bind: {1}")
    @MethodSource("peersAndSides")
    void aThousandSubscriptionsFromTheirSubToOurXpub(Peer peer, boolean weBind) {
        int n = 1000;
        try (var ctx = new ZmqContext(); var xpub = ours(ctx, SocketType.XPUB, peer); var them = peer.start()) {
            xpub.set(SocketOption.SNDHWM, 0);
            var sub = them.socket("SUB");
            sub.set("RCVHWM", 0);
            sub.set("SNDHWM", 0); // else libzmq and JeroMQ drop subscriptions beyond it (libzmq #2258, jeromq #758)
            link(xpub, sub, weBind);
            sub.subscribe(bytes("first"));
            // connected once this arrives: from here on, subscriptions go out in call order
            assertArrayEquals(subscription(1, "first"), recvPollingTheirSub(xpub, sub).first());
            sub.subscribeRange("t", 0, n);
            for (int i = 0; i < n; i++) {
                assertArrayEquals(subscription(1, String.format("t%05d", i)), recv(xpub).first(), "subscription " + i);
            }
            // All applied (XPUB applies before delivering): exact delivery of the subscribed half.
            for (int i = 0; i < 2 * n; i++) {
                xpub.send(String.format("t%05d", i));
            }
            xpub.send("first.end");
            var got = strings(sub.recvMany(n + 1, DEADLINE));
            var expected = new ArrayList<String>();
            for (int i = 0; i < n; i++) {
                expected.add(String.format("t%05d", i));
            }
            expected.add("first.end");
            assertEquals(expected, got);
        }
    }

    @ParameterizedTest(name = "{0}, we bind: {1}")
    @MethodSource("peersAndSides")
    void aThousandSubscriptionsFromOurSubToTheirXpub(Peer peer, boolean weBind) {
        int n = 1000;
        try (var ctx = new ZmqContext(); var sub = ours(ctx, SocketType.SUB, peer); var them = peer.start()) {
            sub.set(SocketOption.RCVHWM, 0);
            var xpub = them.socket("XPUB");
            xpub.set("SNDHWM", 0);
            link(sub, xpub, weBind);
            sub.subscribe("first");
            assertEquals(Message.of(subscription(1, "first")), xpub.recv(DEADLINE));
            for (int i = 0; i < n; i++) {
                sub.subscribe(String.format("t%05d", i));
            }
            var got = xpub.recvMany(n, DEADLINE);
            assertEquals(n, got.size(), "subscriptions that reached " + them);
            for (int i = 0; i < n; i++) {
                assertArrayEquals(subscription(1, String.format("t%05d", i)), got.get(i).first(), "subscription " + i);
            }
            xpub.sendRange("t", 0, 2 * n);
            xpub.send(bytes("first.end"));
            var got2 = recvUntil(sub, "first.end");
            assertEquals(n, got2.size());
            for (int i = 0; i < n; i++) {
                assertEquals(String.format("t%05d", i), got2.get(i));
            }
        }
    }

    @ParameterizedTest(name = "{0}, we bind: {1}")
    @MethodSource("peersAndSides")
    void aThousandSubscriptionsOurPubTheirSub(Peer peer, boolean weBind) {
        int n = 1000;
        try (var ctx = new ZmqContext(); var pub = ours(ctx, SocketType.PUB, peer); var them = peer.start()) {
            pub.set(SocketOption.SNDHWM, 0);
            var sub = them.socket("SUB");
            sub.set("RCVHWM", 0);
            sub.set("SNDHWM", 0); // else libzmq and JeroMQ drop subscriptions beyond it (libzmq #2258, jeromq #758)
            sub.subscribeRange("t", 0, n);
            link(pub, sub, weBind);
            awaitSubscribed(pub::send, sub::recv, String.format("t%05d", n - 1));
            for (int i = 0; i < 2 * n; i++) {
                pub.send(String.format("t%05d", i));
            }
            pub.send("t00000.end");
            var got = strings(sub.recvMany(n + 1, DEADLINE));
            assertEquals(n + 1, got.size());
            for (int i = 0; i < n; i++) {
                assertEquals(String.format("t%05d", i), got.get(i));
            }
        }
    }

    @ParameterizedTest(name = "{0}, we bind: {1}")
    @MethodSource("peersAndSides")
    void slowJoinerOurPubTheirSub(Peer peer, boolean weBind) throws Exception {
        try (var ctx = new ZmqContext(); var pub = ours(ctx, SocketType.PUB, peer); var them = peer.start()) {
            pub.set(SocketOption.SNDHWM, 0);
            var sub = them.socket("SUB");
            sub.set("RCVHWM", 0);
            sub.subscribe(bytes("s"));
            String endpoint = weBind ? pub.bind(ANY) : sub.bind(ANY);

            var stop = new AtomicBoolean();
            var sent = new AtomicLong();
            var publisher = CompletableFuture.runAsync(() -> {
                for (long seq = 0; !stop.get(); seq++) {
                    pub.send(String.format("s%09d", seq));
                    sent.incrementAndGet();
                    if (seq % 10 == 9) {
                        LockSupport.parkNanos(500_000); // pacing, so the subscriber keeps up: no drops
                    }
                }
            });
            try {
                awaitCondition(() -> sent.get() >= 200, DEADLINE, "the publisher to get going");
                long sentBeforeJoin = sent.get();
                if (weBind) {
                    sub.connect(endpoint);
                } else {
                    pub.connect(endpoint);
                }
                checkConsistentStream(sub.recvMany(500, DEADLINE), sentBeforeJoin, 500, them.toString());
            } finally {
                stop.set(true);
                publisher.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @ParameterizedTest(name = "{0}, we bind: {1}")
    @MethodSource("peersAndSides")
    void slowJoinerTheirPubOurSub(Peer peer, boolean weBind) {
        try (var ctx = new ZmqContext(); var sub = ours(ctx, SocketType.SUB, peer); var them = peer.start()) {
            sub.set(SocketOption.RCVHWM, 0);
            sub.subscribe("s");
            var pub = them.socket("PUB");
            pub.set("SNDHWM", 0);
            long sentBeforeJoin;
            if (weBind) {
                // Their publisher starts with nobody to send to and connects to us after 200 messages.
                pub.startPublishing("s", 200, sub.bind(ANY));
                sentBeforeJoin = 200;
            } else {
                var endpoint = pub.bind(ANY);
                pub.startPublishing("s", 0, null);
                awaitCondition(() -> pub.published() >= 200, DEADLINE, "their publisher to get going");
                sentBeforeJoin = pub.published();
                sub.connect(endpoint);
            }
            var got = new ArrayList<Message>();
            for (int i = 0; i < 500; i++) {
                got.add(recv(sub));
            }
            long total = pub.stopPublishing();
            checkConsistentStream(got, sentBeforeJoin, 500, "our SUB");
            assertTrue(total >= sentBeforeJoin + 500, "their publisher stopped early: " + total);
        }
    }

    /** The stream must start somewhere after what was published before joining, then have no gap. */
    private static void checkConsistentStream(List<Message> got, long sentBeforeJoin, int n, String who) {
        assertEquals(n, got.size(), who + " received too few messages");
        long first = Long.parseLong(got.get(0).frameString(0).substring(1));
        assertTrue(first >= sentBeforeJoin, who + " got message " + first
                + ", published before it could have joined (" + sentBeforeJoin + " were)");
        for (int i = 0; i < n; i++) {
            assertEquals(String.format("s%09d", first + i), got.get(i).frameString(0),
                    who + ": gap or reordering after the first message " + first);
        }
    }
}
