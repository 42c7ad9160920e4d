package dev.zmq.pubsub;

import static dev.zmq.pubsub.PubSubTesting.ANY;
import static dev.zmq.pubsub.PubSubTesting.awaitSubscribed;
import static dev.zmq.pubsub.PubSubTesting.awaitUnsubscribed;
import static dev.zmq.pubsub.PubSubTesting.bytes;
import static dev.zmq.pubsub.PubSubTesting.open;
import static dev.zmq.pubsub.PubSubTesting.recv;
import static dev.zmq.pubsub.PubSubTesting.recvUntil;
import static dev.zmq.pubsub.PubSubTesting.subscription;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a SUB receives, native to native: prefix matching, counting, multi-frame, no subscription. */
@Timeout(30)
class SubscriptionFilteringTest {

    @Test
    void deliversOnlyMessagesWhoseFirstFrameStartsWithASubscribedPrefix() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var sub = open(ctx, SocketType.SUB)) {
            sub.connect(pub.bind(ANY));
            sub.subscribe("foo");
            awaitSubscribed(pub, sub, "foo");

            for (var topic : List.of("foo", "foobar", "fo", "bar", "", "xfoo", "Foo", "foo.end")) {
                pub.send(topic);
            }
            assertEquals(List.of("foo", "foobar"), recvUntil(sub, "foo.end"));
        }
    }

    @Test
    void prefixesAreBinaryAndOverlappingSubscriptionsDeliverOnce() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var sub = open(ctx, SocketType.SUB)) {
            sub.connect(pub.bind(ANY));
            sub.subscribe(bytes(0x00, 0xFF));
            sub.subscribe("a");
            sub.subscribe("ab");
            sub.subscribe("abc");
            awaitSubscribed(pub, sub, "a");

            pub.send(bytes(0x00, 0xFF, 0x01));
            pub.send(bytes(0x00));
            pub.send(bytes(0xFF));
            pub.send(bytes(0x00, 0xFE));
            pub.send("abcd"); // matches three prefixes: must arrive once
            pub.send("a.end");
            assertArrayEquals(bytes(0x00, 0xFF, 0x01), recv(sub).first());
            assertEquals(List.of("abcd"), recvUntil(sub, "a.end"));
        }
    }

    @Test
    void emptyPrefixReceivesEverythingIncludingEmptyFrames() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var sub = open(ctx, SocketType.SUB)) {
            sub.connect(pub.bind(ANY));
            sub.subscribe("");
            sub.subscribe("x"); // overlaps with "": still one copy
            awaitSubscribed(pub, sub, "");

            pub.send(Message.of(new byte[0]));
            pub.send("x1");
            pub.send(bytes(0x00, 0x01));
            pub.send(Message.of("", "second"));
            pub.send("end");
            assertEquals(List.of("", "x1", "\u0000\u0001", "|second"), recvUntil(sub, "end"));
        }
    }

    @Test
    void multiFrameMessagesAreMatchedOnTheirFirstFrameOnly() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var sub = open(ctx, SocketType.SUB)) {
            sub.connect(pub.bind(ANY));
            sub.subscribe("AB");
            awaitSubscribed(pub, sub, "AB");

            pub.send(Message.of("AB", "x", "y"));
            pub.send(Message.of("A", "B", "C"));   // "A"+"B" would match if frames were concatenated
            pub.send(Message.of("X", "AB"));       // a matching later frame does not count
            pub.send(Message.of("ABC", ""));
            pub.send("AB.end");
            assertEquals(List.of("AB|x|y", "ABC|"), recvUntil(sub, "AB.end"));
        }
    }

    @Test
    void subscriptionsAreCountedTwoSubscribesNeedTwoUnsubscribes() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var sub = open(ctx, SocketType.SUB)) {
            sub.connect(pub.bind(ANY));
            sub.subscribe("F"); // fence topic
            sub.subscribe("A");
            sub.subscribe("A");
            awaitSubscribed(pub, sub, "A");

            sub.unsubscribe("A");
            // A later subscription on the same connection proves the unsubscribe (if any went out) arrived.
            sub.subscribe("P");
            awaitSubscribed(pub, sub, "P");
            pub.send("A-still");
            pub.send("F-1");
            assertEquals(List.of("A-still"), recvUntil(sub, "F-1"));

            sub.unsubscribe("A");
            awaitUnsubscribed(pub, sub, "A", "F");
            pub.send("A-gone");
            pub.send("P-here");
            pub.send("F-2");
            assertEquals(List.of("P-here"), recvUntil(sub, "F-2"));

            // Unsubscribing what is not subscribed is harmless, and does not go negative.
            sub.unsubscribe("A");
            sub.unsubscribe("never");
            sub.subscribe("A");
            awaitSubscribed(pub, sub, "A");
            pub.send("A-back");
            pub.send("F-3");
            assertEquals(List.of("A-back"), recvUntil(sub, "F-3"));
        }
    }

    @Test
    void aSubWhoseOnlySubscriptionWasCancelledReceivesNothing() {
        try (var ctx = new ZmqContext();
             var xpub = open(ctx, SocketType.XPUB);
             var sub = open(ctx, SocketType.SUB);
             var witness = open(ctx, SocketType.SUB)) {
            var ep = xpub.bind(ANY);
            sub.connect(ep);
            witness.connect(ep);
            // The XPUB shows when the publisher knows both subscriptions and the cancellation.
            sub.subscribe("s");
            assertArrayEquals(subscription(1, "s"), recv(xpub).first());
            sub.unsubscribe("s");
            assertArrayEquals(subscription(0, "s"), recv(xpub).first());
            witness.subscribe("");
            assertArrayEquals(subscription(1, ""), recv(xpub).first());

            for (int i = 0; i < 100; i++) {
                xpub.send(i % 2 == 0 ? "s" + i : "other" + i);
            }
            xpub.send(new byte[0]);
            xpub.send("end");
            assertEquals(101, recvUntil(witness, "end").size());
            assertNull(sub.recv(Duration.ofMillis(200)), "a SUB without subscriptions received a message");
        }
    }

    @Test
    void aSubThatNeverSubscribedReceivesNothing() {
        try (var ctx = new ZmqContext();
             var pub = open(ctx, SocketType.PUB);
             var sub = open(ctx, SocketType.SUB);
             var witness = open(ctx, SocketType.SUB)) {
            var ep = pub.bind(ANY);
            sub.connect(ep);
            witness.connect(ep);
            witness.subscribe("");
            awaitSubscribed(pub, witness, "");
            for (int i = 0; i < 100; i++) {
                pub.send("m" + i);
            }
            pub.send("end");
            assertEquals(100, recvUntil(witness, "end").size());
            assertNull(sub.recv(Duration.ofMillis(200)), "a SUB without subscriptions received a message");
        }
    }

    @Test
    void subscriptionsMadeBeforeConnectingAreSentOnConnect() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var sub = open(ctx, SocketType.SUB)) {
            sub.subscribe("early");
            sub.subscribe("twice");
            sub.subscribe("twice");
            sub.unsubscribe("twice");
            sub.connect(pub.bind(ANY));
            awaitSubscribed(pub, sub, "early");
            pub.send("twice-still");
            pub.send("early.end");
            assertEquals(List.of("twice-still"), recvUntil(sub, "early.end"));
        }
    }

    @Test
    void subscriptionsAreSentAgainWhenTheSubReconnectsToANewPublisher() {
        try (var ctx = new ZmqContext(); var sub = open(ctx, SocketType.SUB)) {
            sub.set(SocketOption.RECONNECT_IVL, 20);
            sub.subscribe("A");
            sub.subscribe("B");
            sub.subscribe("B");
            sub.unsubscribe("B"); // still held once
            sub.subscribe("C");
            sub.unsubscribe("C"); // gone
            String endpoint;
            try (var first = open(ctx, SocketType.PUB)) {
                endpoint = first.bind(ANY);
                sub.connect(endpoint);
                awaitSubscribed(first, sub, "A");
            }
            // A new publisher on the same address knows nothing: the SUB must tell it again.
            try (var second = open(ctx, SocketType.PUB)) {
                second.bind(endpoint);
                awaitSubscribed(second, sub, "A");
                second.send("B1");
                second.send("C1");
                second.send("A.end");
                assertEquals(List.of("B1"), recvUntil(sub, "A.end"));
            }
        }
    }

    @Test
    void aPubIgnoresPlainMessagesFromAnXsub() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var xsub = open(ctx, SocketType.XSUB)) {
            xsub.connect(pub.bind(ANY));
            xsub.send(Message.of("not", "a subscription"));
            xsub.send(new byte[0]);
            xsub.send(subscription(1, "A"));
            awaitSubscribed(pub, xsub, "A");
            pub.send("A1");
            assertEquals("A1", recv(xsub).frameString(0));
        }
    }

    @Test
    void aSubBoundAndAPubConnectedWorkTheSame() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var sub = open(ctx, SocketType.SUB)) {
            sub.subscribe("t");
            pub.connect(sub.bind(ANY));
            awaitSubscribed(pub, sub, "t");
            for (int i = 0; i < 1000; i++) {
                pub.send(Message.of(i % 3 == 0 ? "u" : "t", Integer.toString(i)));
            }
            pub.send("t.end");
            var got = recvUntil(sub, "t.end");
            assertEquals(666, got.size());
            int n = 0;
            for (int i = 0; i < 1000; i++) {
                if (i % 3 != 0) {
                    assertEquals("t|" + i, got.get(n++), "messages arrive in order");
                }
            }
        }
    }
}
