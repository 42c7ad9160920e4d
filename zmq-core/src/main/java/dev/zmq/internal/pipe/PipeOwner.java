package dev.zmq.internal.pipe;

/**
 * The application side of a {@link Pipe} (its socket), woken by the connection side only when it
 * went to sleep: its reader found the pipe empty, or its writer found it full. Called without any
 * lock held, from the connection's thread
 * (or, for inproc, from the peer socket's thread after it released its own lock).
 */
public interface PipeOwner {
    /** Messages arrived in {@code pipe} while the socket's reader was asleep on it. */
    void inboundArrived(Pipe pipe);

    /** {@code pipe} has room again after the socket found it at SNDHWM. */
    void outboundRoom(Pipe pipe);

    /**
     * Called by an inproc pipe, with this owner's lock held, to wake the peer socket (which takes
     * that socket's lock): runs {@code task} once this owner's lock is released, so that no thread
     * holds two sockets' locks at once. An owner without a lock runs it at once.
     */
    default void runAfterUnlock(Runnable task) {
        task.run();
    }
}
