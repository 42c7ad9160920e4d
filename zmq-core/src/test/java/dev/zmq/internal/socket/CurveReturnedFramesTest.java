package dev.zmq.internal.socket;

import static dev.zmq.testkit.TaggedFrame.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.security.CurveKeyPair;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Under CURVE too, the frame arrays an application gives back ({@code recv(byte[])}) go back to the
 * connection, whose codec opens the next boxes of the same size into them instead of new arrays.
 */
@Timeout(30)
class CurveReturnedFramesTest {

    @Test
    void aCurveConnectionKeepsTheArraysGivenBackAndFramesStayIntact() {
        int size = 64;
        try (var ctx = new ZmqContext();
                var pull = ctx.socket(SocketType.PULL);
                var push = ctx.socket(SocketType.PUSH)) {
            var server = CurveKeyPair.generate();
            var client = CurveKeyPair.generate();
            pull.set(SocketOption.CURVE_SERVER, true);
            pull.set(SocketOption.CURVE_SECRETKEY, server.secretKey());
            push.set(SocketOption.CURVE_SERVERKEY, server.publicKey());
            push.set(SocketOption.CURVE_PUBLICKEY, client.publicKey());
            push.set(SocketOption.CURVE_SECRETKEY, client.secretKey());
            push.set(SocketOption.LINGER, 0);
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            var core = (SocketCore) pull;
            var buffer = new byte[size + 1];
            for (int burst = 0; burst < 3; burst++) {
                int first = burst * 500;
                for (int i = first; i < first + 500; i++) {
                    push.send(frame(size, i));
                }
                for (int i = first; i < first + 500; i++) {
                    int n = pull.recv(buffer, 0, buffer.length, Duration.ofSeconds(10));
                    assertEquals(size, n, "message " + i + ": size");
                    assertArrayEquals(frame(size, i), Arrays.copyOf(buffer, n), "message " + i + ": content");
                    if (i == first) {
                        assertEquals(1, core.pipesHoldingReturnedFrames(), "burst " + burst + ": the array given back is held for the connection");
                    }
                }
            }
        }
    }
}
