package dev.zmq.samples.broker;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The client's requests.
 *
 * @param requests how many requests to make, one after the other
 * @param request the body of each request
 */
@ConfigurationProperties("client")
public record ClientProperties(@DefaultValue("10") int requests, @DefaultValue("Hello") String request) {

    public ClientProperties {
        if (requests < 1) {
            throw new IllegalArgumentException("client.requests must be at least 1, got " + requests);
        }
    }
}
