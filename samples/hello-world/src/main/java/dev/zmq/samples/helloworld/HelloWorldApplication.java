package dev.zmq.samples.helloworld;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Guide's hello world (hwserver, hwclient) in one jar; the Spring profile picks the role:
 * {@code server} (REP, answers "Hello" with "World", runs until stopped) or {@code client} (REQ,
 * ten requests, then exits).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HelloWorldApplication {

    public static void main(String[] args) {
        var application = new SpringApplication(HelloWorldApplication.class);
        application.addListeners(Role.CHECK);
        var context = application.run(args);
        if (Role.of(context.getEnvironment()).finishes()) {
            System.exit(SpringApplication.exit(context));
        }
    }
}
