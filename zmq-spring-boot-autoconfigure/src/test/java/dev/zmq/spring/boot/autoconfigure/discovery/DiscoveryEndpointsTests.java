package dev.zmq.spring.boot.autoconfigure.discovery;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.configurationCause;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.health.ZmqHealthContributorAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.health.ZmqHealthIndicator;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClient;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;

/**
 * {@code discovery://} and {@code dns+tcp://} connect endpoints: a PUSH follows a service whose
 * instances Spring Cloud's SimpleDiscoveryClient (a real, properties-backed DiscoveryClient) lists,
 * as they change at runtime and a HeartbeatEvent announces it; health shows each address.
 */
@Timeout(60)
class DiscoveryEndpointsTests {
    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            ZmqContextAutoConfiguration.class, ZmqDiscoveryAutoConfiguration.class, ZmqSocketAutoConfiguration.class,
            ZmqHealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class));

    private final SimpleDiscoveryProperties discovery = new SimpleDiscoveryProperties();
    private ZmqContext peers;
    private final List<ZmqSocket> pulls = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    @BeforeEach
    void services() {
        peers = new ZmqContext();
        for (int i = 0; i < 3; i++) {
            var pull = peers.socket(SocketType.PULL);
            var endpoint = pull.bind("tcp://127.0.0.1:*");
            pulls.add(pull);
            ports.add(Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)));
        }
    }

    @AfterEach
    void stop() {
        peers.close();
    }

    /** An instance at 127.0.0.1 whose HTTP port is 8080 and whose ZeroMQ port is in its metadata. */
    private InstanceProperties instance(int i) {
        var instance = new InstanceProperties();
        instance.setInstanceId("orders-" + i);
        instance.setServiceId("orders-service");
        instance.setHost("127.0.0.1");
        instance.setPort(8080);
        instance.setMetadata(Map.of("zmq-port", Integer.toString(ports.get(i))));
        return instance;
    }

    private void list(int... instances) {
        var list = new ArrayList<InstanceProperties>();
        for (int i : instances) {
            list.add(instance(i));
        }
        discovery.getInstances().put("orders-service", list);
    }

    private ApplicationContextRunner withDiscovery() {
        return runner.withBean(SimpleDiscoveryProperties.class, () -> discovery)
                .withBean(DiscoveryClient.class, () -> new SimpleDiscoveryClient(discovery));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> addresses(ZmqHealthIndicator health, String socket) {
        var sockets = (Map<String, Object>) health.health().getDetails().get("sockets");
        var addresses = (List<Map<String, Object>>) ((Map<String, Object>) sockets.get(socket)).get("addresses");
        assertThat(addresses).as("health of a socket that follows a name always has 'addresses'").isNotNull();
        return addresses;
    }

    private Set<String> connected(ZmqHealthIndicator health) {
        return addresses(health, "orders").stream().filter(a -> Boolean.TRUE.equals(a.get("connected")) && !a.containsKey("draining"))
                .map(a -> (String) a.get("address")).collect(Collectors.toSet());
    }

    private Set<String> expected(int... instances) {
        var out = new java.util.HashSet<String>();
        for (int i : instances) {
            out.add("tcp://127.0.0.1:" + ports.get(i));
        }
        return out;
    }

    private static int[] counts(List<ZmqSocket> pulls, int total) {
        var counts = new int[pulls.size()];
        awaitCondition(() -> {
            for (int i = 0; i < pulls.size(); i++) {
                while (pulls.get(i).tryRecv() != null) {
                    counts[i]++;
                }
            }
            return java.util.Arrays.stream(counts).sum() >= total;
        }, Duration.ofSeconds(10));
        return counts;
    }

    @Test
    void pushFollowsTheInstancesOfADiscoveredServiceOnHeartbeats() {
        list(0);
        withDiscovery().withPropertyValues("zmq.sockets.orders.type=PUSH", "zmq.sockets.orders.connect[0]=discovery://orders-service",
                "zmq.discovery.default-port=1", // metadata wins: nothing listens on port 1
                "zmq.sockets.orders.options.resolve-ivl=0").run(ctx -> { // 0: only heartbeats (and failures) refresh
            assertThat(ctx).hasNotFailed();
            var health = ctx.getBean(ZmqHealthIndicator.class);
            var orders = ctx.getBean("orders", ZmqSocket.class);
            awaitCondition(() -> connected(health).equals(expected(0)), Duration.ofSeconds(10));
            assertThat(addresses(health, "orders")).singleElement().satisfies(a ->
                    assertThat(a).containsEntry("endpoint", "discovery://orders-service").containsEntry("connected", true));
            // the socket's own options are as configured: the discovery connect used CONNECT_ALL_ADDRESSES only for itself
            assertThat(orders.get(SocketOption.CONNECT_ALL_ADDRESSES)).isFalse();

            // scale out at runtime: two more instances, announced by a heartbeat
            list(0, 1, 2);
            ctx.publishEvent(new HeartbeatEvent(this, 1));
            awaitCondition(() -> connected(health).equals(expected(0, 1, 2)), Duration.ofSeconds(10));
            for (int n = 0; n < 30; n++) {
                orders.send(Message.of("order " + n));
            }
            assertThat(counts(pulls, 30)).containsExactly(10, 10, 10);

            // scale in: instance 0 leaves
            list(1, 2);
            ctx.publishEvent(new HeartbeatEvent(this, 2));
            awaitCondition(() -> addresses(health, "orders").size() == 2 && connected(health).equals(expected(1, 2)), Duration.ofSeconds(10));
            for (int n = 0; n < 30; n++) {
                orders.send(Message.of("order " + n));
            }
            var after = counts(pulls, 30);
            assertThat(after).containsExactly(0, 15, 15);
        });
    }

    @Test
    void thePeriodicLookupSeesChangesWithoutHeartbeats() {
        list(0);
        withDiscovery().withPropertyValues("zmq.sockets.orders.type=PUSH", "zmq.sockets.orders.connect[0]=discovery://orders-service:1",
                "zmq.sockets.orders.options.resolve-ivl=100ms").run(ctx -> {
            var health = ctx.getBean(ZmqHealthIndicator.class);
            awaitCondition(() -> connected(health).equals(expected(0)), Duration.ofSeconds(10));
            list(0, 1);
            awaitCondition(() -> connected(health).equals(expected(0, 1)), Duration.ofSeconds(10));
        });
    }

    @Test
    void dnsTcpConnectsToEveryAddressOfTheName() {
        runner.withPropertyValues("zmq.sockets.orders.type=PUSH", "zmq.sockets.orders.connect[0]=dns+tcp://localhost:" + ports.get(0))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    var health = ctx.getBean(ZmqHealthIndicator.class);
                    awaitCondition(() -> connected(health).equals(expected(0)), Duration.ofSeconds(10));
                    assertThat(addresses(health, "orders")).singleElement().satisfies(a ->
                            assertThat(a).containsEntry("endpoint", "dns+tcp://localhost:" + ports.get(0)));
                    ctx.getBean("orders", ZmqSocket.class).send("hello");
                    assertThat(counts(pulls, 1)).containsExactly(1, 0, 0);
                });
    }

    @Test
    void theOptionInYamlMakesATcpEndpointFollowItsName() {
        runner.withPropertyValues("zmq.sockets.orders.type=PUSH", "zmq.sockets.orders.connect[0]=tcp://localhost:" + ports.get(1),
                "zmq.sockets.orders.options.connect-all-addresses=true").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    var health = ctx.getBean(ZmqHealthIndicator.class);
                    awaitCondition(() -> connected(health).equals(expected(1)), Duration.ofSeconds(10));
                    assertThat(addresses(health, "orders")).singleElement().satisfies(a ->
                            assertThat(a).containsEntry("endpoint", "tcp://localhost:" + ports.get(1)));
                    assertThat(ctx.getBean("orders", ZmqSocket.class).get(SocketOption.CONNECT_ALL_ADDRESSES)).isTrue();
                });
    }

    @Test
    void aDiscoveryEndpointWithoutAPortIsAConfigurationError() {
        withDiscovery().withPropertyValues("zmq.sockets.orders.type=PUSH", "zmq.sockets.orders.connect[0]=discovery://orders-service")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    var e = configurationCause(ctx.getStartupFailure());
                    assertThat(e.getMessage()).contains("zmq.sockets.orders.connect[0]").contains("no port");
                    assertThat(e.getMessage() + e.action()).contains("zmq.discovery.default-port");
                });
    }

    @Test
    void aDiscoveryEndpointWithoutSpringCloudSaysWhatToAdd() {
        runner.withClassLoader(new FilteredClassLoader(DiscoveryClient.class))
                .withPropertyValues("zmq.sockets.orders.type=PUSH", "zmq.sockets.orders.connect[0]=discovery://orders-service:5557")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    var e = configurationCause(ctx.getStartupFailure());
                    assertThat(e.getMessage() + e.action()).contains("spring-cloud-commons");
                });
    }
}
