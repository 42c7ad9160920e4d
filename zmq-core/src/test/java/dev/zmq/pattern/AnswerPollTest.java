package dev.zmq.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A receive that waits for the answer to what its socket sent, over tcp, looks again for up to the socket's
 * adaptive answer window before it parks (SocketCore.recvWaiting): its timeout still holds, an answer that
 * comes once it parked wakes it, and a wait far longer than the window costs no more than the window.
 */
@Timeout(60)
class AnswerPollTest {
    /** The longest busy poll a context allows, so that a poll that ignored its bound would show. */
    private static final Duration POLL = ZmqContext.MAX_IO_BUSY_POLL;

    @Test
    void aTimedReceiveAwaitingAnAnswerWaitsItsWholeTimeoutAndNoLonger() {
        try (var ctx = new ZmqContext(1, Duration.ZERO, POLL); var client = ctx.socket(SocketType.DEALER);
             var server = ctx.socket(SocketType.ROUTER)) {
            client.connect(server.bind("tcp://127.0.0.1:*"));
            warmUp(client, server, 200);
            for (int timeoutMillis : new int[] {1, 5, 30}) {
                client.send("no answer to this");
                assertEquals(2, Await.recv(server).size());
                TimedReceives.waitsItsWholeTimeout(client, timeoutMillis);
            }
        }
    }

    @Test
    void aLateAnswerWakesTheParkedReceiverAndALongWaitCostsLittleProcessor() throws Exception {
        try (var ctx = new ZmqContext(1, Duration.ZERO, POLL); var client = ctx.socket(SocketType.DEALER);
             var server = ctx.socket(SocketType.ROUTER)) {
            client.connect(server.bind("tcp://127.0.0.1:*"));
            // Quick answers grow the socket's window to its longest (10 ms) ...
            warmUp(client, server, 200);
            var got = new AtomicReference<Message>();
            var cpu = new AtomicLong();
            var receiver = new Thread(() -> {
                client.send("answer me late");
                long before = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                got.set(client.recv(Duration.ofSeconds(20)));
                cpu.set(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - before);
            }, "answer receiver");
            receiver.start();
            var request = Await.recv(server); // routing id, body
            assertEquals("answer me late", new String(request.frame(1), StandardCharsets.UTF_8));
            // ... so the late answer's receive polls at most 10 ms, then parks until the answer comes.
            Await.parked(receiver);
            long idleFrom = System.nanoTime();
            Await.until("300 ms without an answer", Duration.ofSeconds(10),
                    () -> System.nanoTime() - idleFrom > TimeUnit.MILLISECONDS.toNanos(300));
            server.send(Message.of(request.frame(0), "late".getBytes(StandardCharsets.UTF_8)));
            receiver.join(Await.SOON.toMillis());
            assertArrayEquals("late".getBytes(StandardCharsets.UTF_8), got.get().frame(0));
            long usedMillis = TimeUnit.NANOSECONDS.toMillis(cpu.get());
            assertTrue(usedMillis < 150, "the receive awaiting a late answer used " + usedMillis + " ms of processor");
        }
    }

    /** {@code count} quick request-answer round trips: the client's answer window grows to its longest. */
    private static void warmUp(dev.zmq.ZmqSocket client, dev.zmq.ZmqSocket server, int count) {
        for (int i = 0; i < count; i++) {
            var body = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
            client.send(Message.of(body));
            var request = Await.recv(server);
            server.send(Message.of(request.frame(0), request.frame(1)));
            assertArrayEquals(body, Await.recv(client).frame(0));
        }
    }
}
