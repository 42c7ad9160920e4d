package dev.zmq.samples.broker;

import dev.zmq.samples.testkit.SampleProcess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real jar's roles as separate processes, on ephemeral ports, with the Guide's programs
 * running on libzmq (pyzmq) on either side of our broker, and ours on either side of the Guide's
 * broker. One broker serves the tests in order; the last of them stops it with SIGTERM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class BrokerIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final List<String> TEN_REPLIES = IntStream.rangeClosed(1, 10)
            .mapToObj(i -> "Received reply " + i + " [World]").toList();

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<SampleProcess> processes = new ArrayList<>();
    private SampleProcess broker;
    private String frontend;
    private String backend;
    private String actuator;

    @BeforeAll
    void startBroker() {
        broker = SampleProcess.jar("broker", "--spring.profiles.active=server", "--server.port=0",
                "--zmq.sockets.frontend.bind=tcp://127.0.0.1:*", "--zmq.sockets.backend.bind=tcp://127.0.0.1:*");
        var bound = broker.awaitLine("broker frontend bound to (tcp://\\S+), backend bound to (tcp://\\S+)", START);
        frontend = bound.group(1);
        backend = bound.group(2);
        actuator = broker.awaitLine("actuator on (http://localhost:\\d+/actuator)", START).group(1);
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void stopAll() {
        processes.forEach(SampleProcess::close);
        processes.clear();
    }

    private SampleProcess start(SampleProcess process) {
        processes.add(process);
        return process;
    }

    private SampleProcess ourWorker(String backendEndpoint) {
        return start(SampleProcess.jar("worker", "--spring.profiles.active=worker", "--zmq.sockets.backend.connect=" + backendEndpoint));
    }

    private SampleProcess ourClient(String frontendEndpoint) {
        // a generous reply timeout: the worker may still be starting when the first request leaves
        return start(SampleProcess.jar("client", "--spring.profiles.active=client",
                "--zmq.sockets.frontend.connect=" + frontendEndpoint, "--zmq.template.reply-timeout=60s"));
    }

    private static void assertTenRequestsAnswered(SampleProcess client, SampleProcess worker) {
        assertThat(client.awaitExit(RUN)).as(client.output()).isZero();
        assertThat(client.output().lines().filter(line -> line.startsWith("Received reply"))).containsExactlyElementsOf(TEN_REPLIES);
        worker.awaitLineCount("Received request: [Hello]", 10, START);
        assertThat(worker.output().lines().filter(line -> line.equals("Received request: [Hello]"))).as(worker.output()).hasSize(10);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(actuator + path)).timeout(Duration.ofSeconds(10)).GET().build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** Polls the broker's zmq endpoint until no worker is on the backend (the last one stopped); fails after 20 s. */
    private void awaitNoWorkers() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode peers;
        while (!(peers = get("/zmq").path("sockets").path("backend").path("peers")).isEmpty()) {
            assertThat(System.nanoTime() - deadline).as("the broker still sees workers %s", peers).isNegative();
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the polling interval
        }
    }

    @Test
    @Order(1)
    void ourClientGetsTenRepliesFromOurWorkerThroughOurBroker() throws Exception {
        var worker = ourWorker(backend);
        var client = ourClient(frontend);

        assertTenRequestsAnswered(client, worker);
        // the socket monitor's view, live: one worker on the backend
        assertThat(get("/metrics/zmq.peers.connected?tag=socket:backend").path("measurements").get(0).path("value").asDouble())
                .isEqualTo(1.0);

        assertThat(worker.terminate(Duration.ofSeconds(20))).as(worker.output()).isEqualTo(143);
        assertThat(worker.output()).doesNotContain("ERROR", "Exception");
        awaitNoWorkers();
    }

    @Test
    @Order(2)
    void theGuidesClientAndWorkerTalkThroughOurBroker() throws Exception {
        var worker = start(SampleProcess.guide("guide-worker", "rrworker.py", backend));
        var client = start(SampleProcess.guide("guide-client", "rrclient.py", frontend));

        assertTenRequestsAnswered(client, worker);

        worker.close();
        awaitNoWorkers();
    }

    @Test
    @Order(3)
    void actuatorShowsHealthMetricsAndTheSockets() throws Exception {
        var health = get("/health");
        assertThat(health.path("status").asString()).isEqualTo("UP");
        var zmqHealth = health.path("components").path("zmq");
        assertThat(zmqHealth.path("status").asString()).isEqualTo("UP");
        var sockets = zmqHealth.path("details").path("sockets");
        assertThat(sockets.path("frontend").path("type").asString()).isEqualTo("ROUTER");
        assertThat(sockets.path("frontend").path("bound").get(0).asString()).isEqualTo(frontend);
        assertThat(sockets.path("backend").path("type").asString()).isEqualTo("DEALER");
        assertThat(sockets.path("backend").path("bound").get(0).asString()).isEqualTo(backend);

        for (var meter : List.of("zmq.messages.received", "zmq.messages.sent", "zmq.bytes.received", "zmq.peers.connected")) {
            for (var socket : List.of("frontend", "backend")) {
                var metric = get("/metrics/" + meter + "?tag=socket:" + socket);
                assertThat(metric.path("name").asString()).isEqualTo(meter);
                assertThat(metric.path("measurements").get(0).path("value").isNumber()).as(metric.toString()).isTrue();
            }
        }
        // The proxy moves messages on the socket beans directly: the core's statistics count them all
        // (at least the 10 requests of our client, plus the Guide client's).
        assertThat(get("/metrics/zmq.messages.received?tag=socket:frontend").path("measurements").get(0).path("value").asDouble())
                .isGreaterThanOrEqualTo(10);
        assertThat(get("/metrics/zmq.messages.sent?tag=socket:backend").path("measurements").get(0).path("value").asDouble())
                .isGreaterThanOrEqualTo(10);

        var endpoint = get("/zmq");
        assertThat(endpoint.path("context").path("closed").asBoolean(true)).isFalse();
        assertThat(endpoint.path("sockets").path("frontend").path("type").asString()).isEqualTo("ROUTER");
        assertThat(endpoint.path("sockets").path("backend").path("type").asString()).isEqualTo("DEALER");
        assertThat(endpoint.path("sockets").path("backend").path("bound").get(0).asString()).isEqualTo(backend);
    }

    @Test
    @Order(4)
    void theBrokerStopsCleanlyOnSigterm() {
        long start = System.nanoTime();
        // exit status 143 = 128 + SIGTERM: the JVM ran Spring's shutdown to its end
        assertThat(broker.terminate(Duration.ofSeconds(30))).as(broker.output()).isEqualTo(143);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(broker.output()).contains("broker stopped").doesNotContain("ERROR", "Exception", "did not end");
    }

    @Test
    @Order(5)
    void ourClientAndWorkerTalkThroughTheGuidesBroker() {
        var guideBroker = start(SampleProcess.guide("guide-broker", "rrbroker.py", "tcp://127.0.0.1:*", "tcp://127.0.0.1:*"));
        var bound = guideBroker.awaitLine("rrbroker frontend bound to (tcp://\\S+), backend bound to (tcp://\\S+)", START);
        var worker = ourWorker(bound.group(2));
        var client = ourClient(bound.group(1));

        assertTenRequestsAnswered(client, worker);
    }

    @Test
    @Order(6)
    void aClientWithoutAnAnswerGivesUpAfterItsReplyTimeout() {
        var guideBroker = start(SampleProcess.guide("guide-broker", "rrbroker.py", "tcp://127.0.0.1:*", "tcp://127.0.0.1:*"));
        var bound = guideBroker.awaitLine("rrbroker frontend bound to (tcp://\\S+), backend", START);
        // a broker without workers: the request waits there, unanswered
        var client = start(SampleProcess.jar("client", "--spring.profiles.active=client",
                "--zmq.sockets.frontend.connect=" + bound.group(1), "--zmq.template.reply-timeout=1s"));

        assertThat(client.awaitExit(RUN)).as(client.output()).isEqualTo(1);
        assertThat(client.output()).contains("client: No reply on socket 'frontend' within 1000 ms")
                .doesNotContain("Received reply", "Exception");
    }

    @Test
    @Order(7)
    void theGuidesClientAndWorkerTalkThroughOurBrokerRunningOnSpringAotCode() {
        // the jar holds the code `spring-boot:process-aot` generated for the server role (see pom.xml)
        var aotBroker = start(SampleProcess.aotJar("aot-broker", "--spring.profiles.active=server", "--server.port=0",
                "--zmq.sockets.frontend.bind=tcp://127.0.0.1:*", "--zmq.sockets.backend.bind=tcp://127.0.0.1:*"));
        var bound = aotBroker.awaitLine("broker frontend bound to (tcp://\\S+), backend bound to (tcp://\\S+)", START);
        var worker = start(SampleProcess.guide("guide-worker", "rrworker.py", bound.group(2)));
        var client = start(SampleProcess.guide("guide-client", "rrclient.py", bound.group(1)));

        assertTenRequestsAnswered(client, worker);
    }
}
