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
     * first message's arrival to the last's (at least 1). Over a connection ({@code intoBuffer})
     * each is received into one reused buffer, as libzmq's local_thr reuses one zmq_msg_t, and
     * the connection decodes into the arrays it gets back. inproc takes each message as the
     * array sent ({@code recv()}): no copy and no allocation, as libzmq's inproc_thr moves the
     * message into its zmq_msg_t; a copy there would only add one.
     */
    static long receive(PerfZmq.Socket pull, int size, int count, boolean intoBuffer) {
        var buffer = intoBuffer ? new byte[size] : null;
        check(next(pull, buffer), size);
        long start = System.nanoTime();
        for (int i = 1; i < count; i++) {
            check(next(pull, buffer), size);
        }
        return Math.max(1, micros(start));
    }

    /** The next message's size: received into {@code buffer}, or as its own array if null. */
    private static int next(PerfZmq.Socket socket, byte[] buffer) {
        return buffer != null ? socket.recv(buffer) : socket.recv().length;
    }

    /**
     * Answers {@code count} requests with themselves, each received into one reused buffer and
     * sent back from it (as libzmq's local_lat echoes one zmq_msg_t). The buffer is sent without a
     * copy and written again by the next receive: safe here, as the next request comes only after
     * the peer had the whole reply.
     */
    static void echo(PerfZmq.Socket rep, int size, int count) {
        var buffer = new byte[size];
        for (int i = 0; i < count; i++) {
            check(rep.recv(buffer), size);
            rep.send(buffer);
        }
    }

    /**
     * Makes {@code count} roundtrips of a {@code size}-byte message and returns the elapsed
     * microseconds. Over a connection ({@code intoBuffer}) the reply is received into the buffer
     * sent (see {@link #echo}); inproc takes it as its own array (see {@link #receive}).
     */
    static long roundtrips(PerfZmq.Socket req, int size, int count, boolean intoBuffer) {
        var data = new byte[size];
        var buffer = intoBuffer ? data : null;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            req.send(data);
            if (buffer != null) {
                check(req.recv(buffer), size);
            } else {
                data = req.recv();
                check(data.length, size);
            }
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
