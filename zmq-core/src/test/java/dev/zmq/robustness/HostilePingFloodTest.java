package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, defect 2: a peer that floods PINGs and never reads the PONGs. As libzmq, at most one
 * PONG is pending, and reading pauses while it cannot go out, so the flood fills the peer's own
 * send buffer instead of the server's heap.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostilePingFloodTest {
    /** What the flooder tries to send: about 3.7 million PINGs (each queued PONG took ~28 bytes before). */
    private static final long FLOOD_BYTES = 32L << 20;
    /** How long the flooder keeps trying. */
    private static final Duration FLOOD_TIME = Duration.ofSeconds(6);
    /** Generous: kernel buffers and the connection's own state; the unbounded PONG queue took 18 MiB for the 13 MiB of PINGs it read in that time. */
    private static final long HEAP_BOUND = 6L << 20;

    @Test
    void aPingFloodFromAPeerThatNeverReadsCostsBoundedMemory() throws Exception {
        try (var pull = new ServedPull()) {
            long before = JvmMemory.heapUsedAfterGc();
            var uri = URI.create(pull.endpoint());
            try (var flooder = SocketChannel.open()) {
                flooder.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4096); // and never read
                flooder.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
                flooder.write(ByteBuffer.wrap(Zmtp.concat(Zmtp.greeting(1), Zmtp.ready("PUSH"))));
                var ping = Zmtp.command("PING", new byte[] {0, 0});
                var chunk = ByteBuffer.allocate(ping.length * 7000);
                while (chunk.remaining() >= ping.length) {
                    chunk.put(ping);
                }
                var sent = new AtomicLong();
                var writer = new Thread(() -> {
                    try {
                        while (sent.get() < FLOOD_BYTES) {
                            chunk.clear();
                            while (chunk.hasRemaining()) {
                                sent.addAndGet(flooder.write(chunk));
                            }
                        }
                    } catch (IOException closed) {
                        // the test closed the channel, or the server did
                    }
                }, "ping-flooder");
                writer.setDaemon(true);
                writer.start();
                writer.join(FLOOD_TIME.toMillis());
                // Flooding (blocked or done): the server has taken what it will take.
                pull.assertExistingPeerServed("during");
                long grown = JvmMemory.heapUsedAfterGc() - before;
                long flooded = sent.get();
                System.err.println("ping flood: sent " + JvmMemory.mib(flooded) + ", heap grew " + JvmMemory.mib(grown));
                assertTrue(grown < HEAP_BOUND, () -> "a PING flood of " + JvmMemory.mib(flooded) + " from a peer that never reads grew the heap by "
                        + JvmMemory.mib(grown));
                flooder.close();
                writer.join(5_000);
                assertTrue(!writer.isAlive(), "the flooder did not stop after its channel was closed");
            }
            pull.assertNewPeerServed("after");
        }
    }
}
