package dev.zmq.internal.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A connection lets go of the frame arrays its application gave back ({@code recv(byte[])}) once
 * they stay untaken for a while, so quiet peers hold none of them (a receiver with thousands of idle
 * peers would otherwise keep up to a ring's cap for each), and receiving into the caller's buffer
 * goes on as before afterwards. The peer is JeroMQ's PUSH over tcp.
 */
class ReturnedFramesIdleTest {

    private static byte[] frame(int size, int tag) {
        var f = new byte[size];
        for (int i = 0; i < size; i++) {
            f[i] = (byte) (tag * 31 + i);
        }
        return f;
    }

    private static void receiveInto(dev.zmq.ZmqSocket pull, byte[] buffer, int from, int count, int size) {
        for (int i = from; i < from + count; i++) {
            int n = pull.recv(buffer, 0, buffer.length, Duration.ofSeconds(10));
            assertEquals(size, n, "message " + i + ": size");
            assertArrayEquals(frame(size, i), Arrays.copyOf(buffer, n), "message " + i + ": content");
        }
    }

    @Test
    void anIdleConnectionLetsGoOfTheArraysGivenBackAndReceivingGoesOnAfterwards() {
        int size = 256;
        try (var ctx = new ZmqContext();
                var pull = ctx.socket(SocketType.PULL);
                var jctx = new org.zeromq.ZContext()) {
            String endpoint = pull.bind("tcp://127.0.0.1:*");
            var push = jctx.createSocket(org.zeromq.SocketType.PUSH);
            push.connect(endpoint);
            var core = (SocketCore) pull;
            var buffer = new byte[size + 1];

            for (int i = 0; i < 100; i++) {
                push.send(frame(size, i));
            }
            receiveInto(pull, buffer, 0, 1, size);
            assertEquals(1, core.pipesHoldingReturnedFrames(), "the first array given back is held for the connection");
            receiveInto(pull, buffer, 1, 99, size);

            Await.until("the quiet connection holds no returned arrays", Duration.ofSeconds(20),
                    () -> core.pipesHoldingReturnedFrames() == 0);

            for (int i = 100; i < 200; i++) {
                push.send(frame(size, i));
            }
            receiveInto(pull, buffer, 100, 1, size);
            assertEquals(1, core.pipesHoldingReturnedFrames(), "giving arrays back again holds them again");
            receiveInto(pull, buffer, 101, 99, size);
            Await.until("and lets go of them again once quiet", Duration.ofSeconds(20),
                    () -> core.pipesHoldingReturnedFrames() == 0);
        }
    }
}
