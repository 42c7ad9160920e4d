package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.internal.pipe.Pipe;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RCVHWM holds however much one read brings. A peer writes far more small messages at once than
 * RCVHWM allows (more bytes than the I/O thread's read buffer), then closes: the connection's pipe
 * stops at RCVHWM, never past it, the rest waits undecoded, and once the
 * application reads, every message arrives, in order, before the peer's close is noticed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiveHighWaterMarkTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final int MESSAGES = 150_000; // 6 wire bytes each: 900 KB, more than a 512 KiB read

    @ParameterizedTest(name = "RCVHWM {0}")
    @ValueSource(ints = {1, 100, 1000})
    void aBurstLargerThanOneReadStopsAtRcvhwmAndLosesNothing(int hwm) throws Exception {
        var wire = new ByteArrayOutputStream();
        for (int i = 0; i < MESSAGES; i++) {
            wire.write(Zmtp.message(ByteBuffer.allocate(4).putInt(i).array()));
        }
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL)) {
            pull.set(SocketOption.RCVHWM, hwm);
            var raw = RawZmtpClient.connect(pull.bind("tcp://127.0.0.1:*"));
            raw.handshake("PUSH", T);
            var writer = new Thread(() -> {
                try (raw) {
                    raw.write(wire.toByteArray()); // blocks while we hold back; closes when all is written
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "burst-writer");
            writer.start();
            var found = new Pipe[1];
            Await.condition(() -> (found[0] = onlyPipe(pull)) != null, T, "the peer's pipe");
            var pipe = found[0];
            Await.condition(() -> pipe.inboundSize() >= hwm, T, "RCVHWM reached");
            // Reading is paused now: nothing more arrives until the application reads.
            int queued = pipe.inboundSize();
            assertTrue(queued <= hwm, "RCVHWM " + hwm + " passed: " + queued + " queued");
            for (int i = 0; i < MESSAGES; i++) {
                var m = pull.recv(T);
                assertNotNull(m, "message " + i + " of " + MESSAGES + " never arrived");
                assertEquals(i, ByteBuffer.wrap(m.first()).getInt(), "message order");
                if (i % 100 == 0) {
                    assertTrue(pipe.inboundSize() <= hwm, "RCVHWM " + hwm + " passed: " + pipe.inboundSize());
                }
            }
            writer.join(T.toMillis());
        }
    }

    /** The socket's one pipe, once its peer's handshake is done. */
    private static Pipe onlyPipe(ZmqSocket socket) {
        var pipes = SocketPipes.of(socket);
        return pipes != null && pipes.size() == 1 ? pipes.iterator().next() : null;
    }
}
