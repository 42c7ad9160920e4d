package dev.zmq.samples.divide;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Guide's "divide and conquer" (taskvent, taskwork, tasksink) in one jar; the Spring profile
 * picks the role: {@code ventilator}, {@code worker} or {@code sink}. The ventilator and the sink
 * exit when their batch is done; a worker runs until stopped.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DivideAndConquerApplication {

    public static void main(String[] args) {
        var application = new SpringApplication(DivideAndConquerApplication.class);
        application.addListeners(Role.CHECK);
        var context = application.run(args);
        if (Role.of(context.getEnvironment()).finishes()) {
            System.exit(SpringApplication.exit(context));
        }
    }
}
