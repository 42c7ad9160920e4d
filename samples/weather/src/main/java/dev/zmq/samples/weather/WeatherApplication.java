package dev.zmq.samples.weather;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Guide's weather updates (wuserver, wuclient) in one jar; the Spring profile picks the role:
 * {@code server} (PUB, publishes random updates until stopped) or {@code client} (SUB, averages
 * one zipcode's temperature over a number of updates, then exits).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WeatherApplication {

    public static void main(String[] args) {
        var application = new SpringApplication(WeatherApplication.class);
        application.addListeners(Role.CHECK);
        var context = application.run(args);
        if (Role.of(context.getEnvironment()).finishes()) {
            System.exit(SpringApplication.exit(context));
        }
    }
}
