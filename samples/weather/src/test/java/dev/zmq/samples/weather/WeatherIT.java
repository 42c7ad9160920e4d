package dev.zmq.samples.weather;

import dev.zmq.samples.testkit.SampleProcess;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real jar's roles as separate processes, on ephemeral ports, with each other and with the
 * Guide's programs running on libzmq (pyzmq). The clients subscribe to the prefix "1" (a tenth of
 * all zipcodes) rather than one zipcode, so their 100 updates arrive quickly.
 */
@Timeout(120)
class WeatherIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofSeconds(60);
    /** The average of temperatures drawn from -80..134: always within that range. */
    private static final String AVERAGE = "Average temperature for zipcode '1' was (-?\\d+)F";

    private final List<SampleProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        processes.forEach(SampleProcess::close);
    }

    private SampleProcess start(SampleProcess process) {
        processes.add(process);
        return process;
    }

    private SampleProcess ourServer() {
        return start(SampleProcess.jar("server", "--spring.profiles.active=server", "--zmq.sockets.updates.bind=tcp://127.0.0.1:*"));
    }

    private SampleProcess ourClient(String endpoint) {
        return start(SampleProcess.jar("client", "--spring.profiles.active=client",
                "--zmq.sockets.updates.connect=" + endpoint, "--weather.zipcode=1", "--weather.updates=100"));
    }

    private static String boundEndpoint(SampleProcess server, String prefix) {
        return server.awaitLine(prefix + " bound to (tcp://[^,\\s]+)", START).group(1);
    }

    private static void assertAverageReported(SampleProcess client) {
        assertThat(client.awaitExit(RUN)).as(client.output()).isZero();
        var average = Integer.parseInt(client.awaitLine(AVERAGE, START).group(1));
        assertThat(average).isBetween(-80, 134);
        assertThat(client.output()).startsWith("Collecting updates from weather server").doesNotContain("not a weather update");
    }

    @Test
    void ourClientAveragesOurServersUpdates() {
        var server = ourServer();
        var client = ourClient(boundEndpoint(server, "weather server"));

        assertAverageReported(client);
    }

    @Test
    void theGuidesClientAveragesOurServersUpdates() {
        var server = ourServer();
        var client = start(SampleProcess.guide("guide-client", "wuclient.py", "1", boundEndpoint(server, "weather server"), "100"));

        assertAverageReported(client);
    }

    @Test
    void theGuidesClientAveragesTheUpdatesOfOurServerRunningOnSpringAotCode() {
        // the jar holds the code `spring-boot:process-aot` generated for the server role (see pom.xml)
        var server = start(SampleProcess.aotJar("aot-server", "--spring.profiles.active=server",
                "--zmq.sockets.updates.bind=tcp://127.0.0.1:*"));
        var client = start(SampleProcess.guide("guide-client", "wuclient.py", "1", boundEndpoint(server, "weather server"), "100"));

        assertAverageReported(client);
    }

    @Test
    void ourClientAveragesTheGuidesServersUpdates() {
        var server = start(SampleProcess.guide("guide-server", "wuserver.py", "tcp://127.0.0.1:*"));
        var client = ourClient(boundEndpoint(server, "wuserver"));

        assertAverageReported(client);
    }

    @Test
    void theServerStopsItsLoopCleanlyOnSigterm() {
        var server = ourServer();
        var client = ourClient(boundEndpoint(server, "weather server"));
        assertAverageReported(client); // the loop is running: it has published at least these updates

        long start = System.nanoTime();
        // exit status 143 = 128 + SIGTERM: the JVM ran Spring's shutdown, and the publishing loop ended in it
        assertThat(server.terminate(Duration.ofSeconds(30))).as(server.output()).isEqualTo(143);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        var published = Long.parseLong(server.awaitLine("weather server stopped after (\\d+) updates", START).group(1));
        assertThat(published).isGreaterThanOrEqualTo(100);
        assertThat(server.output()).doesNotContain("ERROR", "Exception", "did not end");
    }

    @Test
    void withoutARoleItSaysHowToChooseOne() {
        var process = start(SampleProcess.jar("no-role"));

        assertThat(process.awaitExit(START)).as(process.output()).isEqualTo(2);
        assertThat(process.output()).isEqualTo("Choose one role with --spring.profiles.active=server or client");
    }
}
