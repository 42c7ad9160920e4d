package dev.zmq.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqException;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.Tagged;
import dev.zmq.testkit.Workers;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lock-free pipes under real sockets: many threads, the smallest high-water marks (so both
 * sides sleep and wake all the time), senders that close with messages still queued. A lost
 * wake-up shows as a receive that times out; a lost message as a gap in a sender's sequence.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipeStressTest {
    private static final int SENDERS = 4;
    private static final int PER_SENDER = 2_500;
    private static final int BODY = 16;
    private static final Duration LONG = Duration.ofSeconds(20);

    private static String endpoint(String transport, int round) {
        return switch (transport) {
            case "inproc" -> "inproc://pipe-stress-" + round;
            default -> "tcp://127.0.0.1:*";
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "inproc"})
    void manySendersAtHighWaterMarkOneCloseWithMessagesQueuedAndNothingIsLost(String transport) throws Exception {
        for (int round = 0; round < 3; round++) {
            try (var ctx = new ZmqContext(2, Duration.ofSeconds(60)); var pull = ctx.socket(SocketType.PULL)) {
                pull.set(SocketOption.RCVHWM, 1 + round);
                var bound = pull.bind(endpoint(transport, round));
                var allConnected = new CountDownLatch(SENDERS);
                try (var senders = Workers.start("sender", SENDERS, t -> {
                    var push = ctx.socket(SocketType.PUSH);
                    push.set(SocketOption.SNDHWM, 1 + t % 3);
                    push.connect(bound);
                    allConnected.countDown();
                    for (int seq = 0; seq < PER_SENDER; seq++) {
                        push.send(Tagged.message(t, seq, BODY));
                    }
                    push.close(); // LINGER -1: what is still queued must still arrive
                })) {
                    assertTrue(allConnected.await(20, TimeUnit.SECONDS));
                    int[] next = new int[SENDERS];
                    for (int i = 0; i < SENDERS * PER_SENDER; i++) {
                        var m = pull.recv(LONG);
                        assertNotNull(m, "message " + i + " of " + SENDERS * PER_SENDER + " never came (" + transport
                                + ", round " + round + "): lost wake-up or lost message; per sender so far " + java.util.Arrays.toString(next));
                        var tag = Tagged.check(m, BODY);
                        assertEquals(next[tag.sender()]++, tag.seq(), "sender " + tag.sender() + " out of order");
                    }
                    senders.join();
                    assertEquals(null, pull.recv(Await.QUIET), "nothing beyond what was sent");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "inproc"})
    void sharedSocketsBothWaysWithReadersAndWritersOnSeveralThreads(String transport) throws Exception {
        try (var ctx = new ZmqContext(); var a = ctx.socket(SocketType.PAIR); var b = ctx.socket(SocketType.PAIR)) {
            for (var s : new dev.zmq.ZmqSocket[] {a, b}) {
                s.set(SocketOption.SNDHWM, 2);
                s.set(SocketOption.RCVHWM, 2);
            }
            b.connect(a.bind(endpoint(transport, 99)));
            int perThread = 2_000;
            // Two writers and two readers on each socket: four threads per direction.
            try (var workers = Workers.start("pair", 8, t -> {
                var socket = t % 2 == 0 ? a : b;
                boolean writer = t < 4;
                if (writer) {
                    for (int seq = 0; seq < perThread; seq++) {
                        socket.send(Tagged.message(t, seq, BODY));
                    }
                } else {
                    for (int i = 0; i < perThread; i++) {
                        var m = socket.recv(LONG);
                        if (m == null) {
                            throw new AssertionError("reader " + t + " starved after " + i + " messages: lost wake-up");
                        }
                        Tagged.check(m, BODY);
                    }
                }
            })) {
                workers.join();
            }
            assertEquals(null, a.recv(Await.QUIET));
            assertEquals(null, b.recv(Duration.ofMillis(1)));
        }
    }

    @Test
    void aSenderBlockedAtHighWaterMarkIsReleasedWhenTheContextCloses() throws Exception {
        for (String transport : new String[] {"tcp", "inproc"}) {
            var ctx = new ZmqContext(1, Duration.ofMillis(200));
            var pull = ctx.socket(SocketType.PULL);
            pull.set(SocketOption.RCVHWM, 1);
            var push = ctx.socket(SocketType.PUSH);
            push.set(SocketOption.SNDHWM, 1);
            push.connect(pull.bind(endpoint(transport, 7)));
            var blocked = new CountDownLatch(1);
            try (var sender = Workers.start("blocked", 1, t -> {
                var failure = assertThrows(ZmqException.class, () -> {
                    for (int i = 0; ; i++) {
                        if (i == 50) {
                            blocked.countDown(); // far beyond both marks: from here on it waits
                        }
                        push.send(Message.of("x"));
                    }
                });
                assertTrue(failure.getMessage().contains("closed") || failure.getMessage().contains("context"), failure.getMessage());
            })) {
                Await.until("the sender is blocked at the high-water mark", LONG, () -> blocked.getCount() == 0
                        || sender.threads().get(0).getState() == Thread.State.WAITING);
                Await.parked(sender.threads().get(0));
                ctx.close();
                sender.join();
            }
        }
    }
}
