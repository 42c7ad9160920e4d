package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Throws thousands of random and mutated ZMTP streams at a bound socket, each on its own short
 * TCP connection, a few connections at a time, within a time budget. Meanwhile and afterwards a
 * well-behaved peer (one of ours, in a context of its own) must get through; the application thread must never see an exception;
 * the context must not have grown threads, and must leave none behind once closed.
 *
 * <p>Replay a run with {@code -Dfuzz.seed=<seed>} (printed on failure); {@code -Dfuzz.cases} and
 * {@code -Dfuzz.seconds} change the budget.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int MAX_CASES = Integer.getInteger("fuzz.cases", 10_000);
    private static final Duration BUDGET = Duration.ofSeconds(Integer.getInteger("fuzz.seconds", 15));
    /** Hostile connections open at once. */
    private static final int CONCURRENCY = 8;
    private static final Duration ROUND_TRIP = Duration.ofSeconds(5);
    private static final byte[] GOOD_ID = "good-peer".getBytes(StandardCharsets.US_ASCII);
    /** The peer that connects after the fuzz: a ROUTER refuses a second connection with GOOD_ID. */
    private static final byte[] FRESH_ID = "fresh-peer".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SocketType.class, names = {"PULL", "ROUTER", "REP"})
    void keepsServingAWellBehavedPeerThroughHostileStreams(SocketType type) throws Exception {
        var threadsBefore = Threads.liveNames();
        var executed = new AtomicLong();
        var lastGood = new AtomicLong();
        var unresponsive = new ConcurrentLinkedQueue<String>();
        var stop = new AtomicBoolean();
        ExecutorService workers = Executors.newFixedThreadPool(CONCURRENCY, r -> new Thread(r, "fuzz-client"));
        try (var ctx = new ZmqContext(); var server = ctx.socket(type); var peerCtx = new ZmqContext()) {
            var endpoint = server.bind("tcp://127.0.0.1:*");
            var app = new ServerApp(server, type);
            var peer = GoodPeer.connect(peerCtx, type, endpoint, GOOD_ID);
            var failure = "seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")";
            try {
                peer.roundTrip(app, 0);
                var zmqThreadsServing = Threads.zmqThreads();
                assertFalse(zmqThreadsServing.isEmpty(), "no live thread named zmq-* while the context serves: " + Threads.liveNames());

                var cases = new FuzzCases(SEED, peerTypeOf(type), GOOD_ID, type == SocketType.REP);
                long deadline = System.nanoTime() + BUDGET.toNanos();
                var next = new AtomicLong();
                for (int w = 0; w < CONCURRENCY; w++) {
                    workers.execute(() -> {
                        long i;
                        while (!stop.get() && (i = next.getAndIncrement()) < MAX_CASES && System.nanoTime() < deadline) {
                            run(cases.generate(i), endpoint, unresponsive);
                            executed.incrementAndGet();
                        }
                    });
                }
                workers.shutdown();
                // Round trips while the fuzz runs: a break is pinned to the cases run since the last success.
                int trip = 1;
                while (!workers.awaitTermination(200, TimeUnit.MILLISECONDS)) {
                    long before = executed.get();
                    peer.roundTrip(app, trip++, () -> failure + ", broke between cases " + lastGood.get() + " and " + executed.get());
                    lastGood.set(before);
                }
                assertTrue(unresponsive.isEmpty(), () -> failure + ": the server stopped accepting or greeting: " + unresponsive);
                long total = executed.get();
                assertTrue(total >= Math.min(MAX_CASES, 1000), failure + ": only " + total + " cases ran in " + BUDGET);

                peer.roundTrip(app, trip++, () -> failure + ": not serving the existing peer after " + total + " cases");
                try (var fresh = new ZmqContext()) {
                    GoodPeer.connect(fresh, type, endpoint, FRESH_ID).roundTrip(app, trip++, () -> failure + ": not serving a new peer after the fuzz");
                }
                app.assertNoFailure(failure);
                assertTrue(app.fuzzMessages.get() > 0, failure + ": no fuzz case delivered a message; the generator is broken");
                // Connections come and go; threads must not. Allow a moment for the last ones to wind down.
                Await.condition(() -> Threads.zmqThreads().size() <= zmqThreadsServing.size(), Duration.ofSeconds(5),
                        () -> failure + ": zmq threads grew from " + zmqThreadsServing + " to " + Threads.zmqThreads());
                System.out.printf("fuzz %s: %d cases, %d messages delivered from them, %d round trips, seed %d%n",
                        type, total, app.fuzzMessages.get(), trip, SEED);
            } finally {
                stop.set(true); // a failed assertion must not leave the clients hammering on
                workers.shutdown();
                workers.awaitTermination(10, TimeUnit.SECONDS);
                app.close();
            }
        }
        Await.condition(() -> Threads.newZmqThreads(threadsBefore).isEmpty(), Duration.ofSeconds(10),
                () -> "threads of the closed context still alive: " + Threads.newZmqThreads(threadsBefore));
    }

    private static String peerTypeOf(SocketType type) {
        return switch (type) {
            case PULL -> "PUSH";
            case ROUTER -> "DEALER";
            case REP -> "REQ";
            default -> throw new IllegalArgumentException(type.name());
        };
    }

    /**
     * One hostile connection: connect, wait for the server's greeting, write the stream in its
     * chunks, hang up as the case says. Waiting for the greeting keeps the connections the server
     * holds at once down to the number of workers: this test is about malformed input, not floods.
     */
    private static void run(FuzzCases.Case c, String endpoint, ConcurrentLinkedQueue<String> unresponsive) {
        RawZmtpClient raw;
        try {
            raw = RawZmtpClient.connect(endpoint);
            if (!raw.awaitPeerActivity(ROUND_TRIP)) {
                raw.close();
                throw new IOException("no greeting from the server within " + ROUND_TRIP);
            }
        } catch (IOException e) {
            unresponsive.add(c + ": " + e + (unresponsive.isEmpty() ? Threads.dumpZmq() : ""));
            return;
        }
        try {
            var s = c.stream();
            for (int off = 0; off < s.length; off += c.chunk()) {
                if (!raw.tryWrite(Arrays.copyOfRange(s, off, (int) Math.min(s.length, (long) off + c.chunk())))) {
                    break; // the server already hung up, which is its right
                }
            }
            switch (c.ending()) {
                case RESET -> raw.abort();
                case HALF_CLOSE -> {
                    raw.shutdownOutput();
                    raw.awaitClosedByPeer(Duration.ofMillis(100));
                    raw.close();
                }
                case CLOSE -> raw.close();
            }
        } catch (IOException e) {
            closeQuietly(raw);
        }
    }

    private static void closeQuietly(RawZmtpClient raw) {
        try {
            raw.close();
        } catch (IOException ignored) {
            // nothing left to do with a connection that failed
        }
    }

    /**
     * The application side of the bound socket: one thread that keeps receiving (and, for ROUTER
     * and REP, replying) as a real server would, whatever the fuzz delivers.
     */
    private static final class ServerApp implements AutoCloseable {
        private final ZmqSocket socket;
        private final SocketType type;
        private final LinkedBlockingQueue<String> probes = new LinkedBlockingQueue<>();
        /** Messages the fuzz itself got delivered: proof that the mutated streams reach past the codec. */
        private final AtomicLong fuzzMessages = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;
        private volatile boolean running = true;

        ServerApp(ZmqSocket socket, SocketType type) {
            this.socket = socket;
            this.type = type;
            thread = new Thread(this::serve, "fuzz-server-app");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            try {
                while (running) {
                    var m = socket.recv(Duration.ofMillis(100));
                    if (m != null) {
                        handle(m);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        private void handle(Message m) {
            var body = m.frameString(m.size() - 1);
            boolean probe = body.startsWith("probe-");
            if (!probe) {
                fuzzMessages.incrementAndGet();
            }
            switch (type) {
                case PULL -> {
                    if (probe) {
                        probes.add(body);
                    }
                }
                case ROUTER -> {
                    if (probe && m.size() == 2 && (Arrays.equals(m.frame(0), GOOD_ID) || Arrays.equals(m.frame(0), FRESH_ID))) {
                        socket.send(Message.of(m.frame(0), ("reply-" + body.substring(6)).getBytes(StandardCharsets.UTF_8)));
                    } else if (probe) {
                        probes.add("misrouted " + m); // a probe from someone claiming another identity
                    }
                }
                case REP -> socket.send(probe ? "reply-" + body.substring(6) : "ignored"); // a REP must answer every request
                default -> throw new IllegalStateException();
            }
        }

        void assertNoFailure(String context) {
            var t = failure.get();
            if (t != null) {
                throw new AssertionError(context + ": the application thread got " + t, t);
            }
        }

        @Override
        public void close() {
            running = false;
            Joins.join(thread);
        }
    }

    /**
     * A compatible peer that proves the server still answers. One of ours rather than JeroMQ, whose
     * connecting sockets occasionally never handshake (see {@link ServedPull}).
     */
    private record GoodPeer(ZmqSocket socket, SocketType serverType) {
        static GoodPeer connect(ZmqContext ctx, SocketType serverType, String endpoint, byte[] routingId) {
            var type = switch (serverType) {
                case PULL -> SocketType.PUSH;
                case ROUTER -> SocketType.DEALER;
                case REP -> SocketType.REQ;
                default -> throw new IllegalArgumentException(serverType.name());
            };
            var s = ctx.socket(type);
            s.set(SocketOption.ROUTING_ID, routingId);
            s.set(SocketOption.SNDTIMEO, (int) ROUND_TRIP.toMillis());
            s.set(SocketOption.LINGER, 0);
            s.connect(endpoint);
            return new GoodPeer(s, serverType);
        }

        void roundTrip(ServerApp app, int n) throws InterruptedException {
            roundTrip(app, n, () -> "round trip " + n);
        }

        void roundTrip(ServerApp app, int n, java.util.function.Supplier<String> context) throws InterruptedException {
            var probe = "probe-" + n;
            assertTrue(socket.send(Message.of(probe), ROUND_TRIP), () -> context.get() + ": the good peer could not send");
            if (serverType == SocketType.PULL) {
                var got = app.probes.poll(ROUND_TRIP.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(probe, got, () -> context.get() + ": probe not received (app failure " + app.failure.get() + ")"
                        + Threads.dumpZmq());
            } else {
                var reply = socket.recv(ROUND_TRIP);
                assertEquals("reply-" + n, reply == null ? null : reply.frameString(reply.size() - 1),
                        () -> context.get() + ": no reply (app failure " + app.failure.get() + ", " + app.probes + ")" + Threads.dumpZmq());
                assertTrue(app.probes.isEmpty(), () -> context.get() + ": " + app.probes);
            }
        }
    }
}
