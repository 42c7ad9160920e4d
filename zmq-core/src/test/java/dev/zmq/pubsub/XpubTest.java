package dev.zmq.pubsub;

import static dev.zmq.pubsub.PubSubTesting.ANY;
import static dev.zmq.pubsub.PubSubTesting.DEADLINE;
import static dev.zmq.pubsub.PubSubTesting.awaitSubscribed;
import static dev.zmq.pubsub.PubSubTesting.bytes;
import static dev.zmq.pubsub.PubSubTesting.open;
import static dev.zmq.pubsub.PubSubTesting.recv;
import static dev.zmq.pubsub.PubSubTesting.recvUntil;
import static dev.zmq.pubsub.PubSubTesting.subscription;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * XPUB: which subscription messages reach the application under each option, as libzmq 4.3.4
 * does it (checked against pyzmq 24 / libzmq 4.3.4 on this machine).
 */
@Timeout(30)
class XpubTest {

    /** The next message on the XPUB, as a readable string: "+topic" / "-topic" for subscriptions. */
    private static String next(ZmqSocket xpub) {
        return describe(recv(xpub));
    }

    private static String describe(Message m) {
        var f = m.first();
        if (m.size() == 1 && f.length > 0 && (f[0] == 0 || f[0] == 1)) {
            return (f[0] == 1 ? "+" : "-") + new String(f, 1, f.length - 1, StandardCharsets.UTF_8);
        }
        return PubSubTesting.joined(m);
    }

    /** Reads subscription messages until "+marker", returning those before it. */
    private static List<String> upTo(ZmqSocket xpub, String marker) {
        var got = new ArrayList<String>();
        while (true) {
            var s = next(xpub);
            if (s.equals(marker)) {
                return got;
            }
            got.add(s);
        }
    }

    /**
     * Two subscribers of "A", one also of "B"; subscribe and unsubscribe in a fixed order, each
     * step made visible on the XPUB by a unique sentinel subscription from the same subscriber
     * (same connection, so it arrives after the step).
     */
    private static List<List<String>> scenario(SocketOption<Boolean> option) {
        try (var ctx = new ZmqContext();
             var xpub = open(ctx, SocketType.XPUB);
             var s1 = open(ctx, SocketType.SUB);
             var s2 = open(ctx, SocketType.SUB)) {
            if (option != null) {
                xpub.set(option, true);
            }
            var ep = xpub.bind(ANY);
            s1.connect(ep);
            s2.connect(ep);
            // Connections up first, so later subscriptions go out in call order.
            s1.subscribe("c1");
            assertEquals("+c1", next(xpub));
            s2.subscribe("c2");
            assertEquals("+c2", next(xpub));
            var steps = new ArrayList<List<String>>();

            s1.subscribe("A");
            s1.subscribe("s1");
            steps.add(upTo(xpub, "+s1"));
            s2.subscribe("A");
            s2.subscribe("s2");
            steps.add(upTo(xpub, "+s2"));
            s1.subscribe("A"); // the same subscriber again: SUB forwards every subscribe
            s1.subscribe("s1b");
            steps.add(upTo(xpub, "+s1b"));
            s1.unsubscribe("A"); // still counted once in s1: nothing goes upstream
            s1.unsubscribe("A"); // s1 is done with A; s2 still holds it
            s1.subscribe("s1c");
            steps.add(upTo(xpub, "+s1c"));
            s2.unsubscribe("A"); // the last subscriber of A
            s2.subscribe("s2b");
            steps.add(upTo(xpub, "+s2b"));
            return steps;
        }
    }

    @Test
    void byDefaultOnlyTheFirstSubscribeAndTheLastUnsubscribeOfATopicAreReported() {
        assertEquals(List.of(List.of("+A"), List.of(), List.of(), List.of(), List.of("-A")), scenario(null));
    }

    @Test
    void verboseReportsEverySubscribeButStillOnlyTheLastUnsubscribe() {
        assertEquals(List.of(List.of("+A"), List.of("+A"), List.of("+A"), List.of(), List.of("-A")),
                scenario(SocketOption.XPUB_VERBOSE));
    }

    @Test
    void verboserReportsEverySubscribeAndEveryUnsubscribe() {
        assertEquals(List.of(List.of("+A"), List.of("+A"), List.of("+A"), List.of("-A"), List.of("-A")),
                scenario(SocketOption.XPUB_VERBOSER));
    }

    @Test
    void subscriptionsAreAppliedAutomaticallyWithoutManual() {
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB); var sub = open(ctx, SocketType.SUB)) {
            sub.connect(xpub.bind(ANY));
            sub.subscribe("A");
            assertEquals("+A", next(xpub)); // read after it was applied
            xpub.send("B");
            xpub.send("A1");
            assertEquals("A1", recv(sub).frameString(0));
            var e = assertThrows(ZmqException.class, () -> xpub.subscribe("A"));
            assertEquals(ZmqError.EINVAL, e.error(), "subscribe() on an XPUB without XPUB_MANUAL");
        }
    }

    @Test
    void manualSubscriptionsTakeEffectOnlyWhenTheApplicationAppliesThem() {
        try (var ctx = new ZmqContext();
             var xpub = open(ctx, SocketType.XPUB);
             var s1 = open(ctx, SocketType.SUB);
             var s2 = open(ctx, SocketType.SUB)) {
            xpub.set(SocketOption.XPUB_MANUAL, true);
            var ep = xpub.bind(ANY);
            s1.connect(ep);
            s2.connect(ep);
            s1.subscribe("A");
            s1.subscribe("fence1");
            assertEquals("+A", next(xpub));
            assertEquals("+fence1", next(xpub));
            // Nothing applied yet: A is not delivered even though s1 asked for it.
            xpub.subscribe("fence1");
            xpub.send("A-not-yet");
            xpub.send("fence1.a");
            assertEquals(List.of(), recvUntil(s1, "fence1.a"));

            // Each subscribe() applies to the subscriber whose message was read last.
            s2.subscribe("A");
            assertEquals("+A", next(xpub)); // manual mode reports every subscription
            xpub.subscribe("A"); // applies to s2 only
            xpub.send("A-1");
            assertEquals("A-1", recv(s2).frameString(0));
            xpub.send("fence1.b");
            assertEquals(List.of(), recvUntil(s1, "fence1.b"), "s1 never got A applied");

            // The application may apply something else than what was asked for.
            s1.subscribe("C");
            assertEquals("+C", next(xpub));
            xpub.subscribe("A"); // s1 asked for C, gets A (its own filter lets A through)
            xpub.send("C-1");
            xpub.send("A-2");
            xpub.send("fence1.c");
            assertEquals(List.of("A-2"), recvUntil(s1, "fence1.c"));
            assertEquals("A-2", recv(s2).frameString(0));

            // Unsubscriptions are reported and removed by hand too.
            s2.unsubscribe("A");
            assertEquals("-A", next(xpub));
            xpub.unsubscribe("A"); // the last read came from s2: removes s2's A
            s2.subscribe("fence2");
            assertEquals("+fence2", next(xpub));
            xpub.subscribe("fence2");
            xpub.send("fence2.a"); // s2 is clean up to here
            assertEquals(List.of(), recvUntil(s2, "fence2.a"));
            s2.subscribe("A"); // asks again (so its own filter passes A), but nothing applies it
            assertEquals("+A", next(xpub));
            xpub.send("A-3");
            xpub.send("fence2.end");
            assertEquals(List.of(), recvUntil(s2, "fence2.end"), "s2's A was removed by hand");
            xpub.send("fence1.d");
            assertEquals(List.of("A-3"), recvUntil(s1, "fence1.d"), "s1 keeps its A");
        }
    }

    @Test
    void manualSubscribeAppliesToTheSenderOfTheLastMessageReadNotTheLastOneArrived() throws Exception {
        // libzmq 4.3.4 takes the pipe from the message the application reads (xpub_t::xrecv sets
        // _last_pipe), so reading queued subscriptions one by one and applying each works.
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB); var stays = open(ctx, SocketType.SUB)) {
            xpub.set(SocketOption.XPUB_MANUAL, true);
            var ep = xpub.bind(ANY);
            stays.connect(ep);
            stays.subscribe("sync");
            assertEquals("+sync", next(xpub));
            xpub.subscribe("sync");

            stays.subscribe("A"); // queued at the XPUB first (a live connection, one I/O thread)...
            var joined = new java.util.concurrent.CountDownLatch(1);
            var left = new java.util.concurrent.CountDownLatch(1);
            var types = java.util.EnumSet.of(dev.zmq.SocketEvent.Type.HANDSHAKE_SUCCEEDED, dev.zmq.SocketEvent.Type.DISCONNECTED);
            try (var monitor = xpub.monitor(types, e -> (e.type() == dev.zmq.SocketEvent.Type.DISCONNECTED ? left : joined).countDown());
                 var leaves = open(ctx, SocketType.SUB)) {
                leaves.set(SocketOption.LINGER, 5000); // its subscription goes out before it leaves
                leaves.subscribe("B"); // ...then another subscriber's, and its departure
                // Its own side must finish the handshake too: that is when it queues its subscriptions.
                var ownHandshake = new java.util.concurrent.CountDownLatch(1);
                leaves.monitor(java.util.EnumSet.of(dev.zmq.SocketEvent.Type.HANDSHAKE_SUCCEEDED), e -> ownHandshake.countDown());
                leaves.connect(ep);
                assertTrue(joined.await(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "no handshake");
                assertTrue(ownHandshake.await(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "no handshake on the subscriber");
                leaves.close();
                assertTrue(left.await(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "no DISCONNECTED event");
            }
            // Now read them all, applying "A" right after reading it.
            var seen = new HashSet<String>();
            while (seen.size() < 3) {
                var s = next(xpub);
                seen.add(s);
                if (s.equals("+A")) {
                    xpub.subscribe("A");
                }
            }
            assertEquals(Set.of("+A", "+B", "-B"), seen);
            xpub.send("A-1");
            xpub.send("sync.end");
            assertEquals(List.of("A-1"), recvUntil(stays, "sync.end"), "A was applied to the wrong subscriber");
        }
    }

    @Test
    void welcomeMessageReachesEachNewSubscriberOfItsTopic() {
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB)) {
            xpub.set(SocketOption.XPUB_WELCOME_MSG, bytes("WELCOME"));
            var ep = xpub.bind(ANY);
            try (var s1 = open(ctx, SocketType.SUB); var s2 = open(ctx, SocketType.SUB); var other = open(ctx, SocketType.SUB)) {
                s1.subscribe("WELCOME");
                s1.connect(ep);
                assertEquals("WELCOME", recv(s1).frameString(0));
                assertEquals("+WELCOME", next(xpub));
                s2.subscribe("W");
                s2.connect(ep);
                assertEquals("WELCOME", recv(s2).frameString(0));
                // the XPUB has "W" now: "+W" is new
                assertEquals("+W", next(xpub));

                // A subscriber of something else never sees it (its own filter drops it).
                other.subscribe("data");
                other.connect(ep);
                assertEquals("+data", next(xpub));
                xpub.send("data.1");
                assertEquals("data.1", recv(other).frameString(0));

                // The welcome message went to each once, at connection time only.
                xpub.send("WELCOME.later");
                assertEquals("WELCOME.later", recv(s1).frameString(0));
                assertEquals("WELCOME.later", recv(s2).frameString(0));
            }
        }
    }

    @Test
    void nodropRefusesToSendWhileAMatchingSubscriberIsFullAndLosesNothing() {
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB); var sub = open(ctx, SocketType.SUB)) {
            xpub.set(SocketOption.XPUB_NODROP, true);
            xpub.set(SocketOption.SNDHWM, 50);
            xpub.set(SocketOption.SNDBUF, 8 * 1024);
            sub.set(SocketOption.RCVHWM, 50);
            sub.set(SocketOption.RCVBUF, 8 * 1024);
            sub.connect(xpub.bind(ANY));
            sub.subscribe("n");
            assertEquals("+n", next(xpub));

            // Fill everything: the pipe, the connection's buffers, the kernel, the subscriber's queue.
            int sent = 0;
            while (xpub.send(Message.of("n" + sent), Duration.ofMillis(200))) {
                sent++;
                assertTrue(sent < 1_000_000, "XPUB_NODROP never reported a full subscriber");
            }
            assertTrue(sent >= 50, "refused after only " + sent + " messages, below SNDHWM");
            assertFalse(xpub.trySend(Message.of("n" + sent)), "a full subscriber took more");
            // A message nobody subscribes to is not held back by the full subscriber.
            assertTrue(xpub.trySend(Message.of("other")), "an unmatched message was refused");

            // Every accepted message arrives, in order: none was dropped.
            for (int i = 0; i < sent; i++) {
                assertEquals("n" + i, recv(sub).frameString(0));
            }
            assertNull(sub.recv(Duration.ofMillis(50)), "a refused message was delivered");
            assertTrue(xpub.send(Message.of("n-after"), DEADLINE), "room again after the subscriber read");
            assertEquals("n-after", recv(sub).frameString(0));
        }
    }

    @Test
    void withoutNodropAFullSubscriberLosesMessagesAndSendSucceeds() {
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB); var sub = open(ctx, SocketType.SUB)) {
            xpub.set(SocketOption.SNDHWM, 50);
            sub.set(SocketOption.RCVHWM, 50);
            sub.connect(xpub.bind(ANY));
            sub.subscribe("n");
            assertEquals("+n", next(xpub));
            for (int i = 0; i < 100_000; i++) {
                assertTrue(xpub.trySend(Message.of("n" + i)), "XPUB refused a message without XPUB_NODROP");
            }
        }
    }

    @Test
    void disconnectingSubscriberIsReportedAsUnsubscriptions() {
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB); var stays = open(ctx, SocketType.SUB)) {
            var ep = xpub.bind(ANY);
            stays.connect(ep);
            stays.subscribe("shared");
            assertEquals("+shared", next(xpub));
            try (var leaves = open(ctx, SocketType.SUB)) {
                leaves.connect(ep);
                leaves.subscribe("A");
                leaves.subscribe("B");
                leaves.subscribe("shared");
                assertEquals(Set.of("+A", "+B"), new HashSet<>(List.of(next(xpub), next(xpub))));
            }
            // Topics nobody holds any more are cancelled; "shared" still has a subscriber.
            assertEquals(Set.of("-A", "-B"), new HashSet<>(List.of(next(xpub), next(xpub))));
            stays.subscribe("sentinel");
            assertEquals("+sentinel", next(xpub), "no unsubscription for a topic still held");

            // The publisher no longer sends A anywhere, and "shared" still reaches the one left.
            xpub.send("shared.1");
            assertEquals("shared.1", recv(stays).frameString(0));
        }
    }

    @Test
    void disconnectByDisconnectCallIsReportedToo() {
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB); var sub = open(ctx, SocketType.SUB)) {
            var ep = xpub.bind(ANY);
            sub.connect(ep);
            sub.subscribe("T");
            assertEquals("+T", next(xpub));
            sub.disconnect(ep);
            assertEquals("-T", next(xpub));
        }
    }

    @Test
    void verboserReportsEveryTopicOfADisconnectingSubscriber() {
        // libzmq 4.3.4 (xpub_t::xpipe_terminated with verbose unsubscriptions) reports every topic
        // of the pipe that went away, also those other subscribers still hold.
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB); var stays = open(ctx, SocketType.SUB)) {
            xpub.set(SocketOption.XPUB_VERBOSER, true);
            var ep = xpub.bind(ANY);
            stays.connect(ep);
            stays.subscribe("shared");
            assertEquals("+shared", next(xpub));
            try (var leaves = open(ctx, SocketType.SUB)) {
                leaves.connect(ep);
                leaves.subscribe("shared");
                leaves.subscribe("own");
                // (sent again from the subscription set if the connection was not up yet: any order)
                assertEquals(Set.of("+shared", "+own"), new HashSet<>(List.of(next(xpub), next(xpub))));
            }
            assertEquals(Set.of("-shared", "-own"), new HashSet<>(List.of(next(xpub), next(xpub))));
        }
    }

    @Test
    void manualReportsEveryTopicADisconnectingSubscriberAskedFor() {
        // libzmq 4.3.4 keeps, in manual mode, the topics each subscriber asked for and reports
        // them all as unsubscriptions when it goes away, applied or not.
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB)) {
            xpub.set(SocketOption.XPUB_MANUAL, true);
            var ep = xpub.bind(ANY);
            try (var sub = open(ctx, SocketType.SUB)) {
                sub.connect(ep);
                sub.subscribe("A");
                assertEquals("+A", next(xpub));
                xpub.subscribe("A"); // applied
                sub.subscribe("B");
                assertEquals("+B", next(xpub)); // asked for, never applied
            }
            assertEquals(Set.of("-A", "-B"), new HashSet<>(List.of(next(xpub), next(xpub))));
        }
    }

    @Test
    void cancellingATopicTheSubscriberDoesNotHoldIsReported() {
        // libzmq 4.3.4 reports every unsubscription that does not leave other holders of the
        // topic, also when this subscriber never held it (mtrie rm() answers not_found). SUB and
        // XSUB never send such a thing; a raw peer can.
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB);
             var raw = RawZmtpPeer.connect(xpub.bind(ANY))) {
            raw.handshake(0, "SUB");
            for (var m : List.of("\u0000never", "\u0001A", "\u0001A", "\u0000A", "\u0000A", "\u0001Z")) {
                raw.sendMessage(bytes(m));
            }
            assertEquals(List.of("-never", "+A", "-A", "-A"), upTo(xpub, "+Z"));
        }
    }

    @Test
    void xpubDeliversUpstreamMessagesFromAnXsubAsTheyAre() {
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB); var xsub = open(ctx, SocketType.XSUB)) {
            xsub.connect(xpub.bind(ANY));
            xsub.send(subscription(1, "A"));
            assertEquals("+A", next(xpub));
            xsub.send(Message.of("hello", "world"));
            assertEquals("hello|world", next(xpub));
            xsub.send(Message.of(new byte[0]));
            assertEquals("", next(xpub));
            xsub.send(subscription(0, "A"));
            assertEquals("-A", next(xpub));
            xsub.send(subscription(1, "sync"));
            assertEquals("+sync", next(xpub));
            xpub.send("A-data");
            xpub.send("sync.end");
            assertEquals(List.of(), recvUntil(xsub, "sync.end"), "A was cancelled");
        }
    }

    @Test
    void xpubFiltersLikePubAndAnEmptySubscriptionIsReportedAsASingleByte() {
        try (var ctx = new ZmqContext(); var xpub = open(ctx, SocketType.XPUB); var sub = open(ctx, SocketType.SUB)) {
            sub.connect(xpub.bind(ANY));
            sub.subscribe("");
            var m = recv(xpub);
            assertArrayEquals(new byte[] {1}, m.first());
            awaitSubscribed(xpub, sub, "");
            sub.subscribe("x"); // covered by "" already, but a new topic for the XPUB
            assertEquals("+x", next(xpub));
        }
    }
}
