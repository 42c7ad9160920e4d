package dev.zmq.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * How other threads wake an I/O thread blocked in select: a byte through a pipe of its own,
 * registered with its selector. Not {@link Selector#wakeup()}: the JDK's writes its eventfd while
 * holding a monitor that the woken selector takes at once to reset it, so the woken thread (on the
 * other core) often found it still held and parked on it, a second sleep and wake-up per wake-up
 * (in {@code perf trace}, a futex wait of the I/O thread after nearly every resume of a paused
 * reader). Here the lock is the waking threads' alone, and the I/O thread drains its end without one.
 * Both ends are non-blocking, so an interrupted waker cannot close the pipe.
 */
final class WakeupPipe implements AutoCloseable {
    private final Pipe pipe;
    /** The byte written, shared by the waking threads under {@code this}. */
    private final ByteBuffer one = ByteBuffer.allocateDirect(1);
    /** The I/O thread's: bytes read off the pipe. */
    private final ByteBuffer drained = ByteBuffer.allocateDirect(64);

    WakeupPipe() throws IOException {
        pipe = Pipe.open();
        try {
            pipe.sink().configureBlocking(false);
            pipe.source().configureBlocking(false);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Registers the reading end with {@code selector}; its key turns ready after {@link #wake}. */
    SelectionKey register(Selector selector) throws ClosedChannelException {
        return pipe.source().register(selector, SelectionKey.OP_READ);
    }

    /** Makes the selector's current or next select return. Any thread. */
    synchronized void wake() {
        try {
            pipe.sink().write(one.clear()); // 0 when the pipe is full: then it is readable anyway
        } catch (IOException e) {
            // closed: the thread is stopping, there is nothing left to wake
        }
    }

    /** Empties the pipe once the selector reported it (a wake-up seen). The I/O thread only. */
    void drain() {
        try {
            // A byte per wake-up not yet seen. A read of a pipe returns all it holds up to the
            // buffer's size, so a short read emptied it: one system call per wake-up, not a second
            // one to find it empty (a byte written after the read makes the key ready again).
            while (pipe.source().read(drained.clear()) == drained.capacity()) {
                // the buffer came back full: there may be more
            }
        } catch (IOException e) {
            // closed: the thread is stopping
        }
    }

    @Override
    public void close() {
        try {
            pipe.sink().close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            pipe.source().close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
