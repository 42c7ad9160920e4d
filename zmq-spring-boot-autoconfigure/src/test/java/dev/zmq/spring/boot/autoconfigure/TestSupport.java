package dev.zmq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.boot.autoconfigure.config.ZmqConfigurationFailureAnalyzer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Helpers shared by the tests. */
public final class TestSupport {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestSupport() {
    }

    /** Waits until {@code condition} holds, failing after {@code timeout}. */
    public static void awaitCondition(BooleanSupplier condition, Duration timeout) {
        Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(condition::getAsBoolean);
    }

    /** A fresh inproc endpoint name, unique in this JVM. */
    public static String inproc(String hint) {
        return "inproc://" + hint + "-" + COUNTER.incrementAndGet();
    }

    /** The failure analysis Boot would print for {@code failure}. */
    public static FailureAnalysis analyze(Throwable failure) {
        var analysis = new ZmqConfigurationFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("failure analysis of %s", failure).isNotNull();
        return analysis;
    }

    /** The {@link ZmqConfigurationException} somewhere in {@code failure}'s causes. */
    public static ZmqConfigurationException configurationCause(Throwable failure) {
        for (var t = failure; t != null; t = t.getCause()) {
            if (t instanceof ZmqConfigurationException e) {
                return e;
            }
        }
        throw new AssertionError("no ZmqConfigurationException in " + failure, failure);
    }
}
