package dev.zmq.concurrency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.Link;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread blocked in a receive: woken by the message, by an interrupt (EINTR, the interrupt kept),
 * by its timeout, and, with two threads blocked on one socket (one parks by itself, the other on
 * the socket's condition), each woken by a message of its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiveWaitTest {

    @Test
    void aBlockedReceiverIsWokenByTheMessage() throws Exception {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.PULL, SocketType.PUSH)) {
            var got = new AtomicReference<byte[]>();
            var receiver = new Thread(() -> {
                var buffer = new byte[8];
                int n = link.bound().recv(buffer);
                got.set(java.util.Arrays.copyOf(buffer, n));
            }, "receiver");
            receiver.start();
            Await.parked(receiver);
            link.connected().send(new byte[] {1, 2, 3});
            receiver.join(Await.SOON.toMillis());
            assertArrayEquals(new byte[] {1, 2, 3}, got.get());
        }
    }

    @Test
    void anInterruptEndsTheWaitWithEintrAndStaysSet() throws Exception {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.PULL, SocketType.PUSH)) {
            var failure = new AtomicReference<ZmqException>();
            var stillInterrupted = new AtomicReference<Boolean>();
            var receiver = new Thread(() -> {
                try {
                    link.bound().recv(new byte[8]);
                } catch (ZmqException e) {
                    failure.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            }, "receiver");
            receiver.start();
            Await.parked(receiver);
            receiver.interrupt();
            receiver.join(Await.SOON.toMillis());
            assertEquals(ZmqError.EINTR, failure.get().error());
            assertTrue(stillInterrupted.get());
            // The socket still works for the next receive.
            link.connected().send(new byte[] {7});
            assertArrayEquals(new byte[] {7}, Await.recv(link.bound()).first());
        }
    }

    @Test
    void aTimedWaitEndsEmptyAfterItsTimeout() {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.PULL, SocketType.PUSH)) {
            long start = System.nanoTime();
            assertNull(link.bound().recv(Duration.ofMillis(100)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100), "not before its timeout");
        }
    }

    @Test
    void twoBlockedReceiversOnOneSocketEachGetAMessage() throws Exception {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.PULL, SocketType.PUSH)) {
            var got = new ConcurrentLinkedQueue<Byte>();
            Runnable receive = () -> got.add(link.bound().recv().first()[0]);
            var first = new Thread(receive, "first");
            var second = new Thread(receive, "second");
            first.start();
            Await.parked(first);
            second.start();
            Await.parked(second);
            link.connected().send(new byte[] {1});
            Await.until("one receiver to take the first message", () -> got.size() == 1);
            link.connected().send(new byte[] {2});
            first.join(Await.SOON.toMillis());
            second.join(Await.SOON.toMillis());
            assertEquals(2, got.size());
            assertTrue(got.contains((byte) 1) && got.contains((byte) 2));
        }
    }

    @Test
    void closingTheContextWakesABlockedReceiver() throws Exception {
        var ctx = new ZmqContext();
        var pull = ctx.socket(SocketType.PULL);
        pull.bind("tcp://127.0.0.1:*");
        var failure = new AtomicReference<ZmqException>();
        var receiver = new Thread(() -> {
            try {
                pull.recv(new byte[8]);
            } catch (ZmqException e) {
                failure.set(e);
            }
        }, "receiver");
        receiver.start();
        Await.parked(receiver);
        ctx.close();
        receiver.join(Await.SOON.toMillis());
        assertEquals(ZmqError.ETERM, failure.get().error());
    }
}
