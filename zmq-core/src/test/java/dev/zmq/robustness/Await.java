package dev.zmq.robustness;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on a condition with a deadline, the only synchronisation these tests use besides timeouts. */
final class Await {
    private Await() {
    }

    /** Polls {@code condition} until it holds; fails with {@code what} (computed at failure) otherwise. */
    static void condition(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        if (!holdsWithin(condition, timeout)) {
            throw new AssertionError("not within " + timeout + ": " + what.get());
        }
    }

    static void condition(BooleanSupplier condition, Duration timeout, String what) {
        condition(condition, timeout, () -> what);
    }

    /** Polls {@code condition} until it holds or the timeout passes; returns whether it held. */
    static boolean holdsWithin(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseNanos = 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return condition.getAsBoolean();
            }
            // Back off from 1 ms to 50 ms between polls; this is polling, not synchronisation by delay.
            java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, 50_000_000);
        }
        return true;
    }
}
