package dev.zmq.spring.listener;

import java.util.concurrent.atomic.LongAdder;

/**
 * What became of the messages a listener container accepted; every message ends in exactly one of
 * {@link #succeeded()}, {@link #recovered()} and {@link #discarded()}. {@link #retries()} counts the
 * extra attempts. Published as the meter {@code zmq.listener.messages} (tag {@code outcome}) by the
 * starter's metrics.
 */
public final class ZmqListenerOutcomes {
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder recovered = new LongAdder();
    private final LongAdder discarded = new LongAdder();
    private final LongAdder retries = new LongAdder();

    /** Handled by the listener (possibly after retries). */
    public long succeeded() {
        return succeeded.sum();
    }

    /** Given to the recoverer (logged, dead-lettered or the application's) after the last failed attempt. */
    public long recovered() {
        return recovered.sum();
    }

    /** Thrown away and logged: malformed (a request without its envelope) or the recoverer failed. */
    public long discarded() {
        return discarded.sum();
    }

    /** Attempts beyond the first. */
    public long retries() {
        return retries.sum();
    }

    /** Extra attempts of a batch (counted once for the batch). */
    void retried(long extraAttempts) {
        retries.add(Math.max(0, extraAttempts));
    }

    void succeeded(int attempts) {
        succeeded.increment();
        retries.add(attempts - 1L);
    }

    void recovered(int attempts) {
        recovered.increment();
        retries.add(Math.max(0, attempts - 1L));
    }

    void discarded(int attempts) {
        discarded.increment();
        retries.add(Math.max(0, attempts - 1L));
    }
}
