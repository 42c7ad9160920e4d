package dev.zmq.perf;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reconnect churn for scripts/soak.sh: a ROUTER echoes; CLIENTS threads each connect a fresh
 * DEALER (heartbeats on), exchange one message, close it, and start again, for SECONDS seconds.
 * Every SAMPLE seconds the process's heap after GC, direct memory, threads and open files are
 * printed; at the end, a verdict: flat if, between the first and the last third of the samples
 * (the first sample left out as warm-up), heap grew less than 20% (or 16 MiB), direct memory less
 * than 4 MiB, threads not at all and files by at most 4.
 *
 * <pre>java -cp zmq-perf.jar dev.zmq.perf.Soak [SECONDS [CLIENTS [SAMPLE]]]</pre>
 */
public final class Soak {
    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 180;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int sample = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        var stop = new AtomicBoolean();
        var cycles = new AtomicLong();
        var failures = new AtomicLong();
        try (var serverCtx = new ZmqContext(); var router = serverCtx.socket(SocketType.ROUTER); var clientCtx = new ZmqContext()) {
            router.set(SocketOption.LINGER, 0);
            router.set(SocketOption.HEARTBEAT_IVL, 1000);
            var endpoint = router.bind("tcp://127.0.0.1:*");
            var echo = new Thread(() -> {
                try {
                    while (true) {
                        router.send(router.recv());
                    }
                } catch (ZmqException closed) {
                    // the context closed
                }
            }, "soak-echo");
            echo.start();
            var threads = new ArrayList<Thread>();
            for (int i = 0; i < clients; i++) {
                var t = new Thread(() -> churn(clientCtx, endpoint, stop, cycles, failures), "soak-client-" + i);
                t.start();
                threads.add(t);
            }
            System.out.println("soak: " + clients + " clients reconnecting to " + endpoint + " for " + seconds + " s, heartbeats 1 s");
            System.out.println("   t_s   cycles  heap_MiB  direct_MiB  threads  fds  rss_MiB");
            var samples = new ArrayList<ProcessStats>();
            long start = System.nanoTime();
            for (int t = sample; t <= seconds; t += sample) {
                long wake = start + Duration.ofSeconds(t).toNanos();
                while (System.nanoTime() < wake) {
                    Thread.sleep(Math.max(1, (wake - System.nanoTime()) / 1_000_000)); // the sampling period, not synchronisation
                }
                var s = ProcessStats.now();
                samples.add(s);
                System.out.printf("%6d %8d %9.1f %11.2f %8d %4d %8.1f%n", t, cycles.get(), s.heapUsed() / 1048576.0, s.direct() / 1048576.0,
                        s.threads(), s.fds(), s.rssKb() / 1024.0);
            }
            stop.set(true);
            for (var t : threads) {
                t.join(30_000);
            }
            System.out.println("cycles " + cycles.get() + ", failed exchanges " + failures.get());
            System.out.println(verdict(samples));
        }
    }

    private static void churn(ZmqContext ctx, String endpoint, AtomicBoolean stop, AtomicLong cycles, AtomicLong failures) {
        while (!stop.get()) {
            try (var dealer = ctx.socket(SocketType.DEALER)) {
                dealer.set(SocketOption.LINGER, 0);
                dealer.set(SocketOption.HEARTBEAT_IVL, 1000);
                dealer.connect(endpoint);
                dealer.send(Message.of("ping"));
                if (dealer.recv(Duration.ofSeconds(5)) == null) {
                    failures.incrementAndGet();
                }
                cycles.incrementAndGet();
            } catch (ZmqException e) {
                if (!stop.get()) {
                    failures.incrementAndGet();
                }
            }
        }
    }

    /** FLAT or GROWING, comparing the mean of the first and the last third of the samples after the first. */
    static String verdict(List<ProcessStats> all) {
        if (all.size() < 4) {
            return "VERDICT: too few samples (" + all.size() + ") to judge";
        }
        var s = all.subList(1, all.size());
        int third = Math.max(1, s.size() / 3);
        var first = s.subList(0, third);
        var last = s.subList(s.size() - third, s.size());
        double heap0 = mean(first, ProcessStats::heapUsed);
        double heap1 = mean(last, ProcessStats::heapUsed);
        double dir0 = mean(first, ProcessStats::direct);
        double dir1 = mean(last, ProcessStats::direct);
        double thr0 = mean(first, ProcessStats::threads);
        double thr1 = mean(last, ProcessStats::threads);
        double fd0 = mean(first, ProcessStats::fds);
        double fd1 = mean(last, ProcessStats::fds);
        var problems = new ArrayList<String>();
        if (heap1 - heap0 > Math.max(0.2 * heap0, 16 * 1048576.0)) {
            problems.add(String.format("heap %.1f -> %.1f MiB", heap0 / 1048576, heap1 / 1048576));
        }
        if (dir1 - dir0 > 4 * 1048576.0) {
            problems.add(String.format("direct %.1f -> %.1f MiB", dir0 / 1048576, dir1 / 1048576));
        }
        if (thr1 > thr0 + 0.5) {
            problems.add(String.format("threads %.1f -> %.1f", thr0, thr1));
        }
        if (fd1 > fd0 + 4) {
            problems.add(String.format("fds %.1f -> %.1f", fd0, fd1));
        }
        var summary = String.format("heap %.1f -> %.1f MiB, direct %.2f -> %.2f MiB, threads %.1f -> %.1f, fds %.1f -> %.1f (first vs last third)",
                heap0 / 1048576, heap1 / 1048576, dir0 / 1048576, dir1 / 1048576, thr0, thr1, fd0, fd1);
        return problems.isEmpty() ? "VERDICT: FLAT: " + summary : "VERDICT: GROWING: " + String.join(", ", problems) + "; " + summary;
    }

    private static double mean(List<ProcessStats> samples, java.util.function.ToDoubleFunction<ProcessStats> f) {
        return samples.stream().mapToDouble(f).average().orElseThrow(); // verdict() never passes an empty third
    }
}
