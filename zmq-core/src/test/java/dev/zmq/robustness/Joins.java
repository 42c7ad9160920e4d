package dev.zmq.robustness;

/** Joining the tests' own helper threads from {@code close()} methods, which must not throw checked exceptions. */
final class Joins {
    private Joins() {
    }

    /** Waits up to 5 s for {@code thread} to end. */
    static void join(Thread thread) {
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping " + thread.getName(), e);
        }
    }
}
