package dev.zmq.perf;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs {@link Main} with the given arguments and, when the JVM exits, prints to stderr the CPU time
 * (user + system, ms) of its threads by kind, read from /proc (Linux):
 * {@code CPUMS total=... app=... c1=... c2=... gc/vm=... io=... other=... exited=...}. "app" is the
 * thread that ran the command, "io" the I/O threads still alive; "exited" is the CPU of threads that
 * ended before the exit (the perf tools' I/O thread usually, once its context closed). Used by {@code benchmarks/ab.sh} to compare builds by CPU
 * per message, which a loaded machine disturbs less than throughput.
 *
 * <p>It also prints the bytes each kind of Java thread allocated ({@code ALLOCKB total=... app=... io=...
 * other=...}, KiB, from {@code com.sun.management.ThreadMXBean}): in a cold run every new page of eden
 * costs a first-touch fault, so bytes allocated per message are time. A thread's count is lost when it
 * ends, so a daemon thread samples every live thread's count every {@value #SAMPLE_MS} ms and keeps
 * the last value seen; {@code total} is the JVM's count including ended threads.
 */
public final class ThreadCpu {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private static final long SAMPLE_MS = 20;

    /** Thread id -> {kind, last allocated bytes seen}; written by the sampler and the exit hook. */
    private static final Map<Long, Object[]> ALLOCATED = new java.util.concurrent.ConcurrentHashMap<>();

    private ThreadCpu() {
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(ThreadCpu::report, "thread-cpu"));
        var sampler = new Thread(ThreadCpu::sampleAllocations, "thread-alloc");
        sampler.setDaemon(true);
        sampler.start();
        Main.main(args);
    }

    private static void report() {
        try {
            long total = millis(Path.of("/proc/self/stat"));
            long live = 0;
            Map<String, Long> kinds = new TreeMap<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                for (var task : tasks) {
                    String name;
                    long ms;
                    try {
                        name = Files.readString(task.resolve("comm")).trim();
                        ms = millis(task.resolve("stat"));
                    } catch (java.nio.file.NoSuchFileException e) {
                        continue; // the thread ended while being listed: its CPU counts as "exited"
                    }
                    live += ms;
                    kinds.merge(kind(name), ms, Long::sum);
                }
            }
            kinds.put("exited", total - live);
            var line = new StringBuilder("CPUMS total=").append(total);
            kinds.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
            System.err.println(line);
        } catch (IOException | RuntimeException e) {
            System.err.println("CPUMS unavailable: " + e);
        }
        reportAllocations();
    }

    private static void sampleAllocations() {
        try {
            while (true) {
                sample();
                Thread.sleep(SAMPLE_MS);
            }
        } catch (InterruptedException | RuntimeException e) {
            // the JVM is exiting, or the counts are unavailable: the exit hook reports what was seen
        }
    }

    private static void sample() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] < 0) {
                continue;
            }
            var entry = ALLOCATED.get(ids[i]);
            if (entry == null) {
                var info = threads.getThreadInfo(ids[i]);
                if (info == null) {
                    continue;
                }
                entry = new Object[] {allocKind(info.getThreadName()), 0L};
                ALLOCATED.put(ids[i], entry);
            }
            entry[1] = bytes[i];
        }
    }

    private static void reportAllocations() {
        try {
            sample();
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            Map<String, Long> kinds = new TreeMap<>();
            ALLOCATED.values().forEach(e -> kinds.merge((String) e[0], (Long) e[1], Long::sum));
            var line = new StringBuilder("ALLOCKB total=").append(threads.getTotalThreadAllocatedBytes() / 1024);
            kinds.forEach((k, v) -> line.append(' ').append(k).append('=').append(v / 1024));
            System.err.println(line);
        } catch (RuntimeException e) {
            System.err.println("ALLOCKB unavailable: " + e);
        }
    }

    private static String allocKind(String thread) {
        if (thread.startsWith("zmq-io")) {
            return "io";
        }
        return thread.equals("main") ? "app" : "other";
    }

    private static String kind(String thread) {
        if (thread.startsWith("C2")) {
            return "c2";
        }
        if (thread.startsWith("C1")) {
            return "c1";
        }
        if (thread.startsWith("zmq-io")) {
            return "io";
        }
        if (thread.startsWith("GC") || thread.startsWith("VM") || thread.startsWith("G1")) {
            return "gc/vm";
        }
        return thread.equals("java") ? "app" : "other"; // the launcher names the main thread "java"
    }

    /** utime + stime of a /proc stat file, in ms. */
    private static long millis(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / TICKS_PER_SECOND;
    }
}
