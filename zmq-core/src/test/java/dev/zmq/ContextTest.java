package dev.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.testkit.Await;
import dev.zmq.testkit.Endpoints;
import dev.zmq.testkit.Workers;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ZmqContext: creation, close, waking blocked threads, LINGER at close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContextTest {

    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 1000; // 64 MB: far more than the kernel buffers in between

    @Test
    void constructorArgumentsAreChecked() {
        assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> new ZmqContext(0)).error());
        assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> new ZmqContext(1, Duration.ofMillis(-1))).error());
        try (var ctx = new ZmqContext(2, Duration.ofSeconds(3))) {
            assertEquals(2, ctx.ioThreads());
            assertEquals(Duration.ofSeconds(3), ctx.maxLinger());
        }
        try (var ctx = new ZmqContext()) {
            assertEquals(1, ctx.ioThreads());
            assertEquals(ZmqContext.DEFAULT_MAX_LINGER, ctx.maxLinger());
            assertEquals(ZmqContext.defaultIoBusyPoll(), ctx.ioBusyPoll());
            assertEquals(Runtime.getRuntime().availableProcessors() >= 2 ? Duration.ofNanos(200_000) : Duration.ZERO,
                    ZmqContext.defaultIoBusyPoll());
        }
    }

    @Test
    void ioBusyPollIsCheckedAndKept() {
        var e = assertThrows(ZmqException.class, () -> new ZmqContext(1, Duration.ZERO, Duration.ofNanos(-1)));
        assertEquals(ZmqError.EINVAL, e.error());
        assertTrue(e.getMessage().contains("ioBusyPoll must be between 0 (no polling) and 10 ms, got PT-0.000000001S"), e.getMessage());
        e = assertThrows(ZmqException.class, () -> new ZmqContext(1, Duration.ZERO, Duration.ofMillis(11)));
        assertTrue(e.getMessage().contains("got PT0.011S"), e.getMessage());
        assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> new ZmqContext(1, Duration.ZERO, null)).error());
        try (var ctx = new ZmqContext(1, Duration.ZERO, ZmqContext.MAX_IO_BUSY_POLL)) {
            assertEquals(Duration.ofMillis(10), ctx.ioBusyPoll());
        }
    }

    /** Request-reply over tcp with I/O threads that never poll, poll the default bound, and poll the longest. */
    @Test
    void roundTripsWithAndWithoutBusyPolling() {
        for (var poll : new Duration[] {Duration.ZERO, ZmqContext.DEFAULT_IO_BUSY_POLL, ZmqContext.MAX_IO_BUSY_POLL}) {
            try (var server = new ZmqContext(1, Duration.ZERO, poll); var client = new ZmqContext(1, Duration.ZERO, poll);
                 var rep = server.socket(SocketType.REP); var req = client.socket(SocketType.REQ)) {
                req.connect(rep.bind("tcp://127.0.0.1:*"));
                for (int i = 0; i < 2_000; i++) {
                    req.send("ping " + i);
                    assertEquals(Message.of("ping " + i), Await.recv(rep), () -> "poll " + poll);
                    rep.send("pong " + i);
                    assertEquals(Message.of("pong " + i), Await.recv(req), () -> "poll " + poll);
                }
            }
        }
    }

    @Test
    void closeClosesEverySocketAndRefusesNewOnes() {
        var ctx = new ZmqContext();
        var pull = ctx.socket(SocketType.PULL);
        var push = ctx.socket(SocketType.PUSH);
        var endpoint = pull.bind("tcp://127.0.0.1:*");
        push.connect(endpoint);
        push.send("delivered before close");
        assertEquals(Message.of("delivered before close"), Await.recv(pull));

        ctx.close();
        assertTrue(ctx.isClosed());
        assertTrue(pull.isClosed());
        assertTrue(push.isClosed());
        assertEquals(ZmqError.ETERM, assertThrows(ZmqException.class, () -> ctx.socket(SocketType.PAIR)).error());
        var e = assertThrows(ZmqException.class, () -> push.send("after close"));
        assertTrue(Set.of(ZmqError.ETERM, ZmqError.ENOTSOCK).contains(e.error()), e::toString);
        e = assertThrows(ZmqException.class, () -> pull.recv(Duration.ofMillis(10)));
        assertTrue(Set.of(ZmqError.ETERM, ZmqError.ENOTSOCK).contains(e.error()), e::toString);
        ctx.close(); // harmless
        push.close(); // harmless
    }

    @Test
    void closeReleasesTheBoundPort() {
        String endpoint;
        try (var ctx = new ZmqContext()) {
            endpoint = ctx.socket(SocketType.PULL).bind("tcp://127.0.0.1:*");
        }
        try (var ctx = new ZmqContext(); var again = ctx.socket(SocketType.PULL)) {
            assertEquals(endpoint, again.bind(endpoint));
        }
    }

    @Test
    void closeWakesBlockedReceiversAndSendersWithEterm() throws InterruptedException {
        var ctx = new ZmqContext();
        var pull = ctx.socket(SocketType.PULL);
        var pull2 = ctx.socket(SocketType.PULL);
        var push = ctx.socket(SocketType.PUSH); // no peer: send blocks forever (SNDTIMEO -1)
        pull.bind("tcp://127.0.0.1:*");
        var errors = new ConcurrentHashMap<Integer, ZmqError>();
        try (var workers = Workers.start("blocked", 3, i -> {
            try {
                switch (i) {
                    case 0 -> pull.recv();
                    case 1 -> pull2.recv(Duration.ofMinutes(5));
                    default -> push.send(Message.of("nowhere"));
                }
            } catch (ZmqException e) {
                errors.put(i, e.error());
            }
        })) {
            workers.threads().forEach(Await::parked);
            long start = System.nanoTime();
            ctx.close();
            workers.join();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "close took too long");
        }
        assertEquals(ZmqError.ETERM, errors.get(0), "blocked recv()");
        assertEquals(ZmqError.ETERM, errors.get(1), "blocked recv(Duration)");
        assertEquals(ZmqError.ETERM, errors.get(2), "blocked send()");
    }

    @Test
    void closingASocketWakesItsBlockedReceiverWithEnotsock() throws InterruptedException {
        try (var ctx = new ZmqContext()) {
            var pull = ctx.socket(SocketType.PULL);
            var error = new AtomicReference<ZmqError>();
            try (var workers = Workers.start("blocked", 1, i -> {
                try {
                    pull.recv();
                } catch (ZmqException e) {
                    error.set(e.error());
                }
            })) {
                Await.parked(workers.threads().get(0));
                pull.close();
                workers.join();
            }
            assertEquals(ZmqError.ENOTSOCK, error.get());
            assertTrue(pull.isClosed());
            assertEquals(ZmqError.ENOTSOCK, assertThrows(ZmqException.class, () -> pull.recv(Duration.ofMillis(1))).error());
        }
    }

    @Test
    void interruptingABlockedReceiverRaisesEintrAndKeepsTheFlag() throws InterruptedException {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL)) {
            var error = new AtomicReference<ZmqError>();
            var flagKept = new AtomicReference<Boolean>();
            try (var workers = Workers.start("interrupted", 1, i -> {
                try {
                    pull.recv();
                } catch (ZmqException e) {
                    error.set(e.error());
                    flagKept.set(Thread.currentThread().isInterrupted());
                }
            })) {
                var worker = workers.threads().get(0);
                Await.parked(worker);
                worker.interrupt();
                workers.join();
            }
            assertEquals(ZmqError.EINTR, error.get());
            assertEquals(Boolean.TRUE, flagKept.get(), "the interrupt flag must be set again");
            assertFalse(pull.isClosed(), "an interrupt does not close the socket");
        }
    }

    /** A PULL in its own context that will not read until told to, with small buffers. */
    private static ZmqSocket slowPull(ZmqContext ctx) {
        var pull = ctx.socket(SocketType.PULL);
        pull.set(SocketOption.RCVHWM, 1);
        pull.set(SocketOption.RCVBUF, CHUNK);
        return pull;
    }

    /** A PUSH connected to {@code endpoint} with everything it will send already queued. */
    private static ZmqSocket loadedPush(ZmqContext ctx, String endpoint, int linger) {
        var push = ctx.socket(SocketType.PUSH);
        push.set(SocketOption.SNDHWM, 0); // no limit: every message is queued at once
        push.set(SocketOption.SNDBUF, CHUNK);
        push.set(SocketOption.LINGER, linger);
        push.connect(endpoint);
        var chunk = new byte[CHUNK];
        for (int i = 0; i < CHUNKS; i++) {
            push.send(Message.of(Integer.toString(i).getBytes(java.nio.charset.StandardCharsets.UTF_8), chunk));
        }
        return push;
    }

    @Test
    void withLingerPendingMessagesAreDeliveredAfterCloseBeforeTheContextCloseReturns() throws InterruptedException {
        try (var receiverCtx = new ZmqContext(); var pull = slowPull(receiverCtx)) {
            var endpoint = pull.bind("tcp://127.0.0.1:*");
            var senderCtx = new ZmqContext();
            var push = loadedPush(senderCtx, endpoint, 30_000);
            var go = new CountDownLatch(1);
            var received = new AtomicInteger();
            try (var reader = Workers.start("reader", 1, i -> {
                go.await();
                for (int n = 0; n < CHUNKS; n++) {
                    var m = Await.recv(pull);
                    assertEquals(Integer.toString(n), m.frameString(0), "lost or reordered");
                    received.incrementAndGet();
                }
            })) {
                push.close(); // returns at once; most of the 64 MB is still queued
                go.countDown();
                senderCtx.close(); // waits for the lingering socket
                reader.join();
            }
            assertEquals(CHUNKS, received.get());
            assertTrue(push.isClosed());
        }
    }

    @Test
    void withLingerZeroCloseIsImmediateAndPendingMessagesAreDropped() {
        try (var receiverCtx = new ZmqContext(); var pull = slowPull(receiverCtx)) {
            var endpoint = pull.bind("tcp://127.0.0.1:*");
            var senderCtx = new ZmqContext();
            var push = loadedPush(senderCtx, endpoint, 0);
            Await.recv(pull); // the connection is up and data is flowing
            long start = System.nanoTime();
            push.close();
            senderCtx.close();
            long elapsed = System.nanoTime() - start;
            assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "LINGER 0 close took " + elapsed / 1_000_000 + " ms");
            int more = 0;
            while (pull.recv(Await.QUIET) != null) {
                more++;
            }
            assertTrue(1 + more < CHUNKS, "all " + CHUNKS + " messages arrived although LINGER was 0");
        }
    }

    @Test
    void infiniteLingerDeliversToAPeerThatComesBackWhileTheContextCloses() throws Exception {
        // As libzmq: LINGER -1 keeps what a connecting socket queued while its peer was down, and
        // zmq_ctx_term waits until it is delivered (here within maxLinger, 30 s by default).
        var endpoint = Endpoints.unused();
        var ctx = new ZmqContext();
        var push = ctx.socket(SocketType.PUSH);
        assertEquals(-1, push.get(SocketOption.LINGER));
        push.connect(endpoint);
        for (int i = 0; i < 3; i++) {
            push.send("m" + i);
        }
        var closed = new CountDownLatch(1);
        var closer = new Thread(() -> {
            ctx.close();
            closed.countDown();
        }, "context-closer");
        closer.start();
        Await.parked(closer); // waiting for the lingering socket, messages undelivered
        assertEquals(1, closed.getCount(), "ctx.close() returned with three messages undelivered and maxLinger not over");
        try (var other = new ZmqContext(); var pull = other.socket(SocketType.PULL)) {
            pull.set(SocketOption.LINGER, 0);
            pull.bind(endpoint);
            for (int i = 0; i < 3; i++) {
                assertEquals("m" + i, Await.recv(pull).frameString(0));
            }
            assertTrue(closed.await(Await.SOON.toMillis(), TimeUnit.MILLISECONDS), "ctx.close() did not return once all was delivered");
        }
        closer.join();
        assertTrue(push.isClosed());
    }

    @Test
    void infiniteLingerForAPeerThatNeverComesIsBoundedByMaxLinger() throws Exception {
        var ctx = new ZmqContext(1, Duration.ofMillis(300));
        var push = ctx.socket(SocketType.PUSH);
        push.connect(Endpoints.unused());
        push.send("never delivered");
        var closer = new Thread(ctx::close, "context-closer");
        closer.start();
        closer.join(Await.SOON.toMillis());
        assertFalse(closer.isAlive(), "ctx.close() did not return although maxLinger (300 ms) was over");
        assertTrue(push.isClosed());
    }

    @Test
    void closeFromAnotherThreadWhileSocketsAreBusy() throws InterruptedException {
        var ctx = new ZmqContext();
        var pull = ctx.socket(SocketType.PULL);
        var push = ctx.socket(SocketType.PUSH);
        push.set(SocketOption.LINGER, 0);
        push.connect(pull.bind("tcp://127.0.0.1:*"));
        var stopped = new AtomicInteger();
        var received = new AtomicInteger();
        try (var workers = Workers.start("busy", 2, i -> {
            try {
                while (true) {
                    if (i == 0) {
                        push.send(Message.of("x"));
                    } else {
                        pull.recv();
                        received.incrementAndGet();
                    }
                }
            } catch (ZmqException e) {
                assertTrue(Set.of(ZmqError.ETERM, ZmqError.ENOTSOCK).contains(e.error()), e::toString);
                stopped.incrementAndGet();
            }
        })) {
            Await.until("traffic to flow", () -> received.get() >= 100);
            var closer = new Thread(ctx::close, "closer");
            closer.start();
            closer.join(Await.SOON.toMillis());
            assertTrue(!closer.isAlive(), "ctx.close() did not return");
            workers.join();
        }
        assertEquals(2, stopped.get());
        assertTrue(ctx.isClosed());
    }
}
