package dev.zmq.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Endpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A REQ whose pipe exists before its connection (connect before bind, or a request sent while the
 * handshake runs) must get every reply: the first message crosses a pipe that no connection
 * carried yet, the reader is asleep in recv while the connection comes up, and a fast peer's reply
 * can arrive while the REQ is still inside send (the pipes are lock-free). Many short lives per
 * transport, each round trip with a deadline, so a lost reply or wake-up fails instead of hanging.
 * This reproduced HelloWorldIT's stalled client: REQ ate the reply as a stale message.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConnectBeforeBindStressTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final int ROUNDS = 3;
    private static ExecutorService server;
    private static Path ipcDir;

    @BeforeAll
    static void start() throws Exception {
        server = Executors.newSingleThreadExecutor(r -> {
            var t = new Thread(r, "rep-side");
            t.setDaemon(true);
            return t;
        });
        ipcDir = Files.createTempDirectory("zmq-cbb");
    }

    @AfterAll
    static void stop() throws Exception {
        server.shutdownNow();
        try (var files = Files.list(ipcDir)) {
            for (var f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(ipcDir);
    }

    private static String endpoint(String transport, int i) {
        return switch (transport) {
            case "tcp" -> Endpoints.unused();
            case "ipc" -> "ipc://" + ipcDir.resolve("s" + i);
            default -> "inproc://cbb-" + i;
        };
    }

    /** REQ connects first and sends at once; REP binds after; the REQ thread then waits in recv. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void requestsQueuedBeforeTheServerExistsAreAnswered(String transport) throws Exception {
        int lives = "tcp".equals(transport) ? 150 : 300;
        try (var ctx = new ZmqContext()) {
            for (int i = 0; i < lives; i++) {
                var ep = endpoint(transport, i);
                var req = ctx.socket(SocketType.REQ);
                req.set(dev.zmq.SocketOption.LINGER, 0);
                req.connect(ep);
                req.send("hello 0");
                var rep = ctx.socket(SocketType.REP);
                rep.set(dev.zmq.SocketOption.LINGER, 0);
                rep.bind(ep);
                Future<?> replies = server.submit(() -> echo(rep, ROUNDS));
                for (int r = 0; r < ROUNDS; r++) {
                    if (r > 0) {
                        req.send("hello " + r);
                    }
                    assertReply(req, "hello " + r, transport + " life " + i + " round " + r);
                }
                replies.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                req.close();
                rep.close();
            }
        }
    }

    /** REP is there first; REQ connects and sends while its handshake may still be under way. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void requestsSentDuringTheHandshakeAreAnswered(String transport) throws Exception {
        int lives = "tcp".equals(transport) ? 150 : 300;
        try (var ctx = new ZmqContext()) {
            var rep = ctx.socket(SocketType.REP);
            var ep = rep.bind("tcp".equals(transport) ? "tcp://127.0.0.1:*" : endpoint(transport, 100_000));
            Future<?> replies = server.submit(() -> echo(rep, lives * ROUNDS));
            for (int i = 0; i < lives; i++) {
                var req = ctx.socket(SocketType.REQ);
                req.set(dev.zmq.SocketOption.LINGER, 0);
                req.connect(ep);
                for (int r = 0; r < ROUNDS; r++) {
                    req.send("hello " + i + "." + r);
                    assertReply(req, "hello " + i + "." + r, transport + " life " + i + " round " + r);
                }
                req.close();
            }
            replies.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static void assertReply(ZmqSocket req, String expected, String where) {
        Message m = req.recv(DEADLINE);
        assertNotNull(m, () -> "no reply within " + DEADLINE.toMillis() + " ms (" + where + ")");
        assertEquals(expected, m.frameString(0), where);
    }

    private static Void echo(ZmqSocket rep, int n) {
        for (int k = 0; k < n; k++) {
            var m = rep.recv(DEADLINE);
            if (m == null) {
                throw new AssertionError("REP got no request " + k + " within " + DEADLINE.toMillis() + " ms");
            }
            rep.send(m);
        }
        return null;
    }
}
