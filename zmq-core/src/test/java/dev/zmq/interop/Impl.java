package dev.zmq.interop;

import java.util.Locale;

/** The ZeroMQ implementations the interop tests play against each other. */
enum Impl {
    /** dev.zmq, the implementation under test. */
    OURS("ours"),
    /** JeroMQ 0.6.0, in-process. */
    JEROMQ("JeroMQ"),
    /** libzmq 4.3 through pyzmq in a child /usr/bin/python3. */
    LIBZMQ("libzmq");

    /**
     * System property naming the implementation that plays "our" side, {@code ours} by default.
     * Setting it to {@code jeromq} runs the whole matrix JeroMQ against JeroMQ and libzmq, which
     * checks the harness itself against two reference implementations.
     */
    static final String SELF_PROPERTY = "zmq.interop.self";

    private final String label;

    Impl(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The implementation standing for "ours" in this run (see {@link #SELF_PROPERTY}). */
    static Impl underTest() {
        var value = System.getProperty(SELF_PROPERTY, "ours").trim().toUpperCase(Locale.ROOT);
        var impl = Impl.valueOf(value);
        if (impl == LIBZMQ) {
            throw new IllegalArgumentException(SELF_PROPERTY + "=libzmq is not supported: the peers run in one child process");
        }
        return impl;
    }
}
