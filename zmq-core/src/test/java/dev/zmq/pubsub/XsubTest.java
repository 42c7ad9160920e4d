package dev.zmq.pubsub;

import static dev.zmq.pubsub.PubSubTesting.ANY;
import static dev.zmq.pubsub.PubSubTesting.awaitSubscribed;
import static dev.zmq.pubsub.PubSubTesting.awaitUnsubscribed;
import static dev.zmq.pubsub.PubSubTesting.open;
import static dev.zmq.pubsub.PubSubTesting.recv;
import static dev.zmq.pubsub.PubSubTesting.recvUntil;
import static dev.zmq.pubsub.PubSubTesting.subscription;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** XSUB: subscriptions are plain messages ({@code 0x01}/{@code 0x00} + topic) sent by the application. */
@Timeout(30)
class XsubTest {

    @Test
    void rawSubscriptionMessagesToAPubSubscribeAndUnsubscribe() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var xsub = open(ctx, SocketType.XSUB)) {
            xsub.connect(pub.bind(ANY));
            xsub.send(subscription(1, "F"));
            xsub.send(subscription(1, "A"));
            awaitSubscribed(pub, xsub, "A");
            pub.send(Message.of("A1", "body"));
            pub.send("B1");
            pub.send("F.1");
            assertEquals(List.of("A1|body"), recvUntil(xsub, "F.1"));

            xsub.send(subscription(0, "A"));
            awaitUnsubscribed(pub, xsub, "A", "F");
            pub.send("A2");
            pub.send("F.2");
            assertEquals(List.of(), recvUntil(xsub, "F.2"));
        }
    }

    @Test
    void rawSubscriptionsAreCountedLikeSubscribeCalls() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var xsub = open(ctx, SocketType.XSUB)) {
            xsub.connect(pub.bind(ANY));
            xsub.send(subscription(1, "F"));
            xsub.send(subscription(1, "A"));
            xsub.send(subscription(1, "A"));
            xsub.send(subscription(0, "A"));
            xsub.send(subscription(1, "P")); // after the first cancel, on the same connection
            awaitSubscribed(pub, xsub, "P");
            pub.send("A-still");
            pub.send("F.1");
            assertEquals(List.of("A-still"), recvUntil(xsub, "F.1"));
            xsub.send(subscription(0, "A"));
            awaitUnsubscribed(pub, xsub, "A", "F");
        }
    }

    @Test
    void xsubSubscriptionsReachAnXpubExactlyAsSent() {
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB); var xsub = open(ctx, SocketType.XSUB)) {
            xsub.connect(xpub.bind(ANY));
            var binary = new byte[] {1, 0, (byte) 0xFF, 0x7F};
            xsub.send(binary);
            assertArrayEquals(binary, recv(xpub).first());
            xsub.send(subscription(1, ""));
            assertArrayEquals(new byte[] {1}, recv(xpub).first());
            xsub.send(subscription(0, ""));
            assertArrayEquals(new byte[] {0}, recv(xpub).first());
            xpub.send(new byte[] {0, (byte) 0xFF, 0x7F, 9});
            assertArrayEquals(new byte[] {0, (byte) 0xFF, 0x7F, 9}, recv(xsub).first());
        }
    }

    @Test
    void subscribeCallsOnAnXsubWorkLikeRawMessages() {
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB); var xsub = open(ctx, SocketType.XSUB)) {
            xsub.connect(xpub.bind(ANY));
            xsub.subscribe("via-call");
            assertArrayEquals(subscription(1, "via-call"), recv(xpub).first());
            xsub.unsubscribe("via-call");
            assertArrayEquals(subscription(0, "via-call"), recv(xpub).first());
        }
    }

    @Test
    void anXsubWithoutSubscriptionsReceivesNothing() {
        try (var ctx = new ZmqContext();
             var xpub = open(ctx, SocketType.XPUB);
             var xsub = open(ctx, SocketType.XSUB);
             var witness = open(ctx, SocketType.SUB)) {
            var ep = xpub.bind(ANY);
            xsub.connect(ep);
            witness.connect(ep);
            xsub.send("hello"); // an upstream message proves the connection
            assertEquals("hello", recv(xpub).frameString(0));
            witness.subscribe("");
            assertArrayEquals(subscription(1, ""), recv(xpub).first());
            for (int i = 0; i < 50; i++) {
                xpub.send("m" + i);
            }
            xpub.send("end");
            assertEquals(50, recvUntil(witness, "end").size());
            assertNull(xsub.recv(Duration.ofMillis(200)), "an XSUB without subscriptions received a message");
        }
    }
}
