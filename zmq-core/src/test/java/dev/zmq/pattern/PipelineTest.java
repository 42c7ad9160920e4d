package dev.zmq.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.FairQueue;
import dev.zmq.testkit.Link;
import dev.zmq.testkit.RoundRobin;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PUSH and PULL (RFC 30). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineTest {

    @Test
    void pushRoundRobinsAcrossPulls() {
        try (var ctx = new ZmqContext()) {
            RoundRobin.check(ctx, SocketType.PUSH, SocketType.PULL, 3, 5);
        }
    }

    /**
     * A PUSH with one peer sends to it without the rotation (LoadBalancer's single pipe); a second
     * peer starts the rotation with the first, and once it leaves, everything goes to the one left.
     */
    @Test
    void pushRotatesFromItsSecondPeerOnAndKeepsToTheLastOne() {
        try (var ctx = new ZmqContext();
             var push = ctx.socket(SocketType.PUSH);
             var a = ctx.socket(SocketType.PULL);
             var b = ctx.socket(SocketType.PULL)) {
            a.bind("inproc://lb-a");
            b.bind("inproc://lb-b");
            push.connect("inproc://lb-a");
            push.send("alone-0");
            push.send("alone-1");
            push.connect("inproc://lb-b");
            for (int i = 0; i < 4; i++) {
                push.send("both-" + i);
            }
            for (var expected : new String[] {"alone-0", "alone-1", "both-0", "both-2"}) {
                assertEquals(Message.of(expected), Await.recv(a));
            }
            assertEquals(Message.of("both-1"), Await.recv(b));
            assertEquals(Message.of("both-3"), Await.recv(b));

            push.disconnect("inproc://lb-b");
            Await.until("PUSH has one peer left", () -> push.statistics().connectedPeers() == 1);
            for (int i = 0; i < 3; i++) {
                push.send("last-" + i);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(Message.of("last-" + i), Await.recv(a));
            }
            assertNull(b.recv(Await.QUIET), "the peer that left got a message");
        }
    }

    @Test
    void pullFairQueuesSeveralPushes() throws InterruptedException {
        try (var ctx = new ZmqContext()) {
            FairQueue.check(ctx, SocketType.PULL, SocketType.PUSH, 3, 240);
        }
    }

    @Test
    void messagesFromOnePushArriveInOrder() {
        int count = 20_000;
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.PULL, SocketType.PUSH)) {
            for (int i = 0; i < count; i++) {
                link.connected().send(Message.of(seq(i)));
                if (i % 1000 == 999) {
                    // read as we go so SNDHWM never blocks this single thread
                    for (int k = i - 999; k <= i; k++) {
                        assertEquals(k, seqOf(Await.recv(link.bound())));
                    }
                }
            }
            assertNull(link.bound().recv(Await.QUIET));
        }
    }

    @Test
    void pushBlocksAtTheHighWaterMarkAndResumesWhenThePullReads() {
        int hwm = 10;
        var body = new byte[16 * 1024];
        try (var ctx = new ZmqContext();
             var link = Link.of(ctx, SocketType.PULL, p -> p.set(SocketOption.RCVHWM, hwm),
                     SocketType.PUSH, p -> p.set(SocketOption.SNDHWM, hwm))) {
            var push = link.connected();
            var pull = link.bound();
            push.send(Message.of("warm-up"));
            assertEquals(Message.of("warm-up"), Await.recv(pull)); // the connection is up

            // Fill SNDHWM, the kernel buffers and RCVHWM until a send stays blocked for a while.
            int cap = 20_000; // 320 MB: far more than kernel buffers can hold
            int sent = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (push.send(Message.of(seq(sent), body), Duration.ofMillis(300))) {
                sent++;
                if (sent >= cap || System.nanoTime() - deadline > 0) {
                    fail("PUSH never blocked: " + sent + " messages of 16 KB queued to a PULL that does not read");
                }
            }
            assertTrue(sent >= 2 * hwm, "blocked after only " + sent + " messages; SNDHWM + RCVHWM alone hold " + 2 * hwm);
            assertFalse(push.trySend(Message.of(seq(sent), body)), "trySend must fail while the pipe is full");

            int read = 0;
            for (; read < sent / 2 + 1; read++) {
                assertEquals(read, seqOf(Await.recv(pull)), "messages out of order or lost");
            }
            int next = sent;
            Await.until("sending to resume after the PULL read " + read + " messages",
                    () -> push.trySend(Message.of(seq(next), body)));
            int total = sent + 1;
            for (; read < total; read++) {
                assertEquals(read, seqOf(Await.recv(pull)), "messages out of order or lost");
            }
            assertNull(pull.recv(Await.QUIET), "more messages than were sent");
        }
    }

    private static byte[] seq(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static int seqOf(Message m) {
        return ByteBuffer.wrap(m.frame(0)).getInt();
    }
}
