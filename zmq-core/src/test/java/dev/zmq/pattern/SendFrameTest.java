package dev.zmq.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code send(byte[])} on PUSH, DEALER and PAIR queues the frame itself (no Message); mixed with
 * {@code send(Message)} and frame-at-a-time sends, every message arrives once, in order, with its
 * content, over a connection and inproc, and is counted; SNDHWM and SNDTIMEO hold as for Messages.
 */
class SendFrameTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> pairs() {
        return Stream.of(SocketType.PUSH, SocketType.DEALER, SocketType.PAIR)
                .flatMap(type -> Stream.of("tcp://127.0.0.1:*", "inproc://send-frame-" + type)
                        .map(endpoint -> Arguments.of(type, endpoint)));
    }

    private static SocketType receiverOf(SocketType sender) {
        return switch (sender) {
            case PUSH -> SocketType.PULL;
            case DEALER -> SocketType.DEALER;
            default -> SocketType.PAIR;
        };
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void framesAndMessagesArriveInOrderWithTheirContent(SocketType type, String endpoint) {
        try (var ctx = new ZmqContext(); var receiver = ctx.socket(receiverOf(type)); var sender = ctx.socket(type)) {
            sender.set(SocketOption.LINGER, 0);
            receiver.set(SocketOption.RCVTIMEO, (int) Await.SOON.toMillis());
            sender.connect(receiver.bind(endpoint));
            int rounds = 300; // 1,500 messages: fewer than inproc queues (SNDHWM + RCVHWM) while nobody reads
            long bytes = 0;
            for (int i = 0; i < rounds; i++) {
                String n = Integer.toString(i);
                sender.send(utf8("f" + n));
                sender.send(Message.of("m" + n));
                sender.send(Message.of("a" + n, "b" + n));
                sender.sendMore(utf8("p" + n));
                sender.send(utf8("q" + n));
                sender.send(new byte[0]);
                bytes += 2L * (1 + n.length()) + 2L * (1 + n.length()) + 2L * (1 + n.length());
            }
            for (int i = 0; i < rounds; i++) {
                String n = Integer.toString(i);
                if (i % 2 == 0) {
                    assertEquals(Message.of("f" + n), receiver.recv(), "round " + i);
                    assertArrayEquals(utf8("m" + n), receiver.recvFrame(), "round " + i);
                    assertFalse(receiver.hasMore());
                } else {
                    assertArrayEquals(utf8("f" + n), receiver.recvFrame(), "round " + i);
                    assertFalse(receiver.hasMore());
                    assertEquals(Message.of("m" + n), receiver.recv(), "round " + i);
                }
                assertEquals(Message.of("a" + n, "b" + n), receiver.recv(), "round " + i);
                assertEquals(Message.of("p" + n, "q" + n), receiver.recv(), "round " + i);
                assertEquals(0, receiver.recvFrame().length, "round " + i);
                assertFalse(receiver.hasMore());
            }
            receiver.set(SocketOption.RCVTIMEO, 0);
            assertEquals(ZmqError.EAGAIN, assertThrows(ZmqException.class, receiver::recv).error(), "nothing more, nothing twice");
            var stats = sender.statistics();
            assertEquals(5L * rounds, stats.messagesSent());
            assertEquals(bytes, stats.bytesSent());
            assertEquals(5L * rounds, receiver.statistics().messagesReceived());
        }
    }

    /** inproc: exactly SNDHWM + the peer's RCVHWM frames fit; then a send waits for room, and one read makes room for one. */
    @ParameterizedTest
    @ValueSource(strings = {"PUSH", "DEALER", "PAIR"})
    void sndhwmIsExactForFrames(SocketType type) {
        try (var ctx = new ZmqContext(); var receiver = ctx.socket(receiverOf(type)); var sender = ctx.socket(type)) {
            receiver.set(SocketOption.RCVHWM, 2);
            sender.set(SocketOption.SNDHWM, 3);
            sender.set(SocketOption.LINGER, 0);
            sender.set(SocketOption.SNDTIMEO, 0);
            sender.connect(receiver.bind("inproc://send-frame-hwm-" + type));
            int queued = 0;
            while (queued < 100) {
                try {
                    sender.send(utf8("x" + queued));
                } catch (ZmqException e) {
                    assertEquals(ZmqError.EAGAIN, e.error());
                    break;
                }
                queued++;
            }
            assertEquals(5, queued, "SNDHWM 3 + RCVHWM 2");
            assertFalse(sender.trySend(Message.of("also full")));

            sender.set(SocketOption.SNDTIMEO, 150);
            long start = System.nanoTime();
            assertEquals(ZmqError.EAGAIN, assertThrows(ZmqException.class, () -> sender.send(utf8("late"))).error());
            assertTrue(System.nanoTime() - start >= 150_000_000L, "send(byte[]) gave up before SNDTIMEO");

            receiver.set(SocketOption.RCVTIMEO, (int) Await.SOON.toMillis());
            assertArrayEquals(utf8("x0"), receiver.recvFrame());
            sender.send(utf8("x5")); // waits, if need be, for the reader's report of the room it made
            sender.set(SocketOption.SNDTIMEO, 0);
            assertEquals(ZmqError.EAGAIN, assertThrows(ZmqException.class, () -> sender.send(utf8("x6"))).error());
            for (int i = 1; i <= 5; i++) {
                assertEquals(Message.of("x" + i), receiver.recv());
            }
            assertEquals(6, sender.statistics().messagesSent());
        }
    }
}
