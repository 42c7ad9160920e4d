package dev.zmq.pubsub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Shared helpers for the publish-subscribe tests. Subscriptions travel asynchronously, so every
 * "is it in place yet" question is answered by sending probes until one arrives (with a deadline),
 * and every "is the stream finished" question by a fence message that follows the data on the
 * same connection (per-connection order is FIFO).
 */
final class PubSubTesting {
    static final Duration DEADLINE = Duration.ofSeconds(10);
    static final Duration PROBE_WAIT = Duration.ofMillis(20);
    static final String ANY = "tcp://127.0.0.1:*";

    private PubSubTesting() {
    }

    /** A socket with LINGER 0, so closing a test never waits on a subscriber that stopped reading. */
    static ZmqSocket open(ZmqContext ctx, SocketType type) {
        var s = ctx.socket(type);
        s.set(SocketOption.LINGER, 0);
        return s;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        var b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** A subscription message as XPUB delivers and XSUB sends it: {@code kind} (1 or 0) then the topic. */
    static byte[] subscription(int kind, byte[] topic) {
        var b = new byte[topic.length + 1];
        b[0] = (byte) kind;
        System.arraycopy(topic, 0, b, 1, topic.length);
        return b;
    }

    static byte[] subscription(int kind, String topic) {
        return subscription(kind, bytes(topic));
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    static void awaitCondition(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** The next message, failing if none arrives within {@link #DEADLINE}. */
    static Message recv(ZmqSocket socket) {
        var m = socket.recv(DEADLINE);
        if (m == null) {
            fail("no message on the " + socket.type() + " socket within " + DEADLINE);
        }
        return m;
    }

    /**
     * Sends probes until the subscriber receives one, proving that its subscription to
     * {@code topic} (a prefix of every probe) reached the publisher; then drains the probes still
     * in flight by sending a fence after them. Nothing else may be published meanwhile.
     */
    static void awaitSubscribed(ZmqSocket pub, ZmqSocket sub, String topic) {
        awaitSubscribed(pub::send, sub::recv, topic);
    }

    /** {@link #awaitSubscribed(ZmqSocket, ZmqSocket, String)} for any publisher and subscriber. */
    static void awaitSubscribed(Consumer<byte[]> publish, Function<Duration, Message> receive, String topic) {
        var probe = bytes(topic + "\u0001probe");
        var fence = bytes(topic + "\u0001fence");
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            publish.accept(probe);
            var m = receive.apply(PROBE_WAIT);
            if (m != null) {
                assertArrayEquals(probe, m.first(), () -> "unexpected message while probing: " + m);
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("subscription to '" + printable(topic) + "' did not take effect within " + DEADLINE);
            }
        }
        publish.accept(fence);
        while (true) {
            var m = receive.apply(DEADLINE);
            if (m == null) {
                fail("fence after the probes did not arrive within " + DEADLINE);
            }
            if (java.util.Arrays.equals(fence, m.first())) {
                return;
            }
            assertArrayEquals(probe, m.first(), () -> "unexpected message while draining probes: " + m);
        }
    }

    /**
     * Keeps publishing a marker on {@code topic}, each followed by a fence on {@code fenceTopic}
     * (which the subscriber must hold), until a round passes with no marker arriving: the
     * unsubscription travelled to the publisher.
     */
    static void awaitUnsubscribed(ZmqSocket pub, ZmqSocket sub, String topic, String fenceTopic) {
        var marker = bytes(topic + "\u0001marker");
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (int round = 0; ; round++) {
            var fence = bytes(fenceTopic + "\u0001round" + round);
            pub.send(marker);
            pub.send(fence);
            boolean sawMarker = false;
            while (true) {
                var m = recv(sub);
                if (java.util.Arrays.equals(fence, m.first())) {
                    break;
                }
                if (java.util.Arrays.equals(marker, m.first())) {
                    sawMarker = true;
                } else if (!new String(m.first(), StandardCharsets.UTF_8).startsWith(fenceTopic + "\u0001round")) {
                    fail("unexpected message while waiting for the unsubscription: " + m);
                }
            }
            if (!sawMarker) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("unsubscription from '" + printable(topic) + "' did not take effect within " + DEADLINE);
            }
        }
    }

    /**
     * Receives messages until one whose first frame is {@code fence}; returns those before it as
     * the UTF-8 strings of their frames joined with '|'.
     */
    static List<String> recvUntil(ZmqSocket sub, String fence) {
        var got = new ArrayList<String>();
        while (true) {
            var m = recv(sub);
            if (m.frameString(0).equals(fence)) {
                return got;
            }
            got.add(joined(m));
        }
    }

    /** The message's frames as UTF-8, joined with '|'. */
    static String joined(Message m) {
        var sb = new StringBuilder();
        for (int i = 0; i < m.size(); i++) {
            if (i > 0) {
                sb.append('|');
            }
            sb.append(m.frameString(i));
        }
        return sb.toString();
    }

    static String printable(String s) {
        var sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}
