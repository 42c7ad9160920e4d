package dev.zmq.samples.weather;

import dev.zmq.samples.support.SampleLauncher;
import java.util.List;
import java.util.Set;
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

    /** The roles, in the order the usage line names them; clients and sinks exit when done. */
    static final SampleLauncher LAUNCHER = new SampleLauncher(List.of("server", "client"), Set.of("client"));

    public static void main(String[] args) {
        LAUNCHER.run(WeatherApplication.class, args);
    }
}
