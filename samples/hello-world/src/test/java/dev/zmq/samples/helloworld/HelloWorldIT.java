package dev.zmq.samples.helloworld;

import dev.zmq.samples.testkit.SampleProcess;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real jar's roles as separate processes, on ephemeral ports, with each other and with the
 * Guide's programs running on libzmq (pyzmq). The servers answer without the Guide's second of
 * "work", so a run of ten requests is quick.
 */
@Timeout(120)
class HelloWorldIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final List<String> TEN_REPLIES = IntStream.range(0, 10).mapToObj(i -> "Received World " + i).toList();

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
        return start(SampleProcess.jar("server", "--spring.profiles.active=server",
                "--zmq.sockets.responder.bind=tcp://127.0.0.1:*", "--hello-world.work=0s"));
    }

    private SampleProcess ourClient(String endpoint) {
        return start(SampleProcess.jar("client", "--spring.profiles.active=client",
                "--zmq.sockets.requester.connect=" + endpoint, "--zmq.template.reply-timeout=60s"));
    }

    private static String boundEndpoint(SampleProcess server, String prefix) {
        return server.awaitLine(prefix + " bound to (tcp://\\S+)", START).group(1);
    }

    private static void assertTenRequestsAnswered(SampleProcess client, SampleProcess server) {
        assertThat(client.awaitExit(RUN)).as(client.output()).isZero();
        assertThat(client.output().lines().filter(line -> line.startsWith("Received"))).containsExactlyElementsOf(TEN_REPLIES);
        assertThat(client.output()).startsWith("Connecting to hello world server...");
        // the client had every reply, but the server's own lines reach us through a reader thread
        server.awaitLineCount("Received request: Hello", 10, START);
        assertThat(server.output().lines().filter(line -> line.equals("Received request: Hello"))).as(server.output()).hasSize(10);
    }

    @Test
    void ourClientGetsTenWorldsFromOurServer() {
        var server = ourServer();
        var client = ourClient(boundEndpoint(server, "hello world server"));

        assertTenRequestsAnswered(client, server);
    }

    @Test
    void theGuidesClientGetsTenWorldsFromOurServerRunningOnSpringAotCode() {
        // the jar holds the code `spring-boot:process-aot` generated for the server role (see pom.xml)
        var server = start(SampleProcess.aotJar("aot-server", "--spring.profiles.active=server",
                "--zmq.sockets.responder.bind=tcp://127.0.0.1:*", "--hello-world.work=0s"));
        var client = start(SampleProcess.guide("guide-client", "hwclient.py", boundEndpoint(server, "hello world server")));

        assertTenRequestsAnswered(client, server);
    }

    @Test
    void theGuidesClientGetsTenWorldsFromOurServer() {
        var server = ourServer();
        var client = start(SampleProcess.guide("guide-client", "hwclient.py", boundEndpoint(server, "hello world server")));

        assertTenRequestsAnswered(client, server);
    }

    @Test
    void ourClientGetsTenWorldsFromTheGuidesServer() {
        // a plain libzmq REP: our client's requests must look like any REQ's
        var server = start(SampleProcess.guide("guide-server", "hwserver.py", "tcp://127.0.0.1:*", "0"));
        var client = ourClient(boundEndpoint(server, "hwserver"));

        assertTenRequestsAnswered(client, server);
    }

    @Test
    void theServerStopsCleanlyOnSigterm() {
        var server = ourServer();
        var client = ourClient(boundEndpoint(server, "hello world server"));
        assertThat(client.awaitExit(RUN)).as(client.output()).isZero();

        long start = System.nanoTime();
        // exit status 143 = 128 + SIGTERM: the JVM ran Spring's shutdown to its end
        assertThat(server.terminate(Duration.ofSeconds(30))).as(server.output()).isEqualTo(143);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(server.output()).doesNotContain("ERROR", "Exception");
    }

    @Test
    void aClientWithoutAServerGivesUpAfterItsReplyTimeout() {
        var server = start(SampleProcess.guide("guide-server", "hwserver.py", "tcp://127.0.0.1:*", "0"));
        var endpoint = boundEndpoint(server, "hwserver");
        server.close(); // nobody listens there any more
        var client = start(SampleProcess.jar("client", "--spring.profiles.active=client",
                "--zmq.sockets.requester.connect=" + endpoint, "--zmq.template.reply-timeout=1s"));

        assertThat(client.awaitExit(RUN)).as(client.output()).isEqualTo(1);
        assertThat(client.output()).contains("client: No reply on socket 'requester' within 1000 ms")
                .doesNotContain("Received World", "Exception");
    }

    @Test
    void withoutARoleItSaysHowToChooseOne() {
        var process = start(SampleProcess.jar("no-role"));

        assertThat(process.awaitExit(START)).as(process.output()).isEqualTo(2);
        assertThat(process.output()).isEqualTo("Choose one role with --spring.profiles.active=server or client");
    }
}
