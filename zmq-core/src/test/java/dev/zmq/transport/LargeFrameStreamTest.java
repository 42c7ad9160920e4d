package dev.zmq.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streams of large frames over tcp, where the sending connection moves to a larger output buffer
 * once a fill stops inside a large frame: every byte arrives in order, across the swap and back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LargeFrameStreamTest {

    /** Frame {@code i} of message {@code m}: its size and every byte depend on both. */
    private static byte[] frame(int m, int i, int size) {
        var b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[k] = (byte) (k * 31 + m * 7 + i);
        }
        return b;
    }

    /** Sizes around the large-buffer threshold and the buffers' sizes, small ones between them. */
    private static int size(int m) {
        return switch (m % 7) {
            case 0 -> 65_536;
            case 1 -> 4_096;
            case 2 -> 16;
            case 3 -> 300_000;
            case 4 -> 65_527;
            case 5 -> 1_000;
            default -> 262_144 + m;
        };
    }

    @Test
    void largeSmallAndMultipartMessagesArriveWholeAndInOrder() {
        int messages = 700;
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            var sender = new Thread(() -> {
                for (int m = 0; m < messages; m++) {
                    if (m % 5 == 4) {
                        push.send(Message.of(frame(m, 0, size(m)), frame(m, 1, 9), frame(m, 2, size(m + 3))));
                    } else {
                        push.send(Message.of(frame(m, 0, size(m))));
                    }
                }
            });
            sender.start();
            for (int m = 0; m < messages; m++) {
                var got = Await.recv(pull);
                if (m % 5 == 4) {
                    assertEquals(3, got.size(), "message " + m);
                    assertArrayEquals(frame(m, 0, size(m)), got.frame(0), "message " + m + " frame 0");
                    assertArrayEquals(frame(m, 1, 9), got.frame(1), "message " + m + " frame 1");
                    assertArrayEquals(frame(m, 2, size(m + 3)), got.frame(2), "message " + m + " frame 2");
                } else {
                    assertEquals(1, got.size(), "message " + m);
                    assertArrayEquals(frame(m, 0, size(m)), got.first(), "message " + m);
                }
            }
            Await.until("the sender finished", () -> !sender.isAlive());
        }
    }
}
