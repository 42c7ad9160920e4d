package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ZmqContext#close()} never hangs, wakes blocked threads with ETERM, closes its sockets
 * and stops its I/O threads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContextCloseTest {
    private static final Duration WAKE = Duration.ofSeconds(3);

    @Test
    void closeWakesAThreadBlockedInRecvWithEterm() throws Exception {
        var ctx = new ZmqContext();
        var pull = ctx.socket(SocketType.PULL);
        pull.bind("tcp://127.0.0.1:*");
        var blocked = blockIn("recv", () -> pull.recv());
        ctx.close();
        assertWokenWith(ZmqError.ETERM, blocked);
    }

    @Test
    void closeWakesAThreadBlockedInSendWithEterm() throws Exception {
        var ctx = new ZmqContext();
        var push = ctx.socket(SocketType.PUSH); // no peer at all: send has nowhere to go and blocks
        var blocked = blockIn("send", () -> push.send("stuck"));
        ctx.close();
        assertWokenWith(ZmqError.ETERM, blocked);
    }

    @Test
    void socketCloseWakesAThreadBlockedInRecvWithEnotsock() throws Exception {
        try (var ctx = new ZmqContext()) {
            var pull = ctx.socket(SocketType.PULL);
            var blocked = blockIn("recv", () -> pull.recv());
            pull.close();
            assertWokenWith(ZmqError.ENOTSOCK, blocked);
        }
    }

    @Test
    void infiniteLingerForAPeerThatNeverConnectsIsBoundedByMaxLinger() throws Exception {
        int deadPort = unusedPort();
        var ctx = new ZmqContext(1, Duration.ofMillis(500));
        var push = ctx.socket(SocketType.PUSH);
        push.set(SocketOption.LINGER, -1);
        push.connect("tcp://127.0.0.1:" + deadPort);
        for (int i = 0; i < 10; i++) {
            assertTrue(push.send(Message.of("pending-" + i), Duration.ofSeconds(1)), "the connecting pipe should queue message " + i);
        }
        assertCloseWithin(ctx, Duration.ofSeconds(3));
        assertTrue(push.isClosed());
    }

    @Test
    void zeroLingerClosesPromptlyEvenWithALongMaxLinger() throws Exception {
        int deadPort = unusedPort();
        var ctx = new ZmqContext(1, Duration.ofSeconds(30));
        var push = ctx.socket(SocketType.PUSH);
        push.set(SocketOption.LINGER, 0);
        push.connect("tcp://127.0.0.1:" + deadPort);
        for (int i = 0; i < 10; i++) {
            assertTrue(push.send(Message.of("pending-" + i), Duration.ofSeconds(1)));
        }
        assertCloseWithin(ctx, Duration.ofSeconds(1));
    }

    @Test
    void infiniteLingerForAConnectedPeerThatNeverReadsIsBoundedByMaxLinger() throws Exception {
        try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(5_000);
            var ctx = new ZmqContext(1, Duration.ofMillis(500));
            var push = ctx.socket(SocketType.PUSH);
            push.set(SocketOption.LINGER, -1);
            push.set(SocketOption.SNDHWM, 0);
            push.connect("tcp://127.0.0.1:" + server.getLocalPort());
            try (Socket peer = server.accept()) {
                // A PULL that completes the handshake and then never reads a byte.
                OutputStream out = peer.getOutputStream();
                out.write(Zmtp.concat(Zmtp.greeting(1), Zmtp.ready("PULL")));
                out.flush();
                var chunk = new byte[64 * 1024];
                for (int i = 0; i < 512; i++) { // 32 MiB: far more than the kernel buffers hold
                    push.send(Message.of(chunk));
                }
                assertCloseWithin(ctx, Duration.ofSeconds(3));
            }
        }
    }

    @Test
    void closeTwiceIsHarmlessAndClosesEverySocket() {
        var ctx = new ZmqContext();
        var sockets = List.of(ctx.socket(SocketType.PAIR), ctx.socket(SocketType.ROUTER), ctx.socket(SocketType.PULL));
        sockets.get(2).bind("tcp://127.0.0.1:*");
        ctx.close();
        assertDoesNotThrow(ctx::close);
        assertTrue(ctx.isClosed());
        for (var s : sockets) {
            assertTrue(s.isClosed(), s.type() + " socket not closed by its context");
        }
    }

    @Test
    void closeWithHalfOpenHostileConnectionsReturnsPromptly() throws Exception {
        var ctx = new ZmqContext(1, Duration.ofSeconds(30));
        var pull = ctx.socket(SocketType.PULL);
        var endpoint = pull.bind("tcp://127.0.0.1:*");
        try (var a = RawZmtpClient.connect(endpoint); var b = RawZmtpClient.connect(endpoint)) {
            a.write(java.util.Arrays.copyOf(Zmtp.greeting(1), 30));
            b.handshake("PUSH", Duration.ofSeconds(5));
            b.write(Zmtp.header(0, 200), new byte[10]);
            assertCloseWithin(ctx, Duration.ofSeconds(2));
            assertTrue(a.awaitClosedByPeer(Duration.ofSeconds(2)), "connection still open after the context closed");
            assertTrue(b.awaitClosedByPeer(Duration.ofSeconds(2)), "connection still open after the context closed");
        }
    }

    @Test
    void closeWhileHostileConnectionsChurnIsBoundedAndLeavesNoThreads() throws Exception {
        var before = Threads.liveNames();
        var ctx = new ZmqContext(2, Duration.ofSeconds(30));
        var router = ctx.socket(SocketType.ROUTER);
        var endpoint = router.bind("tcp://127.0.0.1:*");
        var app = new AppReceiver(router);
        var cases = new FuzzCases(7, "DEALER", "x".getBytes(java.nio.charset.StandardCharsets.US_ASCII), false);
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var started = new java.util.concurrent.atomic.AtomicLong();
        var churn = new java.util.ArrayList<Thread>();
        for (int w = 0; w < 4; w++) {
            int offset = w;
            var t = new Thread(() -> {
                for (long i = offset; !stop.get(); i += 4) {
                    started.incrementAndGet();
                    try (var raw = RawZmtpClient.connect(endpoint)) {
                        raw.tryWrite(cases.generate(i).stream());
                    } catch (java.io.IOException refusedOnceClosed) {
                        return;
                    }
                }
            }, "churn-" + w);
            t.start();
            churn.add(t);
        }
        try {
            Await.condition(() -> started.get() > 200, Duration.ofSeconds(10), "the churn did not get going");
            assertCloseWithin(ctx, Duration.ofSeconds(2));
            assertTrue(router.isClosed());
        } finally {
            stop.set(true);
            churn.forEach(Joins::join);
            app.close();
        }
        var failure = app.failure();
        assertTrue(failure == null || failure instanceof ZmqException z && z.error() == ZmqError.ETERM,
                () -> "the application thread got " + failure + " instead of at most ETERM");
        Await.condition(() -> Threads.newZmqThreads(before).isEmpty(), Duration.ofSeconds(5),
                () -> "threads still alive after close: " + Threads.newZmqThreads(before));
    }

    @Test
    void ioThreadsAreNamedAndGoneAfterClose() {
        var before = Threads.liveNames();
        var ctx = new ZmqContext(2);
        try (var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            push.send("wake the I/O threads");
            assertEquals("wake the I/O threads", pull.recv(Duration.ofSeconds(5)).frameString(0));
            // The engine names them zmq-io-<context>-<n>, so two contexts' threads can be told apart.
            var io = Threads.newZmqThreads(before).stream().filter(k -> k.matches("zmq-io-\\d+-\\d+#\\d+")).toList();
            assertFalse(io.isEmpty(), "no thread named zmq-io-<context>-<n>; new threads: " + Threads.newZmqThreads(before));
            assertTrue(io.size() <= 2, "more I/O threads than asked for: " + io);
            assertEquals(1, io.stream().map(k -> k.replaceAll("-\\d+#\\d+$", "")).distinct().count(),
                    "the threads of one context do not share its prefix: " + io);
        } finally {
            ctx.close();
        }
        Await.condition(() -> Threads.newZmqThreads(before).isEmpty(), Duration.ofSeconds(5),
                () -> "threads still alive after close: " + Threads.newZmqThreads(before));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Runs {@code call} on a new thread and returns once that thread is parked inside it. */
    private static CompletableFuture<Throwable> blockIn(String what, Runnable call) {
        var result = new CompletableFuture<Throwable>();
        var t = new Thread(() -> {
            try {
                call.run();
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        }, "blocked-in-" + what);
        t.setDaemon(true);
        t.start();
        Await.condition(() -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING || result.isDone(),
                Duration.ofSeconds(5), () -> "thread never blocked in " + what + " (state " + t.getState() + ")");
        assertFalse(result.isDone(), () -> what + " returned instead of blocking: " + result.join());
        return result;
    }

    private static void assertWokenWith(ZmqError error, CompletableFuture<Throwable> blocked) throws Exception {
        Throwable thrown;
        try {
            thrown = blocked.get(WAKE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the blocked thread was not woken within " + WAKE);
        } catch (ExecutionException e) {
            thrown = e.getCause();
        }
        var z = assertInstanceOf(ZmqException.class, thrown, "the blocked call must end with a ZmqException");
        assertEquals(error, z.error(), z::toString);
    }

    private static void assertCloseWithin(ZmqContext ctx, Duration bound) {
        long start = System.nanoTime();
        ctx.close();
        var took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(bound) <= 0, "ZmqContext.close() took " + took.toMillis() + " ms, more than " + bound.toMillis());
    }

    /** A loopback port with nothing listening (it was free a moment ago, and nothing here rebinds it). */
    private static int unusedPort() throws java.io.IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

}
