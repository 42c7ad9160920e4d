package dev.zmq.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the perf tools in-process, in pairs over tcp loopback, on both implementations, and checks
 * their output has libzmq's lines and formats. Speed is not asserted.
 *
 * <p>The generous timeout is for JeroMQ 0.6.0: about 3% of its tcp connections stall in the handshake
 * until HANDSHAKE_IVL (30 s) drops and redoes them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PerfCommandsTest {
    private static final String ANY_PORT = "tcp://127.0.0.1:*";

    private static ExecutorService locals;

    @BeforeAll
    static void startExecutor() {
        locals = Executors.newCachedThreadPool(r -> {
            var thread = new Thread(r, "local side");
            thread.setDaemon(true); // a local side stuck after a failed assertion must not keep the JVM alive
            return thread;
        });
    }

    @AfterAll
    static void stopExecutor() {
        locals.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "jeromq"})
    void throughputOverTcpPrintsLibzmqLines(String impl) throws Exception {
        var pair = runPair(impl, "local_thr", "remote_thr", 64, 2_000);

        assertEquals(0, pair.remote.status(), pair.remote::describe);
        assertEquals("", pair.remote.out(), "remote_thr prints nothing, as libzmq's");
        assertEquals(0, pair.local.status(), pair.local::describe);
        assertLinesMatch(List.of(
                "message size: 64 \\[B\\]",
                "message count: 2000",
                "mean throughput: \\d+ \\[msg/s\\]",
                "mean throughput: \\d+\\.\\d{3} \\[Mb/s\\]"), pair.local.lines());
        long msgPerSec = Long.parseLong(value(pair.local.lines().get(2), "mean throughput: (\\d+) "));
        double megabits = Double.parseDouble(value(pair.local.lines().get(3), "mean throughput: ([0-9.]+) "));
        assertTrue(msgPerSec > 0, "msg/s must be positive");
        // Mb/s is megabits: msg/s * size * 8 / 1e6 (msg/s printed truncated, hence the tolerance).
        assertEquals(msgPerSec * 64 * 8 / 1e6, megabits, 64 * 8 / 1e6 + 0.001);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "jeromq"})
    void latencyOverTcpPrintsLibzmqLines(String impl) throws Exception {
        var pair = runPair(impl, "local_lat", "remote_lat", 16, 200);

        assertEquals(0, pair.local.status(), pair.local::describe);
        assertEquals("", pair.local.out(), "local_lat prints nothing, as libzmq's");
        assertEquals(0, pair.remote.status(), pair.remote::describe);
        assertLinesMatch(List.of(
                "message size: 16 \\[B\\]",
                "roundtrip count: 200",
                "average latency: \\d+\\.\\d{3} \\[us\\]"), pair.remote.lines());
        assertTrue(Double.parseDouble(value(pair.remote.lines().get(2), "average latency: ([0-9.]+) ")) > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "jeromq"})
    void weatherSubscriberGetsItsZipcodeAndTheEndMarker(String impl) throws Exception {
        var bound = new CompletableFuture<String>();
        var pub = CompletableFuture.supplyAsync(() -> Run.of(bound::complete,
                "--impl", impl, "weather_pub", ANY_PORT, "200000"), locals);
        var endpoint = bound.get(20, TimeUnit.SECONDS);
        // The empty prefix matches every update: the subscriber must see all of them, then the marker.
        var sub = Run.of(e -> { }, "--impl", impl, "weather_sub", endpoint, "");
        var published = pub.get(30, TimeUnit.SECONDS);
        assertEquals(0, published.status(), published::describe);
        assertEquals(0, sub.status(), sub::describe);
        assertLinesMatch(List.of(
                "published: 200000 \\[updates\\]",
                "elapsed: \\d+\\.\\d{3} \\[s\\]",
                "mean rate: \\d+ \\[updates/s\\]"), published.lines());
        assertLinesMatch(List.of(
                "zipcode: ''",
                "received: 200000 \\[updates\\]",
                "average temperature: -?\\d+\\.\\d",
                "elapsed: \\d+\\.\\d{3} \\[s\\]",
                "filtered rate: \\d+ \\[published updates/s\\]"), sub.lines());
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "jeromq"})
    void wrongMessageSizeIsReportedAsLibzmqDoes(String impl) throws Exception {
        var local = startLocal(impl, "local_thr", 16, 1);

        var remote = Run.of(e -> { }, "--impl", impl, "remote_thr", local.endpoint(), "17", "1");
        var result = local.run().get(30, TimeUnit.SECONDS);

        assertEquals(0, remote.status(), remote::describe);
        assertEquals(Perf.FAILED, result.status(), result::describe);
        assertEquals(List.of("message of incorrect size received"), result.lines());
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "jeromq"})
    void inprocRunsOnBothImplementations(String impl) {
        var thr = Run.of(e -> { }, "--impl", impl, "inproc_thr", "32", "5000");
        assertEquals(0, thr.status(), thr::describe);
        assertLinesMatch(List.of(
                "message size: 32 \\[B\\]",
                "message count: 5000",
                "mean throughput: \\d+ \\[msg/s\\]",
                "mean throughput: \\d+\\.\\d{3} \\[Mb/s\\]"), thr.lines());

        var lat = Run.of(e -> { }, "--impl", impl, "inproc_lat", "32", "500");
        assertEquals(0, lat.status(), lat::describe);
        assertLinesMatch(List.of(
                "message size: 32 \\[B\\]",
                "roundtrip count: 500",
                "average latency: \\d+\\.\\d{3} \\[us\\]"), lat.lines());
    }

    @Test
    void badArgumentsPrintTheUsageLineAndExitOne() {
        var tooFew = Run.of(e -> { }, "--impl", "jeromq", "local_thr", ANY_PORT, "16");
        assertEquals(Perf.USAGE, tooFew.status());
        assertEquals(List.of("usage: local_thr <bind-to> <message-size> <message-count> [<enable_curve>]"), tooFew.lines());

        var notANumber = Run.of(e -> { }, "remote_lat", "tcp://127.0.0.1:1", "sixteen", "10");
        assertEquals(Perf.USAGE, notANumber.status());
        assertEquals(List.of("usage: remote_lat <connect-to> <message-size> <roundtrip-count>"), notANumber.lines());

        var zeroCount = Run.of(e -> { }, "inproc_lat", "16", "0");
        assertEquals(Perf.USAGE, zeroCount.status());
        assertEquals(List.of("usage: inproc_lat <message-size> <roundtrip-count>"), zeroCount.lines());

        var unknownImpl = Run.of(e -> { }, "--impl", "cppzmq", "local_thr", ANY_PORT, "16", "10");
        assertEquals(Perf.USAGE, unknownImpl.status());
        assertTrue(unknownImpl.out().startsWith("usage: java -jar zmq-perf.jar [--impl native|jeromq] <command> <args>"));

        var noCommand = Run.of(e -> { });
        assertEquals(Perf.USAGE, noCommand.status());
        assertTrue(noCommand.out().contains("  inproc_thr <message-size> <message-count>"), noCommand::describe);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"native,native", "native,jeromq", "jeromq,native"})
    void curveThroughputPairsAcrossImplementations(String localImpl, String remoteImpl) throws Exception {
        var bound = new CompletableFuture<String>();
        var run = CompletableFuture.supplyAsync(() -> Run.of(bound::complete,
                "--impl", localImpl, "local_thr", ANY_PORT, "100", "500", "1"), locals);
        run.whenComplete((result, error) -> bound.completeExceptionally(
                new AssertionError("local_thr ended before binding: " + (result == null ? error : result.describe()))));
        var remote = Run.of(e -> { }, "--impl", remoteImpl, "remote_thr", bound.get(20, TimeUnit.SECONDS), "100", "500", "1");
        var local = run.get(30, TimeUnit.SECONDS);
        assertEquals(0, remote.status(), remote::describe);
        assertEquals(0, local.status(), local::describe);
        assertEquals("message count: 500", local.lines().get(1));
    }

    @Test
    void curveServerKeysDefaultToLibzmqPerfPairOrComeFromTheEnvironment() {
        var libzmq = PerfCurve.serverKeys(java.util.Map.of());
        assertEquals(PerfCurve.LIBZMQ_SERVER_PUBLIC, libzmq.publicKeyZ85());
        var own = dev.zmq.security.CurveKeyPair.generate();
        var env = java.util.Map.of("ZMQ_PERF_SERVER_PUBLIC", own.publicKeyZ85(), "ZMQ_PERF_SERVER_SECRET", own.secretKeyZ85());
        assertEquals(own, PerfCurve.serverKeys(env));
        assertEquals(own.publicKeyZ85(), dev.zmq.security.Z85.encode(PerfCurve.serverPublicKey(env)));
        var bad = java.util.Map.of("ZMQ_PERF_SERVER_PUBLIC", libzmq.publicKeyZ85(), "ZMQ_PERF_SERVER_SECRET", own.secretKeyZ85());
        org.junit.jupiter.api.Assertions.assertThrows(PerfCommand.UsageException.class, () -> PerfCurve.serverKeys(bad));
    }

    /** Starts the local side on an ephemeral port, runs the remote side against it, waits for both. */
    private static Pair runPair(String impl, String localCommand, String remoteCommand, int size, int count)
            throws Exception {
        var local = startLocal(impl, localCommand, size, count);
        var remote = Run.of(e -> { }, "--impl", impl, remoteCommand, local.endpoint(),
                String.valueOf(size), String.valueOf(count));
        return new Pair(local.run().get(30, TimeUnit.SECONDS), remote);
    }

    /** Runs a {@code local_*} command on {@code tcp://127.0.0.1:*} in the background; returns once it has bound. */
    private static Local startLocal(String impl, String command, int size, int count) throws Exception {
        var bound = new CompletableFuture<String>();
        var run = CompletableFuture.supplyAsync(() -> Run.of(bound::complete,
                "--impl", impl, command, ANY_PORT, String.valueOf(size), String.valueOf(count)), locals);
        run.whenComplete((result, error) -> bound.completeExceptionally(
                new AssertionError(command + " ended before binding: " + (result == null ? error : result.describe()))));
        var endpoint = bound.get(20, TimeUnit.SECONDS);
        assertTrue(endpoint.matches("tcp://127\\.0\\.0\\.1:\\d+"), "bound endpoint: " + endpoint);
        return new Local(endpoint, run);
    }

    private static String value(String line, String regex) {
        var matcher = Pattern.compile(regex).matcher(line);
        assertTrue(matcher.find(), () -> "'" + regex + "' not found in: " + line);
        return matcher.group(1);
    }

    private record Pair(Run local, Run remote) {
    }

    private record Local(String endpoint, CompletableFuture<Run> run) {
    }

    /** One in-process command line run: its exit status and what it printed. */
    private record Run(int status, String out, String err) {
        static Run of(Consumer<String> onBound, String... argv) {
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            int status;
            try (var outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                 var errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                status = Perf.run(List.of(argv), outStream, errStream, onBound);
            }
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }

        List<String> lines() {
            return out.lines().toList();
        }

        String describe() {
            return "exit " + status + ", stdout:\n" + out + "stderr:\n" + err;
        }
    }
}
