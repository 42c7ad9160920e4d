package dev.zmq.perf;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The measuring loops and result lines shared by the tcp and inproc tools, following libzmq's:
 * throughput is timed from the first message received to the last, counting the first;
 * latency is one-way, half the average roundtrip. Times are whole microseconds, as
 * {@code zmq_stopwatch}'s.
 */
final class Measure {
    static final String WRONG_SIZE = "message of incorrect size received";

    private Measure() {
    }

    /** Sends {@code count} messages of {@code size} zero bytes. */
    static void send(PerfZmq.Socket push, int size, int count) {
        // One zero-filled array serves every message: messages are never modified after sending.
        var data = new byte[size];
        for (int i = 0; i < count; i++) {
            push.send(data);
        }
    }

    /**
     * Receives {@code count} messages, checking each size, and returns the microseconds from the
     * first message's arrival to the last's (at least 1).
     */
    static long receive(PerfZmq.Socket pull, int size, int count) {
        check(pull.recv(), size);
        long start = System.nanoTime();
        for (int i = 1; i < count; i++) {
            check(pull.recv(), size);
        }
        return Math.max(1, micros(start));
    }

    /** Answers {@code count} requests with themselves, checking each size. */
    static void echo(PerfZmq.Socket rep, int size, int count) {
        for (int i = 0; i < count; i++) {
            var data = rep.recv();
            check(data, size);
            rep.send(data);
        }
    }

    /** Makes {@code count} roundtrips of a {@code size}-byte message and returns the elapsed microseconds. */
    static long roundtrips(PerfZmq.Socket req, int size, int count) {
        var data = new byte[size];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            req.send(data);
            data = req.recv();
            check(data, size);
        }
        return micros(start);
    }

    static void printThroughputHeader(PrintStream out, int size, int count) {
        out.printf(Locale.ROOT, "message size: %d [B]%n", size);
        out.printf(Locale.ROOT, "message count: %d%n", count);
    }

    /**
     * Prints libzmq's two throughput lines. {@code wholeMsgPerSec} mirrors inproc_thr, which
     * truncates msg/s to an integer before computing Mb/s; local_thr does not.
     */
    static void printThroughput(PrintStream out, int size, int count, long elapsedMicros, boolean wholeMsgPerSec) {
        double throughput = (double) count / elapsedMicros * 1_000_000;
        if (wholeMsgPerSec) {
            throughput = (long) throughput;
        }
        double megabits = throughput * size * 8 / 1_000_000;
        out.printf(Locale.ROOT, "mean throughput: %d [msg/s]%n", (long) throughput);
        out.printf(Locale.ROOT, "mean throughput: %.3f [Mb/s]%n", megabits);
    }

    static void printLatencyHeader(PrintStream out, int size, int roundtrips) {
        out.printf(Locale.ROOT, "message size: %d [B]%n", size);
        out.printf(Locale.ROOT, "roundtrip count: %d%n", roundtrips);
    }

    static void printLatency(PrintStream out, int roundtrips, long elapsedMicros) {
        out.printf(Locale.ROOT, "average latency: %.3f [us]%n", (double) elapsedMicros / (roundtrips * 2.0));
    }

    private static void check(byte[] data, int size) {
        if (data.length != size) {
            throw new PerfException(null, WRONG_SIZE);
        }
    }

    private static long micros(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000;
    }
}
