package dev.zmq.samples.weather;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The client's subscription. (The socket's {@code subscribe} list in application-client.yml reads
 * {@code weather.zipcode}, so the subscription and the report always agree.)
 *
 * @param zipcode the subscription: a prefix of the updates' text; {@code "10001 "} (with the
 *                space that ends the zipcode) as in the Guide; a shorter prefix such as {@code "1"}
 *                averages over every zipcode starting with it
 * @param updates how many updates to average before exiting
 */
@ConfigurationProperties("weather")
public record WeatherProperties(@DefaultValue("10001 ") String zipcode, @DefaultValue("100") int updates) {

    public WeatherProperties {
        if (zipcode == null || zipcode.isEmpty() || !zipcode.stripTrailing().chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("weather.zipcode must be digits (a zipcode or its prefix), got '" + zipcode + "'");
        }
        if (updates < 1) {
            throw new IllegalArgumentException("weather.updates must be at least 1, got " + updates);
        }
    }
}
