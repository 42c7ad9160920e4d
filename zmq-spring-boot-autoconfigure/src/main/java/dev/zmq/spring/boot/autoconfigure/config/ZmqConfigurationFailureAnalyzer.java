package dev.zmq.spring.boot.autoconfigure.config;

import dev.zmq.spring.config.ZmqConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link ZmqConfigurationException} as "what property, which value, why" and "how to fix it". */
public class ZmqConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ZmqConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ZmqConfigurationException cause) {
        var description = """
                Invalid ZeroMQ configuration:

                    Property: %s
                    Value:    %s
                    Reason:   %s
                """.formatted(cause.property(), quote(cause.value()), cause.problem());
        return new FailureAnalysis(description, cause.action(), cause);
    }

    private static String quote(Object value) {
        return value instanceof CharSequence s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
