package dev.zmq.concurrency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.Workers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16 ("one native perf run printed nothing within 120 s"): many short runs, each with a
 * deadline, that stall if a reader or a writer ever misses a wake-up, or if a message is lost.
 * Black-box through the public API only, so that it holds for any pipe implementation:
 *
 * <ul>
 *   <li>REQ/REP round trips on a fresh pair each run (the first messages race the handshake);</li>
 *   <li>PUSH/PULL at a tiny HWM with mixed sizes (256 B as in the perf run, and frames larger than
 *       the kernel's socket buffers, so writes end partially and wait for OP_WRITE), every message
 *       counted in order;</li>
 *   <li>a send blocked at HWM must be released by the reader taking one message;</li>
 *   <li>all of it on tcp, ipc and inproc, with several pairs at once so threads contend.</li>
 * </ul>
 *
 * A lost wake-up shows as a receive or send that times out (deadline {@link #DEADLINE}, far above
 * any legitimate latency), reported with the run and message where it stalled. Longer campaigns:
 * {@code -Dzmq.test.stressScale=20}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LostWakeupStressTest {
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final int SCALE = Integer.getInteger("zmq.test.stressScale", 1);
    private static final AtomicInteger INPROC = new AtomicInteger();

    private static String endpoint(String transport) {
        return switch (transport) {
            case "tcp" -> "tcp://127.0.0.1:*";
            case "ipc" -> "ipc://*";
            case "inproc" -> "inproc://lost-wakeup-" + INPROC.incrementAndGet();
            default -> throw new IllegalArgumentException(transport);
        };
    }

    /** Binds {@code a} and connects {@code b} to it. */
    private static void join(ZmqSocket a, ZmqSocket b, String transport) {
        b.connect(a.bind(endpoint(transport)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void requestReplyRunsNeverStall(String transport) throws Exception {
        int pairs = 3;
        int runs = 40 * SCALE;
        int rounds = 150;
        var completed = new AtomicInteger();
        try (var ctx = new ZmqContext(2)) {
            try (var workers = Workers.start("req-rep-" + transport, pairs, p -> {
                for (int run = 0; run < runs; run++) {
                    try (var rep = ctx.socket(SocketType.REP); var req = ctx.socket(SocketType.REQ)) {
                        rep.set(SocketOption.LINGER, 0);
                        req.set(SocketOption.LINGER, 0);
                        join(rep, req, transport);
                        for (int round = 0; round < rounds; round++) {
                            var body = ByteBuffer.allocate(8).putInt(p).putInt(round).array();
                            assertTrue(req.send(Message.of(body), DEADLINE), () -> "request not taken: " + transport);
                            var request = rep.recv(DEADLINE);
                            assertNotNull(request, "pair " + p + " run " + run + ", round " + round + ": the request never arrived");
                            assertTrue(rep.send(request, DEADLINE), "reply not taken");
                            var reply = req.recv(DEADLINE);
                            assertNotNull(reply, "pair " + p + " run " + run + ", round " + round + ": the reply never arrived");
                            assertArrayEquals(body, reply.frame(0));
                            completed.incrementAndGet();
                        }
                    }
                }
            })) {
                joinAll(workers, Duration.ofSeconds(200));
            }
        }
        assertEquals(pairs * runs * rounds, completed.get(), "round trips completed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void pushPullAtATinyHwmDeliversEverythingInOrder(String transport) throws Exception {
        int pairs = 2;
        int runs = 20 * SCALE;
        int count = 1_500;
        var received = new AtomicInteger();
        try (var ctx = new ZmqContext(2)) {
            try (var workers = Workers.start("push-pull-" + transport, pairs, p -> {
                var random = new SplittableRandom(p * 7919L + transport.hashCode());
                for (int run = 0; run < runs; run++) {
                    int hwm = new int[] {1, 2, 5, 16}[random.nextInt(4)];
                    try (var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
                        for (var s : new ZmqSocket[] {pull, push}) {
                            s.set(SocketOption.SNDHWM, hwm);
                            s.set(SocketOption.RCVHWM, hwm);
                            s.set(SocketOption.LINGER, 0);
                        }
                        join(pull, push, transport);
                        int[] sizes = new int[count];
                        for (int i = 0; i < count; i++) {
                            // Mostly 256 B (the stalled perf run), some empty and some larger than a socket buffer.
                            int pick = random.nextInt(100);
                            sizes[i] = pick < 80 ? 256 : pick < 90 ? 4 : pick < 98 ? 8 * 1024 : 600 * 1024;
                        }
                        var sent = new AtomicInteger();
                        int finalRun = run;
                        try (var sender = Workers.start("sender-" + transport + "-" + p, 1, ignored -> {
                            for (int i = 0; i < count; i++) {
                                var body = new byte[sizes[i]];
                                if (body.length >= 4) {
                                    ByteBuffer.wrap(body).putInt(i);
                                }
                                if (!push.send(Message.of(body), DEADLINE)) {
                                    fail("pair " + p + " run " + finalRun + " (HWM " + hwm + "): send " + i + " blocked for "
                                            + DEADLINE + " (the reader's wake-up was lost)");
                                }
                                sent.incrementAndGet();
                            }
                        })) {
                            for (int i = 0; i < count; i++) {
                                var m = pull.recv(DEADLINE);
                                if (m == null) {
                                    fail("pair " + p + " run " + run + " (HWM " + hwm + "): message " + i + " of " + count
                                            + " not received within " + DEADLINE + "; " + sent.get() + " sent");
                                }
                                var body = m.frame(0);
                                assertEquals(sizes[i], body.length, "message " + i + " size");
                                if (body.length >= 4) {
                                    assertEquals(i, ByteBuffer.wrap(body).getInt(), "order");
                                }
                                received.incrementAndGet();
                            }
                            joinAll(sender, DEADLINE);
                        }
                        assertEquals(null, pull.tryRecv(), "a message beyond those sent");
                    }
                }
            })) {
                joinAll(workers, Duration.ofSeconds(200));
            }
        }
        assertEquals(pairs * runs * count, received.get(), "messages received");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void aSendBlockedAtHwmIsReleasedByTheReader(String transport) throws Exception {
        int runs = 12 * SCALE;
        int blockedRuns = 0;
        try (var ctx = new ZmqContext(2)) {
            for (int run = 0; run < runs; run++) {
                try (var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
                    for (var s : new ZmqSocket[] {pull, push}) {
                        s.set(SocketOption.SNDHWM, 1);
                        s.set(SocketOption.RCVHWM, 1);
                        s.set(SocketOption.LINGER, 0);
                    }
                    join(pull, push, transport);
                    // Fill every queue on the way (ours, the kernel's, the peer's) with 64 KiB messages
                    // until a send stays blocked for a while: nothing moves any more until the reader reads.
                    int next = 0;
                    while (push.send(numbered(next), Duration.ofMillis(300))) {
                        next++;
                        assertTrue(next < 10_000, "sends never blocked at HWM 1");
                    }
                    int blockedAt = next;
                    var released = new java.util.concurrent.CompletableFuture<Boolean>();
                    var sender = new Thread(() -> released.complete(push.send(numbered(blockedAt), DEADLINE)), "blocked-sender");
                    sender.setDaemon(true);
                    sender.start();
                    Await.until("the sender to block (or finish)", () -> released.isDone()
                            || sender.getState() == Thread.State.TIMED_WAITING || sender.getState() == Thread.State.WAITING);
                    if (!released.isDone()) {
                        blockedRuns++;
                    }
                    // Reading releases it, through every wake-up on the way: the reader's pipe, its connection
                    // resuming, (the kernel,) the writer's connection draining, the writer's pipe, the writer.
                    var m = pull.recv(DEADLINE);
                    assertNotNull(m, "run " + run + ": nothing received although " + blockedAt + " were queued");
                    assertEquals(0, index(m));
                    if (transport.equals("inproc")) {
                        // No kernel in between: one read makes room for one message (as libzmq's inproc pipe
                        // of SNDHWM + RCVHWM, whose reader activates the writer after every read at HWM 1).
                        assertTrue(released.get(DEADLINE.toSeconds(), TimeUnit.SECONDS),
                                "run " + run + ": the blocked send was not released by the read (lost wake-up)");
                    }
                    // Over tcp/ipc one read need not release it (the kernel reports a socket writable only
                    // when a third of its send buffer is free): the reader reads on, and the blocked message
                    // must come, last and in order, or a wake-up was lost on the way.
                    for (int i = 1; i <= blockedAt; i++) {
                        var following = pull.recv(DEADLINE);
                        assertNotNull(following, "run " + run + ": message " + i + " of " + (blockedAt + 1) + " never arrived"
                                + (i == blockedAt ? " (the one whose send was blocked; released: " + released.isDone() + ")" : ""));
                        assertEquals(i, index(following));
                    }
                    assertTrue(released.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
                    assertEquals(null, pull.tryRecv(), "a message beyond those sent");
                }
            }
        }
        // Most runs must really have blocked, or this test would test nothing.
        assertTrue(blockedRuns >= runs / 2, "only " + blockedRuns + " of " + runs + " sends really blocked");
    }

    private static Message numbered(int i) {
        var body = new byte[64 * 1024];
        ByteBuffer.wrap(body).putInt(i);
        return Message.of(body);
    }

    private static int index(Message m) {
        return ByteBuffer.wrap(m.frame(0)).getInt();
    }

    /** Waits for every worker up to {@code timeout} in all, then fails with the first failure, if any. */
    private static void joinAll(Workers workers, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (var t : workers.threads()) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                fail(t.getName() + " did not finish within " + timeout + "; stack: " + java.util.List.of(t.getStackTrace()));
            }
        }
        var failures = workers.failures();
        if (!failures.isEmpty()) {
            var error = new AssertionError(failures.size() + " worker(s) failed; first: " + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }
}
