package dev.zmq.spring.boot.autoconfigure.interop;

import dev.zmq.spring.boot.autoconfigure.security.SecurityTestSupport;
import static dev.zmq.spring.boot.autoconfigure.interop.SecurityInteropTests.createCertificates;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.spring.boot.autoconfigure.health.ZmqHealthIndicator;
import dev.zmq.spring.listener.ZmqHeaders;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.core.ZmqTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Boot application configured by {@code application-secure.yml} (the example of
 * {@code README.md (Security)}): a CURVE service for the clients of a key directory, a PLAIN
 * service, and a CURVE client of a libzmq service, with keys and passwords from environment
 * variables and pyzmq certificate files. The peers are libzmq through pyzmq.
 */
@Timeout(90)
@ExtendWith(OutputCaptureExtension.class)
class SecureServiceApplicationTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TradingDesk.class)
    static class SecureApp {
    }

    @Component
    static class TradingDesk {
        // tag::listeners[]
        @ZmqListener(socket = "quotes")
        String quote(@Header(ZmqHeaders.USER_ID) String clientKey, String symbol) {
            return symbol + " 1.0842 for " + clientKey;     // CURVE: the User-Id is the client's public key (Z85)
        }

        @ZmqListener(socket = "orders")
        String order(@Header(ZmqHeaders.USER_ID) String user, String order) {
            return "accepted " + order + " from " + user;    // PLAIN: the User-Id is the user name
        }
        // end::listeners[]
    }

    private static String json(Object value) {
        return JsonMapper.builder().build().writeValueAsString(value);
    }

    @Test
    @SuppressWarnings("unchecked")
    void curveAndPlainServicesAndACurveClientFromYaml(@TempDir Path keys, CapturedOutput output) throws Exception {
        // What an operator prepares: the service's certificate, and the public certificates of the clients allowed in.
        var quotesPublic = createCertificates(keys, "quotes");
        var alicePublic = createCertificates(keys.resolve("alice-laptop"), "alice");
        Files.copy(keys.resolve("alice-laptop/alice.key"), Files.createDirectories(keys.resolve("clients")).resolve("alice.key"));
        var ledgerServer = SecurityTestSupport.curveKeys();
        var ledgerClient = SecurityTestSupport.curveKeys();
        var ledgerPeer = Map.<String, Object>of("curve", Map.of("public", ledgerServer.publicKeyZ85(), "secret", ledgerServer.secretKeyZ85()),
                "allow_any", true);

        try (var ledger = PyzmqPeer.startScript("pyzmq_secure_peer.py", "server", json(ledgerPeer))) {
            var environment = Map.<String, Object>of("ZMQ_KEYS", keys.toString(), "ALICE_PASSWORD", "wonderland",
                    "LEDGER_ENDPOINT", ledger.expect("ENDPOINT", Duration.ofSeconds(20)),
                    "LEDGER_CLIENT_SECRET_KEY", ledgerClient.secretKeyZ85(), "LEDGER_SERVER_KEY", ledgerServer.publicKeyZ85(),
                    "QUOTES_ENDPOINT", "tcp://127.0.0.1:*", "ORDERS_ENDPOINT", "tcp://127.0.0.1:*");
            try (var app = new SpringApplicationBuilder(SecureApp.class).web(WebApplicationType.NONE).profiles("secure")
                    .properties("logging.level.dev.zmq=DEBUG")
                    .initializers(ctx -> ctx.getEnvironment().getPropertySources()
                            .addLast(new SystemEnvironmentPropertySource("testEnvironment", environment)))
                    .run()) {
                // local.zmq.<socket>.endpoint: zmq-spring-boot-test's spring.factories adds it to every application
                var quotes = app.getEnvironment().getProperty("local.zmq.quotes.endpoint");
                var orders = app.getEnvironment().getProperty("local.zmq.orders.endpoint");

                var curveClient = Map.<String, Object>of("endpoint", quotes, "requests", java.util.List.of("EURUSD"), "curve",
                        Map.of("key_file", keys.resolve("alice-laptop/alice.key_secret").toString(),
                                "server_key_file", keys.resolve("quotes.key").toString()));
                try (var alice = PyzmqPeer.startScript("pyzmq_secure_peer.py", "client", json(curveClient))) {
                    assertThat(alice.expect("REPLY", Duration.ofSeconds(30))).isEqualTo("EURUSD 1.0842 for " + alicePublic);
                }
                var plainClient = Map.<String, Object>of("endpoint", orders, "requests", java.util.List.of("3 tea"), "plain",
                        Map.of("username", "alice", "password", "wonderland"));
                try (var alice = PyzmqPeer.startScript("pyzmq_secure_peer.py", "client", json(plainClient))) {
                    assertThat(alice.expect("REPLY", Duration.ofSeconds(30))).isEqualTo("accepted 3 tea from alice");
                }
                var balance = app.getBean(ZmqTemplate.class).convertSendAndReceive("ledger", "balance", String.class, Duration.ofSeconds(20));
                assertThat(balance).isEqualTo("py:balance:" + ledgerClient.publicKeyZ85());

                var health = app.getBean(ZmqHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                var sockets = (Map<String, Map<String, Object>>) health.getDetails().get("sockets");
                assertThat(sockets.get("quotes")).containsEntry("security", "CURVE server");
                assertThat(sockets.get("orders")).containsEntry("security", "PLAIN server");
                assertThat(sockets.get("ledger")).containsEntry("security", "CURVE client");
                assertThat(json(health)).doesNotContain(ledgerClient.secretKeyZ85()).doesNotContain("wonderland");
                // the service's key pair came from its certificate file
                var quotesKey = app.getBean("quotes", dev.zmq.ZmqSocket.class).get(dev.zmq.SocketOption.CURVE_PUBLICKEY);
                assertThat(dev.zmq.security.Z85.encode(quotesKey)).isEqualTo(quotesPublic);
            }
        }
        var quotesSecret = dev.zmq.security.CurveCertificate.load(keys.resolve("quotes.key_secret")).keyPair().secretKeyZ85();
        assertThat(output.getAll()).as("the application's log").contains("ZAP authenticator: 1 PLAIN user(s), 1 CURVE client key(s)")
                .doesNotContain(quotesSecret).doesNotContain(ledgerClient.secretKeyZ85()).doesNotContain("wonderland");
    }
}
