package dev.zmq.samples.broker;

import org.springframework.boot.SpringApplication;
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

    public static void main(String[] args) {
        var application = new SpringApplication(BrokerApplication.class);
        application.addListeners(Role.CHECK);
        var context = application.run(args);
        if (Role.of(context.getEnvironment()).finishes()) {
            System.exit(SpringApplication.exit(context));
        }
    }
}
