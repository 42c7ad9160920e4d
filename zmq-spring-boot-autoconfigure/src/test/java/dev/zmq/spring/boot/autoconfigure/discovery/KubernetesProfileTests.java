package dev.zmq.spring.boot.autoconfigure.discovery;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Configuration;
import org.yaml.snakeyaml.Yaml;

/**
 * The README's Kubernetes example: the producers' YAML (application-kubernetes.yml) runs, with the
 * Service's name replaced by localhost, and follows every address of the name; the manifest
 * (docs/kubernetes/orders.yaml) is a headless Service whose port is the one the producers connect to.
 */
@Timeout(60)
class KubernetesProfileTests {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Producer {
    }

    @Test
    void theProducersYamlConnectsToEveryAddressOfTheName() {
        try (var peers = new ZmqContext(); var pull = peers.socket(SocketType.PULL)) {
            var bound = pull.bind("tcp://127.0.0.1:*");
            var port = bound.substring(bound.lastIndexOf(':') + 1);
            try (var app = new SpringApplicationBuilder(Producer.class).web(WebApplicationType.NONE).profiles("kubernetes")
                    .properties("ORDERS_HOST=localhost", "ORDERS_PORT=" + port).run()) {
                var push = app.getBean("orders-out", ZmqSocket.class);
                assertThat(push.get(SocketOption.RESOLVE_IVL)).isEqualTo(5000);
                assertThat(push.get(SocketOption.SNDHWM)).isEqualTo(10_000);
                awaitCondition(() -> push.statistics().resolvedAddresses().stream()
                        .anyMatch(a -> a.connected() && a.address().equals("tcp://127.0.0.1:" + port)), Duration.ofSeconds(10));
                push.send("order 1");
                assertThat(pull.recv(Duration.ofSeconds(10)).frameString(0)).isEqualTo("order 1");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theManifestIsAHeadlessServiceOnTheProducersPort() throws IOException {
        var documents = new ArrayList<Map<String, Object>>();
        try (Reader in = Files.newBufferedReader(Path.of("../docs/kubernetes/orders.yaml"))) {
            new Yaml().loadAll(in).forEach(d -> documents.add((Map<String, Object>) d));
        }
        var service = documents.stream().filter(d -> "Service".equals(d.get("kind"))).findFirst().orElseThrow();
        var deployment = documents.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
        var spec = (Map<String, Object>) service.get("spec");
        assertThat(spec.get("clusterIP")).as("headless").isEqualTo("None");
        var ports = (List<Map<String, Object>>) spec.get("ports");
        var producers = Files.readString(Path.of("src/test/resources/application-kubernetes.yml"));
        assertThat(producers).contains("${ORDERS_PORT:" + ports.get(0).get("port") + "}")
                .contains("${ORDERS_HOST:" + ((Map<String, Object>) service.get("metadata")).get("name") + "."
                        + ((Map<String, Object>) service.get("metadata")).get("namespace") + ".svc.cluster.local}");
        var template = (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template");
        var labels = (Map<String, Object>) ((Map<String, Object>) template.get("metadata")).get("labels");
        assertThat(labels).containsAllEntriesOf((Map<String, Object>) spec.get("selector"));
        var container = ((List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers")).get(0);
        assertThat(((List<Map<String, Object>>) container.get("ports")).get(0).get("containerPort")).isEqualTo(ports.get(0).get("port"));
    }
}
