package dev.zmq.internal.transport;

/** A bound endpoint accepting connections. */
public interface Listener {
    /** The endpoint as bound, e.g. with the real port of {@code tcp://127.0.0.1:*}. */
    String endpoint();

    /** Starts accepting. */
    void start();

    /** Stops accepting and closes what it accepted; the address can be bound again on return. */
    void close();
}
