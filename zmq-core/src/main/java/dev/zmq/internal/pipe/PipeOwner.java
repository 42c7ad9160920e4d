package dev.zmq.internal.pipe;

/**
 * The application side of a {@link Pipe} (its socket), woken by the connection side only when it
 * went to sleep: its reader found the pipe empty, or its writer found it full. Called without any
 * lock held, from the connection's thread.
 */
public interface PipeOwner {
    /** Messages arrived in {@code pipe} while the socket's reader was asleep on it. */
    void inboundArrived(Pipe pipe);

    /** {@code pipe} has room again after the socket found it at SNDHWM. */
    void outboundRoom(Pipe pipe);
}
