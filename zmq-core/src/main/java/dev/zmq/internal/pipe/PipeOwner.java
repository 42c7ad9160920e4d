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

    /**
     * As {@link #inboundArrived}, called by an inproc peer's pipe with the peer socket's lock held:
     * wakes this socket's reader only if that takes no lock (a receiver parked by itself, or none
     * waiting), and returns whether it did. False: the peer runs {@link #inboundArrived} once its
     * lock is released ({@link #runAfterUnlock}). The default takes the second way always.
     */
    default boolean inboundArrivedWithoutLock(Pipe pipe) {
        return false;
    }

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
