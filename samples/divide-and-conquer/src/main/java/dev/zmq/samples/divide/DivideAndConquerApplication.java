package dev.zmq.samples.divide;

import dev.zmq.samples.support.SampleLauncher;
import java.util.List;
import java.util.Set;
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

    /** The roles, in the order the usage line names them; clients and sinks exit when done. */
    static final SampleLauncher LAUNCHER = new SampleLauncher(List.of("ventilator", "worker", "sink"), Set.of("ventilator", "sink"));

    public static void main(String[] args) {
        LAUNCHER.run(DivideAndConquerApplication.class, args);
    }
}
