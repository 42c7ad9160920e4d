package dev.zmq.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks that a receiving socket fair-queues its peers (libzmq's fq): when every peer has
 * messages waiting, the receiver takes them in turn.
 */
public final class FairQueue {
    /** Per-peer inbound queue depth: deep enough that the sample below never empties a queue. */
    private static final int RCVHWM = 100;

    private FairQueue() {
    }

    /**
     * {@code senders} sockets of {@code senderType} connect to one {@code receiverType} socket
     * and send (tagged with their index) until every one of them is blocked, which means the
     * receiver's queue for each is full (RCVHWM messages). The receiver then reads {@code sample}
     * messages, at most RCVHWM per sender, so every queue stays non-empty: round robin gives each
     * sender an equal share, and each must get at least 80% of it. Returns the per-sender counts.
     */
    public static Map<Integer, Integer> check(ZmqContext ctx, SocketType receiverType, SocketType senderType,
                                              int senders, int sample) throws InterruptedException {
        if (sample > senders * RCVHWM) {
            throw new IllegalArgumentException("sample larger than what the queues hold");
        }
        var stop = new AtomicBoolean();
        var blocked = new ArrayList<AtomicBoolean>();
        var threads = new ArrayList<Thread>();
        var failures = new ArrayList<Throwable>();
        var sockets = new ArrayList<ZmqSocket>();
        try (var receiver = ctx.socket(receiverType)) {
            receiver.set(SocketOption.RCVHWM, RCVHWM);
            receiver.set(SocketOption.RCVBUF, 16 * 1024);
            var endpoint = receiver.bind("tcp://127.0.0.1:*");
            for (int i = 0; i < senders; i++) {
                var s = ctx.socket(senderType);
                sockets.add(s);
                s.set(SocketOption.SNDHWM, 10);
                s.set(SocketOption.SNDBUF, 16 * 1024);
                s.set(SocketOption.LINGER, 0);
                s.connect(endpoint);
                var isBlocked = new AtomicBoolean();
                blocked.add(isBlocked);
                int id = i;
                var t = new Thread(() -> {
                    try {
                        var body = new byte[1024];
                        while (!stop.get()) {
                            if (!s.send(Message.of(Tagged.senderFrame(id), body), Duration.ofMillis(200))) {
                                isBlocked.set(true);
                            }
                        }
                    } catch (Throwable e) {
                        if (!stop.get()) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                        }
                    }
                }, "fair-queue-sender-" + i);
                threads.add(t);
                t.start();
            }
            Await.until("every sender to be blocked by a full pipe, blocked=" + blocked,
                    Duration.ofSeconds(30), () -> blocked.stream().allMatch(AtomicBoolean::get));

            var counts = new HashMap<Integer, Integer>();
            var order = new StringBuilder();
            for (int n = 0; n < sample; n++) {
                var m = Await.recv(receiver);
                int sender = Integer.parseInt(m.frameString(0).substring(1));
                counts.merge(sender, 1, Integer::sum);
                if (n < 60) {
                    order.append(sender);
                }
            }
            int fair = sample / senders;
            for (int i = 0; i < senders; i++) {
                int got = counts.getOrDefault(i, 0);
                assertTrue(got >= fair * 4 / 5, "sender " + i + " got " + got + " of the first " + sample
                        + " messages (fair share " + fair + "), counts " + counts + ", order starts " + order);
            }
            return counts;
        } finally {
            stop.set(true);
            for (var t : threads) {
                t.join(Await.SOON.toMillis());
            }
            sockets.forEach(ZmqSocket::close);
            assertEquals(List.of(), failures, "sender threads failed");
            for (var t : threads) {
                assertTrue(!t.isAlive(), t.getName() + " did not stop");
            }
        }
    }
}
