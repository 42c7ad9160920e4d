package dev.zmq.internal.io;

import java.nio.channels.SelectionKey;

/** Something registered with an {@link IoThread}'s selector, told when its channel is ready. */
public interface IoHandler {
    /** Called on the I/O thread with the key's ready operations. Should not throw. */
    void onReady(SelectionKey key);

    /** Called on the I/O thread when the I/O thread stops with this handler still registered. */
    void onShutdown();

    /**
     * {@link #onReady} threw {@code t} (an OutOfMemoryError, a bug). Return true if the handler dealt
     * with it and keeps its channel (a listener pausing), false to have the I/O thread cancel the key
     * and close the channel (the default: the failure costs this channel only).
     */
    default boolean onFailure(Throwable t) {
        return false;
    }
}
