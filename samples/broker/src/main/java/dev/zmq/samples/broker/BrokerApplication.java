package dev.zmq.samples.broker;

import dev.zmq.samples.support.SampleLauncher;
import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Guide's request-reply broker (rrbroker, rrworker, rrclient) in one jar; the Spring profile
 * picks the role: {@code server} (the broker, with actuator over HTTP), {@code worker} or
 * {@code client}. The client exits after its requests; the others run until stopped.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BrokerApplication {

    /** The roles, in the order the usage line names them; clients and sinks exit when done. */
    static final SampleLauncher LAUNCHER = new SampleLauncher(List.of("server", "worker", "client"), Set.of("client"));

    public static void main(String[] args) {
        LAUNCHER.run(BrokerApplication.class, args);
    }
}
