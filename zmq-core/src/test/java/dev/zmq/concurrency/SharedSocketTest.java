package dev.zmq.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.zmq.testkit.Tagged;
import dev.zmq.testkit.Workers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One socket shared by several threads, as ZmqSocket allows: messages stay whole and unmixed,
 * each thread's messages keep their order, nothing is lost or duplicated.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedSocketTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 2_000;
    private static final int BODY = 64;

    /** How each sender thread puts a tagged message on the shared socket. */
    private interface SendStyle {
        void send(ZmqSocket socket, int sender, int seq);
    }

    private static final SendStyle WHOLE = (s, sender, seq) -> s.send(Tagged.message(sender, seq, BODY));

    private static final SendStyle FRAME_AT_A_TIME = (s, sender, seq) -> {
        s.sendMore(Tagged.senderFrame(sender));
        s.sendMore(Tagged.seqFrame(seq));
        s.send(Tagged.body(sender, seq, BODY));
    };

    /** Several threads send on {@code link.connected()}; the test thread receives on {@code link.bound()}. */
    private static void concurrentSenders(SocketType receiverType, SocketType senderType, SendStyle style) throws InterruptedException {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, receiverType, senderType)) {
            var shared = link.connected();
            try (var workers = Workers.start("sender", THREADS, t -> {
                for (int seq = 0; seq < PER_THREAD; seq++) {
                    style.send(shared, t, seq);
                }
            })) {
                int[] next = new int[THREADS];
                for (int n = 0; n < THREADS * PER_THREAD; n++) {
                    var tag = Tagged.check(Await.recv(link.bound()), BODY);
                    int expected = next[tag.sender()];
                    assertEquals(expected, tag.seq(), "sender " + tag.sender() + "'s messages out of order or lost");
                    next[tag.sender()]++;
                }
                workers.join();
                for (int t = 0; t < THREADS; t++) {
                    assertEquals(PER_THREAD, next[t], "sender " + t);
                }
                assertNull(link.bound().recv(Await.QUIET), "more messages than were sent");
            }
        }
    }

    @Test
    void threadsSendingWholeMessagesOnOneDealer() throws InterruptedException {
        concurrentSenders(SocketType.DEALER, SocketType.DEALER, WHOLE);
    }

    @Test
    void threadsSendingWholeMessagesOnOnePush() throws InterruptedException {
        concurrentSenders(SocketType.PULL, SocketType.PUSH, WHOLE);
    }

    @Test
    void threadsSendingFrameAtATimeOnOneDealer() throws InterruptedException {
        concurrentSenders(SocketType.DEALER, SocketType.DEALER, FRAME_AT_A_TIME);
    }

    @Test
    void threadsSendingFrameAtATimeOnOnePush() throws InterruptedException {
        concurrentSenders(SocketType.PULL, SocketType.PUSH, FRAME_AT_A_TIME);
    }

    @Test
    void threadsMixingBothStylesOnOnePush() throws InterruptedException {
        concurrentSenders(SocketType.PULL, SocketType.PUSH,
                (s, sender, seq) -> (sender % 2 == 0 ? WHOLE : FRAME_AT_A_TIME).send(s, sender, seq));
    }

    /** How each receiver thread takes one whole message, or null if none came in a while. */
    private interface RecvStyle {
        Message recv(ZmqSocket socket);
    }

    private static void concurrentReceivers(RecvStyle style) throws InterruptedException {
        int total = THREADS * PER_THREAD;
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.PULL, SocketType.PUSH)) {
            var shared = link.bound();
            shared.set(SocketOption.RCVTIMEO, 50);
            var received = new AtomicInteger();
            var perReceiver = new ConcurrentHashMap<Integer, List<Integer>>();
            try (var workers = Workers.start("receiver", THREADS, r -> {
                var mine = new ArrayList<Integer>();
                perReceiver.put(r, mine);
                long deadline = System.nanoTime() + Await.SOON.toNanos() * 3;
                while (received.get() < total && System.nanoTime() < deadline) {
                    var m = style.recv(shared);
                    if (m != null) {
                        var tag = Tagged.check(m, BODY);
                        mine.add(tag.seq());
                        received.incrementAndGet();
                    }
                }
            })) {
                for (int seq = 0; seq < total; seq++) {
                    link.connected().send(Tagged.message(0, seq, BODY));
                }
                workers.join();
            }
            var all = new BitSet(total);
            int count = 0;
            for (var entry : perReceiver.entrySet()) {
                var seqs = entry.getValue();
                for (int i = 0; i < seqs.size(); i++) {
                    if (i > 0) {
                        assertTrue(seqs.get(i) > seqs.get(i - 1), "receiver " + entry.getKey() + " saw messages out of order");
                    }
                    assertTrue(!all.get(seqs.get(i)), "message " + seqs.get(i) + " delivered twice");
                    all.set(seqs.get(i));
                    count++;
                }
            }
            assertEquals(total, count, "messages lost");
            assertEquals(total, all.cardinality());
            assertNull(shared.recv(Await.QUIET));
        }
    }

    @Test
    void threadsReceivingWholeMessagesFromOnePull() throws InterruptedException {
        concurrentReceivers(s -> s.recv(Duration.ofMillis(50)));
    }

    @Test
    void threadsReceivingFrameAtATimeFromOnePull() throws InterruptedException {
        concurrentReceivers(s -> {
            byte[] first;
            try {
                first = s.recvFrame(); // RCVTIMEO 50 ms
            } catch (ZmqException e) {
                assertEquals(ZmqError.EAGAIN, e.error());
                return null;
            }
            var frames = new ArrayList<byte[]>();
            frames.add(first);
            while (s.hasMore()) {
                frames.add(s.recvFrame()); // the rest is this thread's already: never EAGAIN
            }
            return Message.of(frames);
        });
    }

    /**
     * Receivers blocked without a timeout (RCVTIMEO -1, so no wait ends by itself and a missed
     * wake-up shows as a thread left waiting while its message is queued): every message is taken
     * once, and each thread ends on its stop message, sent after the data.
     */
    @Test
    void threadsReceivingWithoutATimeoutFromOnePullAreAllWoken() throws InterruptedException {
        int total = THREADS * PER_THREAD;
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.PULL, SocketType.PUSH)) {
            var shared = link.bound();
            var seen = new BitSet(total);
            var duplicates = new AtomicInteger();
            try (var workers = Workers.start("receiver", THREADS, r -> {
                while (true) {
                    var m = shared.recv(); // blocks for good
                    if (m.size() == 1) {
                        assertEquals("stop", new String(m.frame(0)));
                        return;
                    }
                    int seq = Tagged.check(m, BODY).seq();
                    synchronized (seen) {
                        if (seen.get(seq)) {
                            duplicates.incrementAndGet();
                        }
                        seen.set(seq);
                    }
                }
            })) {
                for (int seq = 0; seq < total; seq++) {
                    link.connected().send(Tagged.message(0, seq, BODY));
                }
                for (int t = 0; t < THREADS; t++) {
                    link.connected().send(Message.of("stop".getBytes()));
                }
                workers.join(); // fails naming a receiver still waiting
            }
            assertEquals(0, duplicates.get(), "messages delivered twice");
            synchronized (seen) {
                assertEquals(total, seen.cardinality(), "messages lost");
            }
            assertNull(shared.recv(Await.QUIET));
        }
    }

    /**
     * The socket remembers the state of the thread that called last (SocketCore.frames()): parts one
     * thread gathered stay its own while another thread sends, and join its next frame once it
     * comes back, whichever thread called in between.
     */
    @Test
    void partsGatheredByOneThreadStayItsOwnWhileAnotherSends() throws InterruptedException {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.PULL, SocketType.PUSH)) {
            var push = link.connected();
            push.sendMore("a1".getBytes());
            var other = new Thread(() -> push.send("b".getBytes()));
            other.start();
            other.join();
            push.send("a2".getBytes());
            var pull = link.bound();
            assertEquals(List.of("b"), strings(pull.recv(Await.SOON)));
            assertEquals(List.of("a1", "a2"), strings(pull.recv(Await.SOON)));
            assertNull(pull.recv(Await.QUIET));
        }
    }

    private static List<String> strings(Message m) {
        var frames = new ArrayList<String>();
        for (int i = 0; i < m.size(); i++) {
            frames.add(new String(m.frame(i)));
        }
        return frames;
    }
}
