package dev.zmq.testkit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zmq.Message;
import dev.zmq.ZmqSocket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting on conditions with a deadline, instead of sleeping and hoping. */
public final class Await {
    /** How long a test waits for something that should happen "soon" on a loaded 2-core machine. */
    public static final Duration SOON = Duration.ofSeconds(10);
    /** How long a test watches for something that must NOT happen. */
    public static final Duration QUIET = Duration.ofMillis(300);

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails the test with {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            LockSupport.parkNanos(2_000_000L); // poll interval only; the condition is the synchronisation
        }
    }

    /** {@link #until(String, Duration, BooleanSupplier)} with {@link #SOON}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, SOON, condition);
    }

    /** Receives a message that must arrive within {@link #SOON}. */
    public static Message recv(ZmqSocket socket) {
        return recv(socket, SOON);
    }

    /** Receives a message that must arrive within {@code timeout}. */
    public static Message recv(ZmqSocket socket, Duration timeout) {
        var m = socket.recv(timeout);
        assertNotNull(m, () -> "no message on " + socket.type() + " within " + timeout.toMillis() + " ms");
        return m;
    }

    /** Waits until {@code thread} is parked (presumably inside the blocking call it announced). */
    public static void parked(Thread thread) {
        until(thread.getName() + " to block", () -> switch (thread.getState()) {
            case WAITING, TIMED_WAITING -> true;
            default -> false;
        });
    }
}
