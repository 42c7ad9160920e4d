package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.internal.pipe.Pipe;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection paused at RCVHWM keeps the bytes it read and could not decode yet, and only those:
 * many peers each send a burst the application does not read, every connection pauses holding most
 * of its burst, and the heap grows by about what they sent, not by a read buffer (512 KiB) per
 * paused connection. Then everything is read, each peer's messages in order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PausedConnectionMemoryTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final int PEERS = 40;
    private static final int MESSAGES = 10_000; // 8 wire bytes each: 80 KB per peer, a sixth of a read buffer
    private static final int RCVHWM = 10;

    @Test
    void pausedConnectionsHoldWhatTheyReadNotAReadBufferEach() throws Exception {
        var wire = new ByteArrayOutputStream();
        for (int i = 0; i < MESSAGES; i++) {
            wire.write(Zmtp.message(ByteBuffer.allocate(6).putInt(2, i).array()));
        }
        byte[] burst = wire.toByteArray();
        var peers = new ArrayList<RawZmtpClient>();
        try (var ctx = new ZmqContext(1); var pull = ctx.socket(SocketType.PULL)) {
            pull.set(SocketOption.RCVHWM, RCVHWM);
            var endpoint = pull.bind("tcp://127.0.0.1:*");
            long heapBefore = JvmMemory.heapUsedAfterGc();
            try {
                for (int p = 0; p < PEERS; p++) {
                    var raw = RawZmtpClient.connect(endpoint);
                    peers.add(raw);
                    raw.handshake("PUSH", T);
                    var id = ByteBuffer.allocate(6).putShort((short) p).array(); // peer number, then the sequence
                    for (int i = 0; i < MESSAGES; i++) {
                        System.arraycopy(id, 0, burst, i * 8 + 2, 2);
                    }
                    raw.write(burst); // fits the kernel's buffers: the connection reads it all, then pauses
                }
                Await.condition(() -> allPaused(pull), T, "every connection paused at RCVHWM");
                long held = JvmMemory.heapUsedAfterGc() - heapBefore;
                long sent = (long) PEERS * burst.length;
                System.out.printf("%d paused connections, %s sent: heap %s%n", PEERS, JvmMemory.mib(sent), JvmMemory.mib(held));
                // One read buffer per paused connection would be 20 MiB; the spare buffer of the I/O thread is one.
                long bound = 2 * sent + 1024 * 1024;
                assertTrue(held < bound, () -> PEERS + " paused connections hold " + JvmMemory.mib(held) + " for "
                        + JvmMemory.mib(sent) + " received (bound " + JvmMemory.mib(bound) + ")");

                int[] next = new int[PEERS];
                for (int n = 0; n < PEERS * MESSAGES; n++) {
                    var m = pull.recv(T);
                    assertNotNull(m, "message " + n + " of " + PEERS * MESSAGES + " never arrived");
                    var body = ByteBuffer.wrap(m.first());
                    int peer = body.getShort(0);
                    assertEquals(next[peer]++, body.getInt(2), "peer " + peer + "'s order");
                }
            } finally {
                for (var raw : peers) {
                    raw.close();
                }
            }
        }
    }

    private static boolean allPaused(dev.zmq.ZmqSocket pull) {
        var pipes = SocketPipes.of(pull);
        return pipes != null && pipes.size() == PEERS && pipes.stream().allMatch(Pipe::isReadPaused);
    }
}
