package dev.zmq.concurrency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.Link;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread blocked in a send at the high-water mark: woken by the room a reader makes (inproc, and
 * tcp where the I/O thread makes it), by an interrupt (EINTR, the interrupt kept), by its timeout,
 * by the context closing, and, with two threads blocked on one socket (one parks by itself, the
 * other on the socket's condition), both get through.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendWaitTest {
    /** SNDHWM 1 + RCVHWM 1: an inproc PUSH holds two messages the PULL has not read. */
    private static final int INPROC_LIMIT = 2;

    /** An inproc PUSH (SNDHWM 1) connected to a PULL (RCVHWM 1), filled to its limit. */
    private record Full(ZmqSocket pull, ZmqSocket push) {
        static Full of(ZmqContext ctx, String name) {
            var pull = ctx.socket(SocketType.PULL);
            pull.set(SocketOption.RCVHWM, 1);
            pull.bind("inproc://" + name);
            var push = ctx.socket(SocketType.PUSH);
            push.set(SocketOption.SNDHWM, 1);
            push.connect("inproc://" + name);
            for (int i = 0; i < INPROC_LIMIT; i++) {
                assertTrue(push.trySend(Message.of(new byte[] {(byte) i})), "message " + i + " fits");
            }
            assertFalse(push.trySend(Message.of(new byte[] {9})), "the pipe is full");
            return new Full(pull, push);
        }
    }

    @Test
    void aSenderBlockedAtTheMarkIsWokenByTheRoomItsInprocPeerMakes() throws Exception {
        try (var ctx = new ZmqContext()) {
            var full = Full.of(ctx, "room");
            var sender = new Thread(() -> full.push().send(new byte[] {2}), "sender");
            sender.start();
            Await.parked(sender);
            for (int i = 0; i <= INPROC_LIMIT; i++) {
                assertArrayEquals(new byte[] {(byte) i}, Await.recv(full.pull()).first());
            }
            sender.join(Await.SOON.toMillis());
            assertFalse(sender.isAlive(), "the sender is through");
        }
    }

    /** Over tcp the room is made by the I/O thread writing to the peer: every wait it makes is woken. */
    @Test
    void aSenderBlockedAtTheMarkIsWokenByTheRoomTheConnectionMakes() throws Exception {
        int count = 400; // 26 MB of 64 KiB frames: more than the two sockets' marks and the kernel's buffers hold
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.PULL, s -> s.set(SocketOption.RCVHWM, 1),
                SocketType.PUSH, s -> s.set(SocketOption.SNDHWM, 1))) {
            var sent = new AtomicInteger();
            var sender = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    var frame = new byte[65536];
                    frame[0] = (byte) i;
                    link.connected().send(frame);
                    sent.incrementAndGet();
                }
            }, "sender");
            sender.start();
            Await.parked(sender);
            assertTrue(sent.get() < count, "the sender waits for room before it has sent everything");
            for (int i = 0; i < count; i++) {
                assertEquals((byte) i, Await.recv(link.bound()).first()[0], "message " + i);
            }
            sender.join(Await.SOON.toMillis());
            assertEquals(count, sent.get());
        }
    }

    @Test
    void anInterruptEndsTheWaitWithEintrAndStaysSet() throws Exception {
        try (var ctx = new ZmqContext()) {
            var full = Full.of(ctx, "interrupt");
            var failure = new AtomicReference<ZmqException>();
            var stillInterrupted = new AtomicReference<Boolean>();
            var sender = new Thread(() -> {
                try {
                    full.push().send(new byte[] {2});
                } catch (ZmqException e) {
                    failure.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            }, "sender");
            sender.start();
            Await.parked(sender);
            sender.interrupt();
            sender.join(Await.SOON.toMillis());
            assertEquals(ZmqError.EINTR, failure.get().error());
            assertTrue(stillInterrupted.get());
            // Nothing of the failed send was queued, and the socket still works.
            assertArrayEquals(new byte[] {0}, Await.recv(full.pull()).first());
            assertArrayEquals(new byte[] {1}, Await.recv(full.pull()).first());
            full.push().send(new byte[] {3});
            assertArrayEquals(new byte[] {3}, Await.recv(full.pull()).first());
            assertNull(full.pull().recv(Await.QUIET));
        }
    }

    @Test
    void aTimedWaitFailsAfterItsTimeoutAndQueuesNothing() {
        try (var ctx = new ZmqContext()) {
            var full = Full.of(ctx, "timeout");
            long start = System.nanoTime();
            assertFalse(full.push().send(Message.of(new byte[] {2}), Duration.ofMillis(100)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100), "not before its timeout");
            full.push().set(SocketOption.SNDTIMEO, 50);
            var e = org.junit.jupiter.api.Assertions.assertThrows(ZmqException.class, () -> full.push().send(new byte[] {2}));
            assertEquals(ZmqError.EAGAIN, e.error());
            for (int i = 0; i < INPROC_LIMIT; i++) {
                assertArrayEquals(new byte[] {(byte) i}, Await.recv(full.pull()).first());
            }
            assertNull(full.pull().recv(Await.QUIET), "the timed-out sends queued nothing");
        }
    }

    @Test
    void twoBlockedSendersOnOneSocketBothGetThrough() throws Exception {
        try (var ctx = new ZmqContext()) {
            var full = Full.of(ctx, "two");
            var first = new Thread(() -> full.push().send(new byte[] {10}), "first");
            var second = new Thread(() -> full.push().send(new byte[] {11}), "second");
            first.start();
            Await.parked(first);
            second.start();
            Await.parked(second);
            List<Byte> got = new ArrayList<>();
            for (int i = 0; i < INPROC_LIMIT + 2; i++) {
                got.add(Await.recv(full.pull()).first()[0]);
            }
            first.join(Await.SOON.toMillis());
            second.join(Await.SOON.toMillis());
            assertFalse(first.isAlive() || second.isAlive(), "both senders are through");
            assertEquals(List.of((byte) 0, (byte) 1), got.subList(0, 2));
            assertTrue(got.contains((byte) 10) && got.contains((byte) 11), () -> "received " + got);
            assertNull(full.pull().recv(Await.QUIET));
        }
    }

    @Test
    void closingTheContextWakesABlockedSender() throws Exception {
        var ctx = new ZmqContext();
        var full = Full.of(ctx, "close");
        var failure = new AtomicReference<ZmqException>();
        var sender = new Thread(() -> {
            try {
                full.push().send(new byte[] {2});
            } catch (ZmqException e) {
                failure.set(e);
            }
        }, "sender");
        sender.start();
        Await.parked(sender);
        ctx.close();
        sender.join(Await.SOON.toMillis());
        assertEquals(ZmqError.ETERM, failure.get().error());
    }
}
