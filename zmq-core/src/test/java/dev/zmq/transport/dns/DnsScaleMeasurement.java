package dev.zmq.transport.dns;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zmq.Message;
import dev.zmq.NameResolver;
import dev.zmq.ResolvedAddress;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.dns.Dnsmasq;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement for the README's Kubernetes plan, not a test: one PUSH following a name behind which
 * dnsmasq publishes N addresses on loopback aliases (127.0.1.1, 127.0.1.2, ...), each a PULL.
 * Prints how long the socket takes to connect to all of them and to follow a scale-down, how long
 * one lookup of N records takes, the heap and threads it costs. Runs only when asked:
 * {@code mvn -o -q -pl zmq-core test -Dtest=DnsScaleMeasurement -Dzmq.dns.scale=300}.
 */
@Timeout(600)
class DnsScaleMeasurement {
    private static final String NAME = "orders.default.svc.cluster.local";

    @TempDir
    Path dir;

    private static String ip(int i) {
        return "127.0." + (1 + i / 250) + "." + (1 + i % 250);
    }

    private static void report(String line) {
        System.out.println("DNS-SCALE " + line);
    }

    @Test
    void measure() throws Exception {
        int n = Integer.getInteger("zmq.dns.scale", 0);
        assumeTrue(n > 0, "a measurement: run with -Dzmq.dns.scale=N");
        assumeTrue(Dnsmasq.binary() != null, "dnsmasq not installed");
        var runtime = Runtime.getRuntime();
        var threads = ManagementFactory.getThreadMXBean();
        try (var dns = Dnsmasq.start(dir); var ctx = new ZmqContext(2)) {
            var pulls = new ArrayList<ZmqSocket>();
            int port = 0;
            for (int i = 0; i < n; i++) {
                var pull = ctx.socket(SocketType.PULL);
                if (port == 0) {
                    var e = pull.bind("tcp://" + ip(i) + ":*");
                    port = Integer.parseInt(e.substring(e.lastIndexOf(':') + 1));
                } else {
                    pull.bind("tcp://" + ip(i) + ":" + port);
                }
                pulls.add(pull);
            }
            var all = new ArrayList<String>();
            for (int i = 0; i < n; i++) {
                all.add(ip(i));
            }
            dns.publish(Map.of(NAME, all));
            var resolver = dns.resolver(false);
            long t = System.nanoTime();
            int rounds = 50;
            for (int r = 0; r < rounds; r++) {
                if (resolver.resolve(NAME, port).size() != n) {
                    throw new AssertionError("dnsmasq did not answer " + n + " addresses");
                }
            }
            report(String.format("lookup of %d A records (UDP truncated, then TCP): %.2f ms each (mean of %d)", n,
                    (System.nanoTime() - t) / 1e6 / rounds, rounds));

            var lookups = new AtomicInteger();
            var lookupNanos = new AtomicLong();
            NameResolver counting = (host, p) -> {
                long s = System.nanoTime();
                try {
                    return resolver.resolve(host, p);
                } finally {
                    lookups.incrementAndGet();
                    lookupNanos.addAndGet(System.nanoTime() - s);
                }
            };
            System.gc();
            long heapBefore = runtime.totalMemory() - runtime.freeMemory();
            int threadsBefore = threads.getThreadCount();
            try (var push = ctx.socket(SocketType.PUSH)) {
                push.setNameResolver(counting);
                push.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
                push.set(SocketOption.RESOLVE_IVL, 1000);
                long start = System.nanoTime();
                push.connect("tcp://" + NAME + ":" + port);
                Await.until(n + " connected", Duration.ofMinutes(5), () -> connected(push) == n);
                report(String.format("connect to all %d addresses: %d ms", n, (System.nanoTime() - start) / 1_000_000));
                System.gc();
                long heapAfter = runtime.totalMemory() - runtime.freeMemory();
                report(String.format("heap for %d connections (both ends in this JVM): %.1f MiB, %.1f KiB per connection pair",
                        n, (heapAfter - heapBefore) / 1048576.0, (heapAfter - heapBefore) / 1024.0 / n));
                report("threads: " + threadsBefore + " before, " + threads.getThreadCount() + " after (lookup threads: at most 2 per context)");

                int perPeer = 10;
                for (int m = 0; m < n * perPeer; m++) {
                    push.send(Message.of(Integer.toString(m)));
                }
                var counts = new int[n];
                Await.until("all received", Duration.ofMinutes(2), () -> {
                    int sum = 0;
                    for (int i = 0; i < n; i++) {
                        while (pulls.get(i).tryRecv() != null) {
                            counts[i]++;
                        }
                        sum += counts[i];
                    }
                    return sum == n * perPeer;
                });
                report(String.format("spread of %d messages over %d addresses: min %d, max %d per address", n * perPeer, n,
                        java.util.Arrays.stream(counts).min().getAsInt(), java.util.Arrays.stream(counts).max().getAsInt()));

                dns.publish(Map.of(NAME, all.subList(0, n / 2)));
                long down = System.nanoTime();
                Await.until(n / 2 + " left", Duration.ofMinutes(2), () -> {
                    var now = push.statistics().resolvedAddresses();
                    return now.size() == n / 2 && now.stream().allMatch(a -> a.connected() && !a.draining());
                });
                report(String.format("scale %d -> %d: vanished addresses disconnected %d ms after dnsmasq answered the new set (RESOLVE_IVL 1000 ms)",
                        n, n / 2, (System.nanoTime() - down) / 1_000_000));
                report(String.format("lookups by the socket: %d, mean %.2f ms on the lookup thread", lookups.get(),
                        lookupNanos.get() / 1e6 / Math.max(1, lookups.get())));
            }
        }
    }

    private static long connected(ZmqSocket push) {
        return push.statistics().resolvedAddresses().stream().filter(ResolvedAddress::connected).count();
    }

}
