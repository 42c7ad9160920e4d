package dev.zmq.robustness;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.io.FileInputStream;
import java.nio.channels.SocketChannel;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run by {@link HostileResourceTest} in a child JVM limited to a few hundred file descriptors: raw
 * clients connect until no descriptor is left, so the listener's accept fails with EMFILE while
 * connections wait in the backlog. The listener must pause accepting (100 ms doubling to 1 s) and
 * report ACCEPT_FAILED, instead of a selector firing in a loop (before: thousands of failed accepts
 * a second); once descriptors are free it accepts again and a new peer is served. Prints
 * {@code OK ...} or {@code FAIL: why}.
 */
public final class EmfileProbe {
    private EmfileProbe() {
    }

    public static void main(String[] args) throws Exception {
        var ctx = new ZmqContext(1, Duration.ofSeconds(1));
        var peers = new ZmqContext(1, Duration.ofSeconds(1));
        var pull = ctx.socket(SocketType.PULL);
        var failedAccepts = new AtomicInteger();
        var accepted = new AtomicInteger();
        pull.monitor(Set.of(SocketEvent.Type.ACCEPT_FAILED, SocketEvent.Type.ACCEPTED), e -> {
            if (e.type() == SocketEvent.Type.ACCEPT_FAILED) {
                failedAccepts.incrementAndGet();
            } else {
                accepted.incrementAndGet();
            }
        });
        var endpoint = pull.bind("tcp://127.0.0.1:*");
        var uri = URI.create(endpoint);
        // Every class this probe needs is loaded now: at the descriptor limit no class file can be opened.
        var warmup = peers.socket(SocketType.PUSH);
        warmup.set(SocketOption.LINGER, 0);
        warmup.connect(endpoint);
        warmup.send(Message.of("warm-up"), Duration.ofSeconds(5));
        if (pull.recv(Duration.ofSeconds(5)) == null || !Await.holdsWithin(() -> true, Duration.ofSeconds(1))) {
            fail("no delivery even before the test");
        }
        warmup.close();
        // The warm-up connection's descriptors are given back before the others are all taken.
        Await.condition(() -> pull.statistics().disconnects() == 1, Duration.ofSeconds(5), "warm-up connection not closed");
        // Channels get their descriptors when opened; then every descriptor left is taken; then they
        // connect (which needs none), so the connections wait in the backlog and accept() fails.
        var clients = new ArrayList<SocketChannel>();
        for (int i = 0; i < 20; i++) {
            clients.add(SocketChannel.open());
        }
        var hog = new ArrayList<FileInputStream>();
        try {
            while (hog.size() < 100_000) {
                hog.add(new FileInputStream("/dev/null"));
            }
        } catch (IOException exhausted) {
            // no descriptor left
        }
        for (var c : clients) {
            c.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
        }
        // One descriptor back: the first waiting connection is accepted, the next accepts fail (EMFILE).
        hog.remove(hog.size() - 1).close();
        if (!Await.holdsWithin(() -> failedAccepts.get() > 0, Duration.ofSeconds(10))) {
            var dump = new StringBuilder();
            Thread.getAllStackTraces().forEach((t, st) -> {
                if (t.getName().startsWith("zmq-")) {
                    dump.append(t.getName()).append(java.util.Arrays.toString(st)).append('\n');
                }
            });
            fail("no ACCEPT_FAILED at the descriptor limit (" + hog.size() + " descriptors taken, " + accepted.get()
                    + " accepted, connected " + clients.stream().filter(SocketChannel::isConnected).count() + ")\n" + dump);
        }
        int atStart = failedAccepts.get();
        long windowStart = System.nanoTime();
        // Watch the failing listener for two seconds (a measure, not synchronisation).
        Await.holdsWithin(() -> false, Duration.ofSeconds(2));
        int inWindow = failedAccepts.get() - atStart;
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        for (var f : hog) {
            f.close();
        }
        var push = peers.socket(SocketType.PUSH);
        push.set(SocketOption.LINGER, 0);
        push.connect(endpoint);
        push.send(Message.of("after"), Duration.ofSeconds(5));
        var m = pull.recv(Duration.ofSeconds(10));
        boolean served = m != null && m.frameString(0).equals("after");
        for (var c : clients) {
            c.close();
        }
        var summary = hog.size() + " descriptors taken, " + clients.size() + " clients; " + inWindow + " ACCEPT_FAILED in " + String.format("%.1f", seconds)
                + " s at the descriptor limit; served after: " + served;
        if (inWindow > 20 || !served) {
            fail(summary);
        }
        peers.close();
        ctx.close();
        System.out.println("OK " + summary);
        System.exit(0);
    }

    private static void fail(String why) {
        System.out.println("FAIL: " + why);
        System.exit(1);
    }
}
