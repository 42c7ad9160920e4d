package dev.zmq.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Workers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A connection's reading pauses at RCVHWM and resumes when the application has read down to the
 * low-water mark, many thousand times per run: small messages (a read of the I/O thread's buffer
 * brings tens of thousands, so most pauses hold undecoded bytes), read by an application that
 * alternates between reading as fast as it can (it empties the pipe and sleeps on it, so deliveries
 * wake it) and stalling for a few microseconds (the pipe fills, reading pauses). A lost resume or
 * a lost wake-up of the reader shows as a receive that times out; every message must arrive once,
 * in order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadPauseResumeStressTest {
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final int SCALE = Integer.getInteger("zmq.test.stressScale", 1);

    @ParameterizedTest(name = "{0} RCVHWM {1}")
    @CsvSource({"tcp, 1", "tcp, 50", "tcp, 1000", "ipc, 1000"})
    void everyMessageArrivesInOrderThroughThousandsOfPauses(String transport, int hwm) throws Exception {
        int count = 300_000 * SCALE;
        try (var ctx = new ZmqContext(1);
             var pull = ctx.socket(SocketType.PULL);
             var push = ctx.socket(SocketType.PUSH)) {
            pull.set(SocketOption.RCVHWM, hwm);
            push.set(SocketOption.SNDHWM, 1000);
            push.set(SocketOption.LINGER, 0);
            var bound = pull.bind(transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://*");
            push.connect(bound);
            try (var sender = Workers.start("pause-resume-sender", 1, ignored -> {
                for (int i = 0; i < count; i++) {
                    if (!push.send(Message.of(ByteBuffer.allocate(16).putInt(0, i).array()), DEADLINE)) {
                        fail("send " + i + " blocked for " + DEADLINE + " (the sender's wake-up was lost)");
                    }
                }
            })) {
                var random = new SplittableRandom(hwm * 31L + transport.hashCode());
                for (int i = 0; i < count; i++) {
                    var m = pull.recv(DEADLINE);
                    if (m == null) {
                        fail(transport + " RCVHWM " + hwm + ": message " + i + " of " + count + " not received within "
                                + DEADLINE + " (a resume or a wake-up was lost)");
                    }
                    assertEquals(i, ByteBuffer.wrap(m.first()).getInt(), "order");
                    if (random.nextInt(2_000) == 0) {
                        stall(random.nextInt(20, 200)); // the pipe fills meanwhile: reading pauses
                    }
                }
                sender.join();
            }
            assertNull(pull.tryRecv(), "a message beyond those sent");
        }
    }

    /** Busy for {@code micros}: the application is slow for a moment (not a sleep: nothing is waited for). */
    private static void stall(int micros) {
        long end = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
