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
 * Checks that a receiving socket fair-queues its peers: while several peers keep it supplied,
 * no single busy peer holds the others back.
 */
public final class FairQueue {
    private FairQueue() {
    }

    /**
     * {@code senders} sockets of {@code senderType} connect to one {@code receiverType} socket and
     * send continuously (tagged with their index). Once every sender has queued at least
     * {@code backlog} messages, the receiver reads {@code sample} messages; each sender must have
     * at least a third of its fair share of them. Returns the per-sender counts of the sample.
     */
    public static Map<Integer, Integer> check(ZmqContext ctx, SocketType receiverType, SocketType senderType,
                                              int senders, int backlog, int sample) throws InterruptedException {
        var stop = new AtomicBoolean();
        var sent = new ArrayList<AtomicInteger>();
        var threads = new ArrayList<Thread>();
        var failures = new ArrayList<Throwable>();
        var sockets = new ArrayList<ZmqSocket>();
        try (var receiver = ctx.socket(receiverType)) {
            receiver.set(SocketOption.RCVHWM, 4);
            var endpoint = receiver.bind("tcp://127.0.0.1:*");
            for (int i = 0; i < senders; i++) {
                var s = ctx.socket(senderType);
                sockets.add(s);
                s.set(SocketOption.SNDHWM, 4);
                s.set(SocketOption.LINGER, 0);
                s.connect(endpoint);
                var count = new AtomicInteger();
                sent.add(count);
                int id = i;
                var t = new Thread(() -> {
                    try {
                        var body = new byte[100];
                        while (!stop.get()) {
                            if (s.send(Message.of(Tagged.senderFrame(id), body), Duration.ofMillis(20))) {
                                count.incrementAndGet();
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
            Await.until("every sender to have queued " + backlog + " messages, sent=" + sent,
                    () -> sent.stream().allMatch(c -> c.get() >= backlog));

            var counts = new HashMap<Integer, Integer>();
            var order = new StringBuilder();
            for (int n = 0; n < sample; n++) {
                var m = Await.recv(receiver);
                int sender = Integer.parseInt(m.frameString(0).substring(1));
                counts.merge(sender, 1, Integer::sum);
                if (n < 40) {
                    order.append(sender);
                }
            }
            int minimum = sample / senders / 3;
            for (int i = 0; i < senders; i++) {
                int got = counts.getOrDefault(i, 0);
                assertTrue(got >= minimum, "sender " + i + " got " + got + " of the first " + sample
                        + " messages (fair share " + sample / senders + "), counts " + counts + ", order starts " + order);
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
