package dev.zmq.internal.io;

import java.nio.channels.Selector;

/** Test access to an I/O thread's insides, for failures no peer can cause. */
public final class IoThreads {
    private IoThreads() {
    }

    /**
     * Closes the thread's selector under it: the next select fails with ClosedSelectorException,
     * a failure of the thread itself (not of one of its channels).
     */
    public static void breakSelector(IoThread io) throws Exception {
        var field = IoThread.class.getDeclaredField("selector");
        field.setAccessible(true);
        ((Selector) field.get(io)).close();
    }
}
