package dev.zmq.robustness;

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
 * a second), also when logging fails at the limit; with one descriptor free it accepts one more;
 * once descriptors are free it accepts every waiting connection and a new peer is served. Prints
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
        var os = (com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long fdsBefore = os.getOpenFileDescriptorCount();
        var uri = URI.create(endpoint);
        // Every class this probe needs is loaded now: at the descriptor limit no class file can be opened.
        var warmup = peers.socket(SocketType.PUSH);
        warmup.set(SocketOption.LINGER, 0);
        warmup.connect(endpoint);
        // (This loads Probes as well, whose fail() must work at the limit.)
        if (!Probes.roundTrip(warmup, pull, "warm-up") || !Await.holdsWithin(() -> true, Duration.ofSeconds(1))) {
            Probes.fail("no delivery even before the test");
        }
        warmup.close();
        // The warm-up connection's descriptors are given back before the others are all taken.
        Await.condition(() -> pull.statistics().disconnects() == 1, Duration.ofSeconds(5), "warm-up connection not closed");
        // A closed channel's descriptor is released only when its selector deregisters it: wait for that,
        // so that no descriptor comes free after the hog below took them all (it would let the first
        // failure's log record succeed and hide what the first check is about).
        Await.holdsWithin(() -> os.getOpenFileDescriptorCount() <= fdsBefore, Duration.ofSeconds(5));
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
        // Every descriptor is still taken: the listener must report the failing accept. Before, the report was skipped when the log
        // record before it failed, which it does at the limit (java.util.logging opens lib/tzdb.dat to
        // format the time; with no descriptor left that fails, for good in this JVM).
        if (!Await.holdsWithin(() -> failedAccepts.get() > 0, Duration.ofSeconds(10))) {
            Probes.fail("no ACCEPT_FAILED at the descriptor limit (" + hog.size() + " descriptors taken, " + accepted.get()
                    + " accepted, connected " + clients.stream().filter(SocketChannel::isConnected).count() + ")\n" + ioThreads());
        }
        // One descriptor back: after its pause the listener accepts one more waiting connection, and the
        // accepts after it fail again.
        int acceptedAtLimit = accepted.get();
        hog.remove(hog.size() - 1).close();
        if (!Await.holdsWithin(() -> accepted.get() > acceptedAtLimit, Duration.ofSeconds(10))) {
            Probes.fail("the listener did not accept again when a descriptor was free (" + accepted.get() + " accepted)\n" + ioThreads());
        }
        int atStart = failedAccepts.get();
        long windowStart = System.nanoTime();
        // Watch the failing listener for two seconds (a measure, not synchronisation).
        Await.holdsWithin(() -> false, Duration.ofSeconds(2));
        int inWindow = failedAccepts.get() - atStart;
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        if (inWindow == 0) {
            Probes.fail("no ACCEPT_FAILED in 2 s while " + (clients.size() + 1 - accepted.get()) + " connections wait at the descriptor limit");
        }
        for (var f : hog) {
            f.close();
        }
        // Descriptors free: every waiting connection is accepted (warm-up + 20).
        if (!Await.holdsWithin(() -> accepted.get() == clients.size() + 1, Duration.ofSeconds(10))) {
            Probes.fail("after the descriptors were freed only " + accepted.get() + " of " + (clients.size() + 1) + " connections were accepted");
        }
        var push = peers.socket(SocketType.PUSH);
        push.set(SocketOption.LINGER, 0);
        push.connect(endpoint);
        boolean served = Probes.roundTrip(push, pull, "after");
        for (var c : clients) {
            c.close();
        }
        var summary = hog.size() + " descriptors taken, " + clients.size() + " clients; " + inWindow + " ACCEPT_FAILED in "
                + String.format("%.1f", seconds) + " s at the descriptor limit (" + acceptedAtLimit + " accepted before one was freed); served after: " + served;
        if (inWindow > 20 || !served) {
            Probes.fail(summary);
        }
        peers.close();
        ctx.close();
        Probes.pass(summary);
    }

    private static String ioThreads() {
        var dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, st) -> {
            if (t.getName().startsWith("zmq-")) {
                dump.append(t.getName()).append(java.util.Arrays.toString(st)).append('\n');
            }
        });
        return dump.toString();
    }
}
