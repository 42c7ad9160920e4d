package dev.zmq.robustness;

import dev.zmq.testkit.Libzmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, defect 6: memory per idle connection. A child Python process (raw sockets) holds many
 * connections that completed the NULL handshake and then say nothing; the server's direct memory
 * (BufferPoolMXBean "direct") may grow by less than 16 KiB each, and what connections hold must be
 * given back at close without waiting for a GC. A libzmq peer (pyzmq) is served afterwards.
 *
 * <p>{@code -Dzmq.test.idleConnections=10000} measures at 10,000 (the figures are printed).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdleConnectionMemoryTest {
    private static final int CONNECTIONS = Integer.getInteger("zmq.test.idleConnections", 1000);
    private static final long PER_CONNECTION_BOUND = 16 * 1024;
    /** What the I/O thread keeps for reuse at most: its pool of 32 output buffers of 64 KiB. */
    private static final long POOL_BOUND = 32 * 64 * 1024;

    @Test
    void idleConnectionsHoldLittleDirectMemoryAndGiveItBackAtClose() throws Exception {
        try (var ctx = new ZmqContext(1); var pull = ctx.socket(SocketType.PULL)) {
            var endpoint = pull.bind("tcp://127.0.0.1:*");
            int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
            long directBefore = JvmMemory.directUsedAfterGc();
            long heapBefore = JvmMemory.heapUsedAfterGc();
            var script = Path.of(IdleConnectionMemoryTest.class.getResource("/hostile/idle_clients.py").toURI());
            Libzmq.assumeAvailable();
            var python = new ProcessBuilder(Libzmq.PYTHON, script.toString(), "127.0.0.1", String.valueOf(port),
                    String.valueOf(CONNECTIONS)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (var out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.US_ASCII));
                 Writer in = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.US_ASCII)) {
                assertEquals("OPEN " + CONNECTIONS, line(out), "the Python peers did not all connect");
                Await.condition(() -> pull.statistics().connectedPeers() == CONNECTIONS, Duration.ofSeconds(60),
                        () -> "handshakes done: " + pull.statistics().connectedPeers() + " of " + CONNECTIONS);
                long direct = JvmMemory.directUsedAfterGc() - directBefore;
                long heap = JvmMemory.heapUsedAfterGc() - heapBefore;
                System.out.printf("%d idle connections: direct %s (%d bytes each), heap %s (%d bytes each)%n", CONNECTIONS,
                        JvmMemory.mib(direct), direct / CONNECTIONS, JvmMemory.mib(heap), heap / CONNECTIONS);
                assertTrue(direct < CONNECTIONS * PER_CONNECTION_BOUND, () -> CONNECTIONS + " idle connections hold "
                        + JvmMemory.mib(direct) + " of direct memory: " + direct / CONNECTIONS + " bytes each, bound "
                        + PER_CONNECTION_BOUND);

                in.write("libzmq\n");
                in.flush();
                assertEquals("SENT", line(out), "the libzmq peer did not send");
                var m = pull.recv(Duration.ofSeconds(10));
                assertNotNull(m, "the libzmq peer was not served while the idle connections were open");
                assertTrue(m.frameString(0).startsWith("hello from libzmq"), m.frameString(0));

                in.write("\n");
                in.flush();
                assertEquals("CLOSED", line(out));
                Await.condition(() -> pull.statistics().connectedPeers() == 0, Duration.ofSeconds(30),
                        () -> "connections still open: " + pull.statistics().connectedPeers());
                // No GC here: what the connections held must be back already.
                long left = JvmMemory.directUsed() - directBefore;
                assertTrue(left <= POOL_BOUND, () -> "after the connections closed, without a GC, " + JvmMemory.mib(left)
                        + " of direct memory is still counted (bound: the I/O thread's pool, " + JvmMemory.mib(POOL_BOUND) + ")");
            } finally {
                python.destroy();
                python.waitFor(5, TimeUnit.SECONDS);
                python.destroyForcibly();
            }
        }
    }

    private static String line(BufferedReader out) throws Exception {
        var f = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return f.get(60, TimeUnit.SECONDS);
    }
}
