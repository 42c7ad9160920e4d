package dev.zmq.robustness;

import dev.zmq.Message;
import dev.zmq.ZmqSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The application thread of a receiving socket: sits in {@code recv} the whole time, so anything
 * the library throws into the application while it copes with a hostile peer is caught here.
 */
final class AppReceiver implements AutoCloseable {
    private final ZmqSocket socket;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    AppReceiver(ZmqSocket socket) {
        this.socket = socket;
        this.thread = new Thread(this::loop, "app-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                var m = socket.recv(Duration.ofMillis(100));
                if (m != null) {
                    received.add(m);
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** The next message received, or null after {@code timeout}. */
    Message next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Messages received but not taken yet. */
    int pending() {
        return received.size();
    }

    /** Whatever the receive loop caught, or null. */
    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        running = false;
        Joins.join(thread);
        if (thread.isAlive()) {
            throw new AssertionError("application receiver did not stop: recv(100 ms) did not return");
        }
    }
}
