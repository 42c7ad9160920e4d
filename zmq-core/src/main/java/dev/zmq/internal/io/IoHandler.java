package dev.zmq.internal.io;

import java.nio.channels.SelectionKey;

/** Something registered with an {@link IoThread}'s selector, told when its channel is ready. */
public interface IoHandler {
    /** Called on the I/O thread with the key's ready operations. Must not throw. */
    void onReady(SelectionKey key);

    /** Called on the I/O thread when the I/O thread stops with this handler still registered. */
    void onShutdown();
}
