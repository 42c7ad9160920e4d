package dev.zmq.spring.boot.test;

import dev.zmq.ZmqSocket;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits with a deadline that tests of ZeroMQ applications need, never a fixed sleep. */
public final class ZmqTestUtils {
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private ZmqTestUtils() {
    }

    /**
     * Waits until {@code socket} has at least {@code peers} connected peers (handshake done).
     *
     * @throws TimeoutException saying how many there were
     */
    public static void awaitPeers(ZmqSocket socket, int peers, Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (socket.statistics().connectedPeers() < peers) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("The " + socket.type() + " socket has " + socket.statistics().connectedPeers()
                        + " peer(s) after " + timeout + ", expected " + peers);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * The slow-joiner cure: calls {@code publish} (which sends a probe or the real message) until {@code arrived}
     * says the subscriber got one, i.e. its subscription has reached the publisher.
     *
     * @throws TimeoutException when nothing arrived within {@code timeout}
     */
    public static void publishUntilReceived(Runnable publish, BooleanSupplier arrived, Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextPublish = System.nanoTime();
        while (!arrived.getAsBoolean()) {
            long now = System.nanoTime();
            if (now - deadline > 0) {
                throw new TimeoutException("No subscriber received what was published within " + timeout
                        + " (is the SUB connected and subscribed to the topic?)");
            }
            if (now - nextPublish >= 0) {
                publish.run();
                nextPublish = now + Duration.ofMillis(50).toNanos();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
