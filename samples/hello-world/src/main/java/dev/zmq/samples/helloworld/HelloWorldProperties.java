package dev.zmq.samples.helloworld;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The hello world exchange.
 *
 * @param requests client: how many requests to make, one after the other
 * @param work server: how long it "works" on each request before answering (the Guide sleeps 1 s)
 */
@ConfigurationProperties("hello-world")
public record HelloWorldProperties(@DefaultValue("10") int requests, @DefaultValue("1s") Duration work) {

    public HelloWorldProperties {
        if (requests < 1) {
            throw new IllegalArgumentException("hello-world.requests must be at least 1, got " + requests);
        }
        if (work.isNegative()) {
            throw new IllegalArgumentException("hello-world.work must not be negative, got " + work);
        }
    }
}
