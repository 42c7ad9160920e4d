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
     * Receives {@code count} messages into one reused buffer ({@code recv(byte[])}, zmq_recv), as
     * libzmq's local_thr reuses one zmq_msg_t, checking each size, and returns the microseconds from
     * the first message's arrival to the last's (at least 1). At every size: the connection gets each
     * array back once its frame is copied out and decodes a later frame into it, so a receiver
     * allocates next to nothing (16 B x2M 71 -> 9 MB, 256 B x1M 290 -> 29 MB). Large frames taken as
     * their own arrays ({@code recv()}) cost a fresh array per message, cold memory to zero and, under
     * G1's default sizing, pages touched for the first time; their copy costs less since a connection
     * keeps 4 MiB of returned arrays (16 MiB since, see ReturnedFrames), not 257 KiB (benchmarks/ab.sh, three rounds, medians; the I/O
     * thread's allocation; G1: 64 KiB x20k 1,282 -> 199 MB, 20.1k -> 30.0k msg/s; 4 KiB x200k
     * 806 -> 5 MB, 241k -> 362k; ParallelGC 512 MiB: 64 KiB 27.1k both ways, 4 KiB 324k -> 423k).
     */
    static long receive(PerfZmq.Socket pull, int size, int count) {
        return receiveInto(pull, size, count);
    }

    private static long receiveInto(PerfZmq.Socket pull, int size, int count) {
        var buffer = receiveBuffer(size);
        check(pull.recv(buffer), size);
        long start = System.nanoTime();
        for (int i = 1; i < count; i++) {
            check(pull.recv(buffer), size);
        }
        return Math.max(1, micros(start));
    }

    /**
     * A buffer for messages of {@code size} bytes, one byte longer: a larger message then shows in
     * the size received whichever implementation's {@code recv(byte[])} reports (ours the whole
     * size, JeroMQ's what it copied).
     */
    private static byte[] receiveBuffer(int size) {
        return new byte[size + 1];
    }

    /**
     * As {@link #receive}, each message taken as its own array ({@code recv()}): for inproc, where
     * that is the array sent (no copy, no allocation, as libzmq's inproc_thr moves
     * the message into its zmq_msg_t; a copy there would only add one).
     */
    static long receiveArrays(PerfZmq.Socket pull, int size, int count) {
        check(pull.recv().length, size);
        long start = System.nanoTime();
        for (int i = 1; i < count; i++) {
            check(pull.recv().length, size);
        }
        return Math.max(1, micros(start));
    }

    /**
     * Answers {@code count} requests with messages of their size, each received into one reused
     * buffer (as libzmq's local_lat reuses one zmq_msg_t) and answered with one reused zero-filled
     * array, sent without a copy (the perf tools never look at the content; sending it again is
     * safe, as the next request comes only after the peer had the whole reply). At every size,
     * as the throughput receiver ({@link #receive}); request-reply has one frame in flight,
     * so the array copied out always goes back to its connection and the next frame is decoded into
     * it (no fresh memory per message); a 64 KiB frame taken as its own array costs more than its copy,
     * 16 pages of new heap (faults on the first pass through eden, then zeroing) on each side per
     * roundtrip (lat-ab.sh 65536 4000 9, load 4-4.7: 163 -> 147 us, I/O thread 390 -> 300 ms a side).
     */
    static void echo(PerfZmq.Socket rep, int size, int count) {
        var buffer = receiveBuffer(size);
        var reply = new byte[size];
        for (int i = 0; i < count; i++) {
            check(rep.recv(buffer), size);
            rep.send(reply);
        }
    }

    /**
     * Makes {@code count} roundtrips of a {@code size}-byte message (one reused zero-filled array),
     * each reply received into one reused buffer as {@link #echo} does, and returns the elapsed
     * microseconds.
     */
    static long roundtrips(PerfZmq.Socket req, int size, int count) {
        var request = new byte[size];
        var buffer = receiveBuffer(size);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            req.send(request);
            check(req.recv(buffer), size);
        }
        return micros(start);
    }

    /**
     * As {@link #roundtrips}, each reply taken as its own array and sent as the next request
     * (inproc, where that is the array the peer sent: no copy, no allocation).
     */
    static long roundtripsArrays(PerfZmq.Socket req, int size, int count) {
        var data = new byte[size];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            req.send(data);
            data = req.recv();
            check(data.length, size);
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

    private static void check(int received, int size) {
        if (received != size) {
            throw new PerfException(null, WRONG_SIZE);
        }
    }

    private static long micros(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000;
    }
}
