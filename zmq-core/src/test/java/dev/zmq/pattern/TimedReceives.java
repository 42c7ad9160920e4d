package dev.zmq.pattern;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.ZmqSocket;
import java.time.Duration;

/** Checks shared by the tests of a receive that looks again before it parks (inproc watch, answer poll). */
final class TimedReceives {
    private TimedReceives() {
    }

    /** A {@code recv(timeoutMillis)} on {@code socket}, with nothing to receive, returns null after its whole timeout, and not seconds later. */
    static void waitsItsWholeTimeout(ZmqSocket socket, int timeoutMillis) {
        long start = System.nanoTime();
        assertNull(socket.recv(Duration.ofMillis(timeoutMillis)));
        long waited = System.nanoTime() - start;
        assertTrue(waited >= timeoutMillis * 1_000_000L,
                () -> "recv(" + timeoutMillis + " ms) returned after " + waited / 1000 + " us");
        assertTrue(waited < timeoutMillis * 1_000_000L + Duration.ofSeconds(5).toNanos(),
                () -> "recv(" + timeoutMillis + " ms) returned after " + waited / 1000 + " us");
    }
}
