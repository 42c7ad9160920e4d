package dev.zmq.samples.divide;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sink's batch.
 *
 * @param results number of results that make a batch (the ventilator's {@code ventilator.tasks})
 * @param progress print a character per result, as the Guide's sink does
 */
@ConfigurationProperties("sink")
public record SinkProperties(@DefaultValue("100") int results, @DefaultValue("true") boolean progress) {

    public SinkProperties {
        if (results < 1) {
            throw new IllegalArgumentException("sink.results must be at least 1, got " + results);
        }
    }
}
