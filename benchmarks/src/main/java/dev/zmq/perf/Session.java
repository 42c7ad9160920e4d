package dev.zmq.perf;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * What a command runs with: the implementation, where to print, and a hook told the endpoint a
 * {@code local_*} command actually bound (so in-process callers can bind {@code tcp://127.0.0.1:*}).
 */
public record Session(PerfZmq zmq, PrintStream out, PrintStream err, Consumer<String> onBound) {

    /** Binds {@code socket} to {@code endpoint} and reports the real endpoint to {@link #onBound}. */
    String bind(PerfZmq.Socket socket, String endpoint) {
        var bound = socket.bind(endpoint);
        onBound.accept(bound);
        return bound;
    }
}
