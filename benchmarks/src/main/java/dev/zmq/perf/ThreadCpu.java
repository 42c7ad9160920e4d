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
 */
public final class ThreadCpu {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private ThreadCpu() {
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(ThreadCpu::report, "thread-cpu"));
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
