package dev.zmq.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.Link;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exclusive PAIR (RFC 31). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PairTest {

    @Test
    void pairIsBidirectional() {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.PAIR, SocketType.PAIR)) {
            link.connected().send(Message.of("ping", "1"));
            assertEquals(Message.of("ping", "1"), Await.recv(link.bound()));
            link.bound().send(Message.of("pong", "1"));
            assertEquals(Message.of("pong", "1"), Await.recv(link.connected()));
        }
    }

    @Test
    void aSecondPairGetsNothingThroughWhileTheFirstHoldsThePair() {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.PAIR, SocketType.PAIR);
             var intruder = ctx.socket(SocketType.PAIR)) {
            var owner = link.bound();
            var first = link.connected();
            first.send("hello");
            assertEquals(Message.of("hello"), Await.recv(owner)); // first holds the pair now

            intruder.set(SocketOption.LINGER, 0);
            intruder.connect(link.endpoint());
            intruder.send(Message.of("intruder"), Duration.ofMillis(100));

            first.send("still-me");
            assertEquals(Message.of("still-me"), Await.recv(owner));
            assertNull(owner.recv(Await.QUIET), "the second PAIR's message got through");

            owner.send("for-first");
            assertEquals(Message.of("for-first"), Await.recv(first));
            assertNull(intruder.recv(Await.QUIET), "the second PAIR received a message meant for the first");
        }
    }

    @Test
    void aPairAcceptsANewPeerOnceTheFirstHasGone() {
        try (var ctx = new ZmqContext(); var owner = ctx.socket(SocketType.PAIR); var second = ctx.socket(SocketType.PAIR)) {
            var first = ctx.socket(SocketType.PAIR); // closed below; the context closes it if the test fails first
            var endpoint = owner.bind("tcp://127.0.0.1:*");
            first.connect(endpoint);
            first.send("first");
            assertEquals(Message.of("first"), Await.recv(owner));

            second.set(SocketOption.RECONNECT_IVL, 20);
            second.connect(endpoint);
            first.close();
            // The second PAIR keeps reconnecting; once the owner has dropped the first, it is accepted.
            // A message it queued while being refused may or may not have been lost with a refused
            // connection, so keep offering fresh ones until one arrives.
            Await.until("the owner to hear from the second PAIR", () -> {
                second.send(Message.of("second"), Duration.ofMillis(50));
                var m = owner.recv(Duration.ofMillis(50));
                if (m != null) {
                    assertEquals(Message.of("second"), m);
                }
                return m != null;
            });
            owner.send("welcome");
            assertEquals(Message.of("welcome"), Await.recv(second));
        }
    }
}
