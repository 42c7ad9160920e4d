package dev.zmq.pubsub;

import static dev.zmq.pubsub.PubSubTesting.ANY;
import static dev.zmq.pubsub.PubSubTesting.awaitSubscribed;
import static dev.zmq.pubsub.PubSubTesting.open;
import static dev.zmq.pubsub.PubSubTesting.recvUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Thousands of subscriptions on one SUB: exact delivery, exact removal, and the trie stays fast. */
@Timeout(40)
class ManySubscriptionsTest {
    private static final int TOPICS = 10_000;

    private static String topic(int i) {
        return String.format("topic/%05d", i);
    }

    /** Reference prefix matching, independent of the engine's trie. */
    private static boolean matches(Set<String> subscriptions, String message) {
        for (int len = 0; len <= message.length(); len++) {
            if (subscriptions.contains(message.substring(0, len))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void tenThousandTopicsOnOneSubDeliverExactlyWhatMatches() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var sub = open(ctx, SocketType.SUB)) {
            pub.set(SocketOption.SNDHWM, 0); // exactness is the point here: nothing may be dropped
            sub.set(SocketOption.RCVHWM, 0);
            sub.connect(pub.bind(ANY));
            var subscribed = new HashSet<String>();
            for (int i = 0; i < TOPICS; i++) {
                sub.subscribe(topic(i));
                subscribed.add(topic(i));
            }
            // Subscriptions travel in order: once the last one works, all of them are in place.
            awaitSubscribed(pub, sub, topic(TOPICS - 1));

            var published = new ArrayList<String>();
            for (int i = 0; i < 2 * TOPICS; i += 7) {
                published.add(topic(i));                       // half of them are beyond the subscribed range
                published.add(topic(i) + "/more");             // longer: matches through its prefix
                published.add(topic(i).substring(0, 9));       // shorter than any subscription: never matches
            }
            published.add("unrelated");
            published.add("");
            for (var m : published) {
                pub.send(m);
            }
            pub.send(topic(0) + ".end");
            var expected = published.stream().filter(m -> matches(subscribed, m)).toList();
            assertTrue(expected.size() > 2_000, "test publishes a substantial matching subset");
            assertEquals(expected, recvUntil(sub, topic(0) + ".end"));

            // Drop every even topic; the odd ones keep flowing, the even ones stop.
            for (int i = 0; i < TOPICS; i += 2) {
                sub.unsubscribe(topic(i));
                subscribed.remove(topic(i));
            }
            sub.subscribe("sync"); // after all the unsubscriptions on the same connection
            awaitSubscribed(pub, sub, "sync");
            var second = new ArrayList<String>();
            for (int i = 0; i < TOPICS; i += 3) {
                second.add(topic(i));
            }
            for (var m : second) {
                pub.send(m);
            }
            pub.send("sync.end");
            assertEquals(second.stream().filter(m -> matches(subscribed, m)).toList(), recvUntil(sub, "sync.end"));
        }
    }

    @Test
    void publishingStaysFastWithManySubscriptionsAndSubscribers() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB)) {
            var ep = pub.bind(ANY);
            var subs = new ArrayList<dev.zmq.ZmqSocket>();
            try {
                for (int s = 0; s < 4; s++) {
                    var sub = open(ctx, SocketType.SUB);
                    subs.add(sub);
                    sub.connect(ep);
                    for (int i = s; i < TOPICS; i += 4) {
                        sub.subscribe(topic(i)); // 2,500 distinct topics per subscriber
                    }
                    sub.subscribe("sync" + s);
                    awaitSubscribed(pub, sub, "sync" + s);
                }
                // Messages matching nothing: a linear scan would compare each with all 10,000 prefixes.
                int n = 200_000;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    pub.send("topic/x" + (i & 1023));
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                System.out.printf("%d non-matching publishes against %d subscriptions took %d ms%n", n, TOPICS, ms);
                assertTrue(ms < 10_000, n + " publishes took " + ms + " ms with " + TOPICS + " subscriptions");

                // And the matching ones still reach exactly their subscriber.
                for (int i = 0; i < 40; i++) {
                    pub.send(topic(i));
                }
                for (int s = 0; s < 4; s++) {
                    pub.send("sync" + s + ".end");
                    var expected = new ArrayList<String>();
                    for (int i = s; i < 40; i += 4) {
                        expected.add(topic(i));
                    }
                    assertEquals(expected, recvUntil(subs.get(s), "sync" + s + ".end"), "subscriber " + s);
                }
            } finally {
                subs.forEach(dev.zmq.ZmqSocket::close);
            }
        }
    }

    @Test
    void prefixesOfPrefixesAreAllHonoured() {
        try (var ctx = new ZmqContext(); var pub = open(ctx, SocketType.PUB); var sub = open(ctx, SocketType.SUB)) {
            pub.set(SocketOption.SNDHWM, 0);
            sub.set(SocketOption.RCVHWM, 0);
            sub.connect(pub.bind(ANY));
            // A chain: "a", "aa", ..., 300 'a's; then remove the short ones.
            var subscribed = new HashSet<String>();
            var chain = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                chain.append('a');
                sub.subscribe(chain.toString());
                subscribed.add(chain.toString());
            }
            for (int i = 1; i <= 150; i++) {
                sub.unsubscribe("a".repeat(i));
                subscribed.remove("a".repeat(i));
            }
            sub.subscribe("sync");
            awaitSubscribed(pub, sub, "sync");
            var published = new ArrayList<String>();
            for (int len = 1; len <= 320; len += 3) {
                published.add("a".repeat(len));
                published.add("a".repeat(len) + "b");
            }
            published.forEach(pub::send);
            pub.send("sync.end");
            List<String> expected = published.stream().filter(m -> matches(subscribed, m)).toList();
            assertEquals(expected, recvUntil(sub, "sync.end"));
        }
    }
}
