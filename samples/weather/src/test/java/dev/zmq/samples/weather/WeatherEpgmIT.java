package dev.zmq.samples.weather;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.testkit.Namespace;
import dev.zmq.samples.testkit.SampleProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The epgm profile: the server publishes on a PGM multicast group (application-epgm.yml, through the
 * starter's zmq.sockets like any endpoint) and clients, ours and the Guide's on libzmq, take the
 * updates from the group. Every process runs in a network namespace the test creates, whose
 * loopback carries the multicast. The clients subscribe to the prefix "1" (a tenth of the updates):
 * PGM carries no subscriptions, so they filter what the server sends to all.
 */
@Timeout(180)
class WeatherEpgmIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofSeconds(90);
    private static final String AVERAGE = "Average temperature for zipcode '1' was (-?\\d+)F";
    private static final String GROUP = "epgm://127.0.0.1;239.192.7.7:5556";

    private final List<SampleProcess> processes = new ArrayList<>();
    private Namespace ns;

    @BeforeEach
    void createNamespace() {
        ns = Namespace.multicast("zmqsample");
    }

    @AfterEach
    void stopAll() {
        processes.forEach(SampleProcess::close);
        if (ns != null) {
            ns.close();
        }
    }

    private SampleProcess start(SampleProcess process) {
        processes.add(process);
        return process;
    }

    /** Our server on the group, at {@code rateKbps}; returns once it publishes. */
    private SampleProcess ourServer(int rateKbps) {
        var server = start(SampleProcess.jarIn(ns.name(), "server", "--spring.profiles.active=server,epgm",
                "--weather.multicast-rate=" + rateKbps));
        server.awaitLine("weather server bound to (epgm://\\S+), publishing updates", START);
        return server;
    }

    private static void assertAverageReported(SampleProcess client) {
        assertThat(client.awaitExit(RUN)).as(client.output()).isZero();
        var average = Integer.parseInt(client.awaitLine(AVERAGE, START).group(1));
        assertThat(average).isBetween(-80, 134);
        assertThat(client.output()).doesNotContain("not a weather update");
    }

    @Test
    void ourClientAveragesOurServersUpdatesFromTheMulticastGroup() {
        var server = ourServer(10_000);
        var client = start(SampleProcess.jarIn(ns.name(), "client", "--spring.profiles.active=client,epgm", "--weather.zipcode=1",
                "--weather.updates=100"));

        assertAverageReported(client);
        assertThat(client.output()).startsWith("Collecting updates from weather server " + GROUP);
        assertThat(server.terminate(Duration.ofSeconds(30))).as(server.output()).isEqualTo(143);
        assertThat(server.output()).doesNotContain("ERROR", "Exception", "did not end");
    }

    @Test
    void theGuidesClientOnLibzmqAveragesOurServersUpdatesFromTheMulticastGroup() {
        // libzmq's SUB sizes its receive window by its own RATE (default 100 kbit/s): a server far
        // faster would overrun it, so this one publishes at 1 Mbit/s (still thousands of updates a second).
        ourServer(1_000);
        var client = start(SampleProcess.guideIn(ns.name(), "guide-client", "wuclient.py", "1", GROUP, "100"));

        assertAverageReported(client);
    }
}
