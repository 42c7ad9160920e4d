package dev.zmq.perf;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a benchmark reads of its own process: resident memory and open files from /proc (Linux),
 * heap in use after a collection, direct buffer memory, live threads.
 *
 * @param rssKb resident set size, KiB
 * @param heapUsed heap bytes in use after {@link System#gc()}
 * @param direct direct buffer bytes in use (the JVM's "direct" pool)
 * @param threads live threads
 * @param fds open file descriptors
 */
record ProcessStats(long rssKb, long heapUsed, long direct, int threads, int fds) {

    /** Collects garbage first (twice, so what is unreachable is gone), then measures. */
    static ProcessStats now() {
        System.gc();
        System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return new ProcessStats(readRssKb(), heap, direct, Thread.activeCount(), countFds());
    }

    static long readRssKb() {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static int countFds() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** One line for scripts: key=value pairs. */
    String line() {
        return "rss_kb=" + rssKb + " heap=" + heapUsed + " direct=" + direct + " threads=" + threads + " fds=" + fds;
    }
}
