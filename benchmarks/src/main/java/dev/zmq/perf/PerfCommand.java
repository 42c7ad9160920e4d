package dev.zmq.perf;

import java.util.List;

/** One of libzmq's perf tools, with libzmq's name, arguments and output. */
interface PerfCommand {

    /** The command name, e.g. {@code local_thr}. */
    String name();

    /** The arguments as libzmq's usage line shows them, e.g. {@code <bind-to> <message-size> <message-count>}. */
    String arguments();

    /**
     * Runs the command.
     *
     * @throws UsageException if the arguments are wrong
     * @throws PerfException if a ZeroMQ call fails or a message has the wrong size
     */
    void run(Session session, List<String> args);

    /** Thrown when the arguments do not fit {@link #arguments()}. */
    final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String reason) {
            super(reason);
        }
    }
}
