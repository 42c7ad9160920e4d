package dev.zmq.spring.recovery;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * How often a listener is invoked for one message before it is given to the recoverer, and how long
 * it waits between attempts (exponential back-off: {@code delay}, times {@code multiplier} after each
 * attempt, at most {@code maxDelay}). A null component means "the default" ({@link #orElse}).
 * Built on Spring Framework's {@link RetryTemplate}.
 *
 * @param maxAttempts invocations in all, 1 for no retry
 * @param delay the wait before the first retry
 * @param multiplier how much the wait grows after each retry (1 or more)
 * @param maxDelay the longest wait
 */
public record ZmqListenerRetry(Integer maxAttempts, Duration delay, Double multiplier, Duration maxDelay) {

    /** One attempt (no retry); 1 s, doubling, at most 30 s when more attempts are configured. */
    public static final ZmqListenerRetry DEFAULTS = new ZmqListenerRetry(1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));

    /** Nothing set: every component from the defaults. */
    public static final ZmqListenerRetry UNSET = new ZmqListenerRetry(null, null, null, null);

    /** These settings, each one not set taken from {@code defaults}. */
    public ZmqListenerRetry orElse(ZmqListenerRetry defaults) {
        return new ZmqListenerRetry(maxAttempts != null ? maxAttempts : defaults.maxAttempts,
                delay != null ? delay : defaults.delay, multiplier != null ? multiplier : defaults.multiplier,
                maxDelay != null ? maxDelay : defaults.maxDelay);
    }

    /**
     * Checks complete settings.
     *
     * @return a problem description, or null when they are usable
     */
    public String problem() {
        if (maxAttempts == null || maxAttempts < 1) {
            return "max attempts must be 1 or more (1: no retry), got " + maxAttempts;
        }
        if (delay == null || delay.isNegative()) {
            return "the retry delay must be zero or positive, got " + delay;
        }
        if (multiplier == null || multiplier < 1.0) {
            return "the back-off multiplier must be 1 or more, got " + multiplier;
        }
        if (maxDelay == null || maxDelay.compareTo(delay) < 0) {
            return "the longest retry delay must be at least the delay (" + delay + "), got " + maxDelay;
        }
        return null;
    }

    /**
     * A template for complete settings, or null when there is a single attempt.
     *
     * @param retryable which failures are worth another attempt
     * @param keepRetrying false once the listener stops: the remaining attempts are skipped
     */
    public RetryTemplate template(Predicate<Throwable> retryable, BooleanSupplier keepRetrying) {
        if (maxAttempts <= 1) {
            return null;
        }
        var policy = RetryPolicy.builder().maxRetries(maxAttempts - 1).delay(delay).multiplier(multiplier)
                .maxDelay(maxDelay).predicate(t -> keepRetrying.getAsBoolean() && retryable.test(t)).build();
        return new RetryTemplate(policy);
    }
}
