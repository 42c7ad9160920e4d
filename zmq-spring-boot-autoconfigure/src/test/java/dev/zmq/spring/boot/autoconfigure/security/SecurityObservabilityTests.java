package dev.zmq.spring.boot.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.security.CurveKeyPair;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.endpoint.ZmqEndpoint;
import dev.zmq.spring.boot.autoconfigure.endpoint.ZmqEndpointAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.health.ZmqHealthContributorAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.health.ZmqHealthIndicator;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/** Health and the {@code zmq} endpoint show each socket's mechanism and role, never a key or a password. */
@Timeout(30)
class SecurityObservabilityTests {
    private static final CurveKeyPair SERVER = SecurityTestSupport.curveKeys();
    private static final CurveKeyPair CLIENT = SecurityTestSupport.curveKeys();
    private static final String PASSWORD = "pa55-for-observability";
    private static final String USER_PASSWORD = "alice-only-knows-this";

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            ZmqContextAutoConfiguration.class, ZmqSecurityAutoConfiguration.class, ZmqSocketAutoConfiguration.class,
            ZmqListenerAutoConfiguration.class, ZmqHealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
            ZmqEndpointAutoConfiguration.class)).withPropertyValues("management.endpoints.web.exposure.include=zmq",
            "zmq.sockets.api.type=ROUTER", "zmq.sockets.api.bind=tcp://127.0.0.1:*", "zmq.sockets.api.security.zap-domain=api",
            "zmq.sockets.api.security.curve.role=server", "zmq.sockets.api.security.curve.secret-key=" + SERVER.secretKeyZ85(),
            "zmq.sockets.upstream.type=DEALER", "zmq.sockets.upstream.connect=tcp://127.0.0.1:1",
            "zmq.sockets.upstream.security.curve.role=client", "zmq.sockets.upstream.security.curve.secret-key=" + CLIENT.secretKeyZ85(),
            "zmq.sockets.upstream.security.curve.server-key=" + SERVER.publicKeyZ85(),
            "zmq.sockets.legacy.type=DEALER", "zmq.sockets.legacy.connect=tcp://127.0.0.1:1",
            "zmq.sockets.legacy.security.plain.role=client", "zmq.sockets.legacy.security.plain.username=svc",
            "zmq.sockets.legacy.security.plain.password=" + PASSWORD,
            "zmq.sockets.orders.type=REP", "zmq.sockets.orders.bind=tcp://127.0.0.1:*", "zmq.sockets.orders.security.plain.role=server",
            "zmq.sockets.plain-old.type=PUSH", "zmq.sockets.plain-old.connect=tcp://127.0.0.1:1",
            "zmq.security.zap.plain.users.alice=" + USER_PASSWORD, "zmq.security.zap.curve.keys=" + CLIENT.publicKeyZ85());

    @Test
    @SuppressWarnings("unchecked")
    void mechanismAndRolePerSocketAndNoSecretAnywhere() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            var health = ctx.getBean(ZmqHealthIndicator.class).health();
            var sockets = (Map<String, Map<String, Object>>) health.getDetails().get("sockets");
            assertThat(sockets.get("api")).containsEntry("security", "CURVE server").containsEntry("zapDomain", "api");
            assertThat(sockets.get("upstream")).containsEntry("security", "CURVE client").doesNotContainKey("zapDomain");
            assertThat(sockets.get("legacy")).containsEntry("security", "PLAIN client");
            assertThat(sockets.get("orders")).containsEntry("security", "PLAIN server");
            assertThat(sockets.get("plain-old")).containsEntry("security", "NULL");

            var endpointSockets = (Map<String, Map<String, Object>>) ctx.getBean(ZmqEndpoint.class).zmq().get("sockets");
            assertThat(endpointSockets.get("api")).containsEntry("security", "CURVE server");

            var json = JsonMapper.builder().build();
            var everything = json.writeValueAsString(health) + json.writeValueAsString(ctx.getBean(ZmqEndpoint.class).zmq())
                    + ctx.getBean(ZmqSocketRegistry.class).all();
            assertThat(everything).contains("CURVE server")
                    .doesNotContain(SERVER.secretKeyZ85()).doesNotContain(CLIENT.secretKeyZ85())
                    .doesNotContain(PASSWORD).doesNotContain(USER_PASSWORD);
        });
    }
}
