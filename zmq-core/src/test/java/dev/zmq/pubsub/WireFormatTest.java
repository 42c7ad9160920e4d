package dev.zmq.pubsub;

import static dev.zmq.pubsub.PubSubTesting.ANY;
import static dev.zmq.pubsub.PubSubTesting.DEADLINE;
import static dev.zmq.pubsub.PubSubTesting.PROBE_WAIT;
import static dev.zmq.pubsub.PubSubTesting.bytes;
import static dev.zmq.pubsub.PubSubTesting.open;
import static dev.zmq.pubsub.PubSubTesting.recv;
import static dev.zmq.pubsub.PubSubTesting.subscription;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact bytes of subscriptions on the wire, checked with a hand-written ZMTP peer: SUBSCRIBE
 * and CANCEL commands to peers announcing ZMTP 3.1, {@code 0x01}/{@code 0x00}-prefixed messages to
 * ZMTP 3.0 peers; both forms accepted inbound; filtering done by the publisher.
 */
@Timeout(30)
class WireFormatTest {

    static Stream<Arguments> versionsAndSides() {
        return Stream.of(
                Arguments.of(1, true), Arguments.of(1, false),
                Arguments.of(0, true), Arguments.of(0, false));
    }

    /** Our socket and a raw peer, connected one way or the other, handshake done. */
    private static RawZmtpPeer attach(ZmqSocket ours, boolean weBind, int minor, String rawType) {
        RawZmtpPeer raw;
        if (weBind) {
            raw = RawZmtpPeer.connect(ours.bind(ANY));
        } else {
            try (var listener = new RawZmtpPeer.Listener()) {
                ours.connect(listener.endpoint());
                raw = listener.accept();
            }
        }
        var ready = raw.handshake(minor, rawType);
        var greeting = raw.peerGreeting();
        assertEquals(3, greeting[10], "our greeting's major version");
        assertEquals(1, greeting[11], "our greeting's minor version: we speak ZMTP 3.1");
        assertEquals("NULL", new String(greeting, 12, 4, StandardCharsets.US_ASCII));
        assertEquals(ours.type().name(), RawZmtpPeer.readyProperty(ready, "Socket-Type"));
        return raw;
    }

    private static byte[] commandBody(String name, byte[] data) {
        var b = new byte[1 + name.length() + data.length];
        b[0] = (byte) name.length();
        System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, b, 1, name.length());
        System.arraycopy(data, 0, b, 1 + name.length(), data.length);
        return b;
    }

    /** Asserts the next frame from our side is the subscription (or cancel) of {@code topic} in the form the version requires. */
    private static void expectSubscription(RawZmtpPeer raw, int minor, boolean subscribe, byte[] topic) {
        var f = raw.next();
        if (minor >= 1) {
            var expected = commandBody(subscribe ? "SUBSCRIBE" : "CANCEL", topic);
            int flags = RawZmtpPeer.COMMAND | (expected.length > 255 ? RawZmtpPeer.LONG : 0);
            assertEquals(flags, f.flags(), () -> "to a ZMTP 3.1 peer a subscription is a command frame; got " + f);
            assertArrayEquals(expected, f.body(), () -> "wrong command; got " + f + "; wire so far: " + raw.rawHex());
        } else {
            var expected = subscription(subscribe ? 1 : 0, topic);
            int flags = expected.length > 255 ? RawZmtpPeer.LONG : 0;
            assertEquals(flags, f.flags(), () -> "to a ZMTP 3.0 peer a subscription is a single data frame; got " + f);
            assertArrayEquals(expected, f.body(), () -> "wrong subscription message; got " + f + "; wire so far: " + raw.rawHex());
        }
    }

    /** Sends a subscription from the raw peer in the form its version uses. */
    private static void rawSubscribe(RawZmtpPeer raw, int minor, boolean subscribe, String topic) {
        if (minor >= 1) {
            raw.sendCommand(subscribe ? "SUBSCRIBE" : "CANCEL", bytes(topic));
        } else {
            raw.sendMessage(subscription(subscribe ? 1 : 0, topic));
        }
    }

    @ParameterizedTest(name = "ZMTP 3.{0} publisher, we bind: {1}")
    @MethodSource("versionsAndSides")
    void ourSubSendsSubscriptionsInThePeersForm(int minor, boolean weBind) {
        try (var ctx = new ZmqContext(); var sub = open(ctx, SocketType.SUB)) {
            sub.subscribe("early"); // before any connection: sent once the peer is there
            try (var raw = attach(sub, weBind, minor, "PUB")) {
                expectSubscription(raw, minor, true, bytes("early"));
                sub.subscribe("");
                expectSubscription(raw, minor, true, new byte[0]);
                sub.subscribe(bytes(0, 1, 0xFF));
                expectSubscription(raw, minor, true, bytes(0, 1, 0xFF));
                var longTopic = bytes("L".repeat(300));
                sub.subscribe(longTopic);
                expectSubscription(raw, minor, true, longTopic);
                sub.unsubscribe("early");
                expectSubscription(raw, minor, false, bytes("early"));
                sub.unsubscribe(longTopic);
                expectSubscription(raw, minor, false, longTopic);

                // The raw publisher's data reaches the SUB (it holds "" now).
                raw.sendMessage(bytes("from"), bytes("raw"));
                assertEquals(Message.of("from", "raw"), recv(sub));
                assertNull(raw.poll(Duration.ofMillis(50)), "unexpected extra frames from our SUB");
            }
        }
    }

    @ParameterizedTest(name = "ZMTP 3.{0} publisher, we bind: {1}")
    @MethodSource("versionsAndSides")
    void ourXsubSendsRawSubscriptionMessagesInThePeersForm(int minor, boolean weBind) {
        try (var ctx = new ZmqContext(); var xsub = open(ctx, SocketType.XSUB);
             var raw = attach(xsub, weBind, minor, "XPUB")) {
            xsub.send(subscription(1, "abc"));
            expectSubscription(raw, minor, true, bytes("abc"));
            xsub.send(subscription(0, "abc"));
            expectSubscription(raw, minor, false, bytes("abc"));
            // Anything else goes upstream as plain data, frame by frame.
            xsub.send(Message.of("hello", "world"));
            var f1 = raw.next();
            var f2 = raw.next();
            assertEquals(RawZmtpPeer.MORE, f1.flags(), () -> f1.toString());
            assertArrayEquals(bytes("hello"), f1.body());
            assertEquals(0, f2.flags(), () -> f2.toString());
            assertArrayEquals(bytes("world"), f2.body());
            xsub.send(new byte[0]);
            var f3 = raw.next();
            assertEquals(0, f3.flags());
            assertEquals(0, f3.body().length, () -> f3.toString());
        }
    }

    @ParameterizedTest(name = "ZMTP 3.{0} subscriber, we bind: {1}")
    @MethodSource("versionsAndSides")
    void ourPubFiltersOnThePublisherSide(int minor, boolean weBind) {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB);
             var raw = attach(pub, weBind, minor, "SUB")) {
            rawSubscribe(raw, minor, true, "F");
            rawSubscribe(raw, minor, true, "A");
            awaitRawSees(pub, raw, "A");

            pub.send("B1");
            pub.send("A1");
            pub.send(Message.of("A2", "more"));
            pub.send(Message.of("X", "A-in-second-frame"));
            pub.send("AB");
            pub.send("");
            pub.send("F.end");
            assertEquals(List.of("A1", "A2+", "more", "AB"), rawUntil(raw, "F.end"),
                    "only matching messages may be on the wire");

            rawSubscribe(raw, minor, false, "A");
            // Keep publishing markers until a round passes without one on the wire.
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            for (int round = 0; ; round++) {
                pub.send("A-marker");
                pub.send("F.round" + round);
                var got = rawUntil(raw, "F.round" + round);
                if (got.stream().noneMatch(s -> s.equals("A-marker"))) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "CANCEL/unsubscribe never took effect");
            }
            pub.send("A-after");
            pub.send("F.last");
            assertEquals(List.of(), rawUntil(raw, "F.last"));
        }
    }

    @ParameterizedTest(name = "ZMTP 3.{0} subscriber, we bind: {1}")
    @MethodSource("versionsAndSides")
    void ourXpubAcceptsBothSubscriptionFormsAndDeliversThemAsMessages(int minor, boolean weBind) {
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB);
             var raw = attach(xpub, weBind, minor, "SUB")) {
            rawSubscribe(raw, minor, true, "abc");
            assertArrayEquals(subscription(1, "abc"), recv(xpub).first());
            // The legacy form is accepted from any version (libzmq does).
            raw.sendMessage(subscription(1, "legacy"));
            assertArrayEquals(subscription(1, "legacy"), recv(xpub).first());
            if (minor >= 1) {
                raw.sendCommand("SUBSCRIBE", new byte[0]);
                assertArrayEquals(new byte[] {1}, recv(xpub).first());
                raw.sendCommand("CANCEL", new byte[0]);
                assertArrayEquals(new byte[] {0}, recv(xpub).first());
            }
            rawSubscribe(raw, minor, false, "abc");
            assertArrayEquals(subscription(0, "abc"), recv(xpub).first());
            raw.sendMessage(subscription(0, "legacy"));
            assertArrayEquals(subscription(0, "legacy"), recv(xpub).first());
            // Plain messages from a subscriber reach the XPUB application unchanged.
            raw.sendMessage(bytes("up"), bytes("stream"));
            assertEquals(Message.of("up", "stream"), recv(xpub));
        }
    }

    /** Publishes probes on {@code topic} until the raw peer sees one, then drains them with a fence. */
    private static void awaitRawSees(ZmqSocket pub, RawZmtpPeer raw, String topic) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            pub.send(topic + "\u0001probe");
            var f = raw.poll(PROBE_WAIT);
            if (f != null) {
                assertEquals(topic + "\u0001probe", new String(f.body(), StandardCharsets.UTF_8), () -> "unexpected " + f);
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("the subscription to " + topic + " never took effect; our side sent: " + raw.rawHex());
            }
        }
        pub.send(topic + "\u0001fence");
        var rest = rawUntil(raw, topic + "\u0001fence");
        assertTrue(rest.stream().allMatch(s -> s.equals(topic + "\u0001probe")), () -> "unexpected frames " + rest);
    }

    /** Frames from the raw peer until a data frame equal to {@code fence}; "+" marks a frame with MORE. */
    private static List<String> rawUntil(RawZmtpPeer raw, String fence) {
        var got = new ArrayList<String>();
        while (true) {
            var f = raw.next();
            assertTrue(!f.isCommand(), () -> "unexpected command " + f);
            var s = new String(f.body(), StandardCharsets.UTF_8);
            if (s.equals(fence) && !f.more()) {
                return got;
            }
            got.add(f.more() ? s + "+" : s);
        }
    }
}
