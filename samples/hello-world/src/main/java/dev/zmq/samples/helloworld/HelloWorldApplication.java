package dev.zmq.samples.helloworld;

import dev.zmq.samples.support.SampleLauncher;
import java.util.List;
import java.util.Set;
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

    /** The roles, in the order the usage line names them; clients and sinks exit when done. */
    static final SampleLauncher LAUNCHER = new SampleLauncher(List.of("server", "client"), Set.of("client"));

    public static void main(String[] args) {
        LAUNCHER.run(HelloWorldApplication.class, args);
    }
}
