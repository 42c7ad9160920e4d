package dev.zmq.interop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;

/**
 * Works around a JeroMQ 0.6.0 bug that otherwise makes a few percent of the interop cases hang.
 *
 * <p>When a JeroMQ socket's TCP connect completes, its poller retires the connecting handle and
 * registers the new engine's handle for the same channel. If both happen in one poller pass, the
 * new handle meets the old, cancelled selection key and is never registered (zeromq/jeromq
 * PR #1022, "connect hand-off race", 1-6 % of connects): the connection is up but JeroMQ neither
 * reads nor writes it again. Only its handshake timer gets it out, by reconnecting after
 * HANDSHAKE_IVL (30 s, far beyond what a test waits); and if the peer's whole greeting was already
 * there for the one speculative read plug() does, JeroMQ cancels that timer too and hangs for good.
 *
 * <p>The poller re-registers every handle without a key whenever anything changes its table. So
 * while a session uses JeroMQ, this thread briefly binds a throw-away socket on the same
 * single-I/O-thread context every {@link #PERIOD}, which puts a stuck handle back in the selector
 * within that period. It touches nothing else: the sockets under test are left alone.
 */
final class JeromqNudger implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(250);

    private final ZContext context;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    JeromqNudger(ZContext context) {
        this.context = context;
        this.thread = LibzmqProcess.daemon("jeromq-nudger", this::run);
        thread.start();
    }

    private void run() {
        try {
            while (!stop.await(PERIOD.toMillis(), TimeUnit.MILLISECONDS)) {
                var socket = context.createSocket(SocketType.PAIR);
                try {
                    socket.setLinger(0);
                    socket.bind("tcp://127.0.0.1:*");
                } finally {
                    context.destroySocket(socket);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The context is closing under us: nothing left to nudge.
        }
    }

    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
