package dev.zmq.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.Workers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * inproc sockets share one lock-free queue per direction: the sending thread writes into the queue
 * the receiving socket reads. These tests hunt for
 * what such a hand-off can get wrong: lost wake-ups (a ping-pong that stalls), reordering, a
 * high-water mark overrun or never resumed, and two sockets sending to each other deadlocking.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InprocTransportTest {

    private static byte[] seq(int sender, int n) {
        return ByteBuffer.allocate(8).putInt(sender).putInt(n).array();
    }

    @Test
    void pingPongNeverStalls() throws Exception {
        int rounds = 50_000;
        try (var ctx = new ZmqContext();
             var req = ctx.socket(SocketType.REQ);
             var rep = ctx.socket(SocketType.REP)) {
            rep.bind("inproc://ping");
            req.connect("inproc://ping");
            try (var echo = Workers.start("echo", 1, i -> {
                for (int r = 0; r < rounds; r++) {
                    rep.send(Await.recv(rep));
                }
            })) {
                for (int r = 0; r < rounds; r++) {
                    req.send(seq(0, r));
                    assertArrayEquals(seq(0, r), Await.recv(req).frame(0), "round " + r);
                }
                echo.join();
            }
        }
    }

    @Test
    void smallHighWaterMarksKeepOrderAndBlockWithoutLoss() throws Exception {
        int count = 100_000;
        try (var ctx = new ZmqContext();
             var pull = ctx.socket(SocketType.PULL);
             var push = ctx.socket(SocketType.PUSH)) {
            pull.set(SocketOption.RCVHWM, 5);
            push.set(SocketOption.SNDHWM, 3);
            pull.bind("inproc://hwm");
            push.connect("inproc://hwm");
            try (var sender = Workers.start("sender", 1, i -> {
                for (int n = 0; n < count; n++) {
                    push.send(seq(0, n));
                }
            })) {
                for (int n = 0; n < count; n++) {
                    assertArrayEquals(seq(0, n), Await.recv(pull).frame(0), "message " + n);
                }
                sender.join();
            }
            assertNull(pull.recv(Await.QUIET), "nothing but what was sent");
        }
    }

    /**
     * A receiver that found nothing yields once and looks again before it parks; a message sent
     * only once it is parked must still wake it, every time (the sender sees it asleep and signals).
     */
    @Test
    void aReceiverParkedOnAnEmptyPipeIsWokenByEveryMessage() throws Exception {
        int rounds = 100;
        try (var ctx = new ZmqContext();
             var pull = ctx.socket(SocketType.PULL);
             var push = ctx.socket(SocketType.PUSH)) {
            pull.bind("inproc://parked");
            push.connect("inproc://parked");
            var received = new java.util.concurrent.atomic.AtomicInteger();
            try (var reader = Workers.start("parked-reader", 1, i -> {
                for (int r = 0; r < rounds; r++) {
                    assertArrayEquals(seq(0, r), Await.recv(pull).frame(0), "round " + r);
                    received.incrementAndGet();
                }
            })) {
                var thread = reader.threads().get(0);
                for (int r = 0; r < rounds; r++) {
                    int expected = r;
                    Await.until("round " + r + " to be received", () -> received.get() == expected);
                    Await.parked(thread);
                    assertTrue(push.send(Message.of(seq(0, r)), Await.SOON));
                }
                reader.join();
                assertEquals(rounds, received.get());
            }
        }
    }

    @Test
    void aSenderBlockedAtTheHighWaterMarkResumesWhenTheReaderCatchesUp() throws Exception {
        try (var ctx = new ZmqContext();
             var pull = ctx.socket(SocketType.PULL);
             var push = ctx.socket(SocketType.PUSH)) {
            pull.set(SocketOption.RCVHWM, 2);
            push.set(SocketOption.SNDHWM, 2);
            pull.bind("inproc://block");
            push.connect("inproc://block");
            int accepted = 0;
            while (push.trySend(Message.of(seq(0, accepted)))) {
                accepted++;
                assertTrue(accepted < 100, "high-water marks of 2 + 2 must stop the sender long before 100 messages");
            }
            assertTrue(accepted >= 2, "at least SNDHWM messages fit, got " + accepted);
            for (int n = 0; n < accepted; n++) {
                assertArrayEquals(seq(0, n), Await.recv(pull).frame(0));
            }
            // Everything was read: the sender has room again, and what it sends arrives.
            assertTrue(push.send(Message.of(seq(0, accepted)), Await.SOON));
            assertArrayEquals(seq(0, accepted), Await.recv(pull).frame(0));
        }
    }

    @Test
    void theHighWaterMarkIsTheSendersPlusTheReceiversAsInLibzmq() {
        try (var ctx = new ZmqContext();
             var pull = ctx.socket(SocketType.PULL);
             var push = ctx.socket(SocketType.PUSH)) {
            pull.set(SocketOption.RCVHWM, 4);
            push.set(SocketOption.SNDHWM, 3);
            pull.bind("inproc://sum");
            push.connect("inproc://sum");
            int accepted = 0;
            while (push.trySend(Message.of(seq(0, accepted)))) {
                accepted++;
                assertTrue(accepted <= 7, "more than SNDHWM 3 + RCVHWM 4 accepted");
            }
            assertEquals(7, accepted, "libzmq's inproc pipe holds SNDHWM + RCVHWM messages");
            for (int n = 0; n < accepted; n++) {
                assertArrayEquals(seq(0, n), Await.recv(pull).frame(0));
            }
            assertNull(pull.recv(Await.QUIET));
        }
    }

    @Test
    void aConnectBeforeTheBindHoldsSndhwmThenBothMarksOnceBound() {
        try (var ctx = new ZmqContext();
             var pull = ctx.socket(SocketType.PULL);
             var push = ctx.socket(SocketType.PUSH)) {
            pull.set(SocketOption.RCVHWM, 4);
            push.set(SocketOption.SNDHWM, 3);
            push.connect("inproc://boost");
            int accepted = 0;
            while (push.trySend(Message.of(seq(0, accepted)))) {
                accepted++;
                assertTrue(accepted <= 3, "more than SNDHWM accepted before the bind");
            }
            assertEquals(3, accepted, "before the bind only SNDHWM (libzmq's connect before bind)");
            pull.bind("inproc://boost");
            for (; accepted < 7; accepted++) {
                assertTrue(push.send(Message.of(seq(0, accepted)), Await.SOON), "room after the bind for message " + accepted);
            }
            assertFalse(push.trySend(Message.of(seq(0, accepted))), "SNDHWM 3 + RCVHWM 4 is the limit once bound");
            for (int n = 0; n < accepted; n++) {
                assertArrayEquals(seq(0, n), Await.recv(pull).frame(0));
            }
            assertNull(pull.recv(Await.QUIET));
        }
    }

    @Test
    void twoPairsSendingToEachOtherAtFullSpeedDoNotDeadlock() throws Exception {
        int count = 50_000;
        try (var ctx = new ZmqContext();
             var a = ctx.socket(SocketType.PAIR);
             var b = ctx.socket(SocketType.PAIR)) {
            for (var s : new dev.zmq.ZmqSocket[] {a, b}) {
                s.set(SocketOption.SNDHWM, 10);
                s.set(SocketOption.RCVHWM, 10);
            }
            a.bind("inproc://both-ways");
            b.connect("inproc://both-ways");
            var sockets = new dev.zmq.ZmqSocket[] {a, b};
            try (var senders = Workers.start("send", 2, i -> {
                for (int n = 0; n < count; n++) {
                    sockets[i].send(seq(i, n));
                }
            }); var readers = Workers.start("read", 2, i -> {
                for (int n = 0; n < count; n++) {
                    assertArrayEquals(seq(1 - i, n), Await.recv(sockets[i]).frame(0));
                }
            })) {
                senders.join();
                readers.join();
            }
        }
    }

    @Test
    void manyThreadsSharingOnePushKeepEachThreadsOrder() throws Exception {
        int threads = 4;
        int each = 20_000;
        try (var ctx = new ZmqContext();
             var pull = ctx.socket(SocketType.PULL);
             var push = ctx.socket(SocketType.PUSH)) {
            pull.set(SocketOption.RCVHWM, 50);
            push.set(SocketOption.SNDHWM, 50);
            pull.bind("inproc://shared");
            push.connect("inproc://shared");
            var next = new int[threads];
            try (var senders = Workers.start("sender", threads, i -> {
                for (int n = 0; n < each; n++) {
                    push.send(seq(i, n));
                }
            })) {
                for (int k = 0; k < threads * each; k++) {
                    var buf = ByteBuffer.wrap(Await.recv(pull).frame(0));
                    int sender = buf.getInt();
                    int n = buf.getInt();
                    assertEquals(next[sender]++, n, "order of sender " + sender);
                }
                senders.join();
            }
            for (int i = 0; i < threads; i++) {
                assertEquals(each, next[i]);
            }
        }
    }

    @Test
    void messagesSentBeforeTheBindArriveInOrderOnceBound() throws Exception {
        try (var ctx = new ZmqContext();
             var push = ctx.socket(SocketType.PUSH);
             var pull = ctx.socket(SocketType.PULL)) {
            push.connect("inproc://later");
            for (int n = 0; n < 100; n++) {
                assertTrue(push.trySend(Message.of(seq(0, n))), "queued before the bind: " + n);
            }
            pull.bind("inproc://later");
            for (int n = 0; n < 100; n++) {
                assertArrayEquals(seq(0, n), Await.recv(pull).frame(0));
            }
        }
    }

    @Test
    void whatASenderQueuedBeyondThePeersHighWaterMarkIsStillDeliveredAfterItCloses() throws Exception {
        int count = 50; // beyond RCVHWM 10: the rest waits in the sender's queue when it closes
        try (var ctx = new ZmqContext();
             var pull = ctx.socket(SocketType.PULL)) {
            pull.set(SocketOption.RCVHWM, 10);
            pull.bind("inproc://linger");
            try (var push = ctx.socket(SocketType.PUSH)) {
                push.set(SocketOption.LINGER, -1);
                push.connect("inproc://linger");
                for (int n = 0; n < count; n++) {
                    assertTrue(push.send(Message.of(seq(0, n)), Await.SOON), "queued " + n);
                }
            }
            for (int n = 0; n < count; n++) {
                assertArrayEquals(seq(0, n), Await.recv(pull).frame(0), "message " + n + " after the sender closed");
            }
        }
    }

    @Test
    void closingASenderWithZeroLingerStillHandsOverWhatItAccepted() throws Exception {
        int count = 30;
        try (var ctx = new ZmqContext();
             var pull = ctx.socket(SocketType.PULL)) {
            pull.set(SocketOption.RCVHWM, 5);
            pull.bind("inproc://linger0");
            try (var push = ctx.socket(SocketType.PUSH)) {
                push.set(SocketOption.LINGER, 0);
                push.set(SocketOption.SNDHWM, 100);
                push.connect("inproc://linger0");
                for (int n = 0; n < count; n++) {
                    assertTrue(push.trySend(Message.of(seq(0, n))), "within SNDHWM + RCVHWM: " + n);
                }
            }
            // As in libzmq, where both ends share one pipe: what the sender accepted stays readable.
            for (int n = 0; n < count; n++) {
                assertArrayEquals(seq(0, n), Await.recv(pull).frame(0), "message " + n);
            }
            assertNull(pull.recv(Await.QUIET));
        }
    }

    @Test
    void closingTheReceiverWhileASenderIsBusyNeitherHangsNorThrowsOddErrors() throws Exception {
        try (var ctx = new ZmqContext()) {
            var pull = ctx.socket(SocketType.PULL);
            var push = ctx.socket(SocketType.PUSH);
            push.set(SocketOption.SNDHWM, 100);
            pull.bind("inproc://closing");
            push.connect("inproc://closing");
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            try (var sender = Workers.start("sender", 1, i -> {
                while (!stop.get()) {
                    push.send(Message.of("x"), Duration.ofMillis(10));
                }
            })) {
                Await.recv(pull);
                pull.close();
                // The sender keeps going (its messages are dropped with the peer, or wait at SNDHWM).
                stop.set(true);
                sender.join();
            }
            push.close();
            assertFalse(ctx.isClosed());
        }
    }
}
