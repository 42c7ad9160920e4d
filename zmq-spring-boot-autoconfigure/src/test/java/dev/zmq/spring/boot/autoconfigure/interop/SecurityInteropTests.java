package dev.zmq.spring.boot.autoconfigure.interop;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zmq.Message;
import dev.zmq.security.CurveCertificate;
import dev.zmq.spring.listener.ZmqHeaders;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.boot.autoconfigure.security.SecurityTestSupport;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import dev.zmq.spring.core.ZmqReplyTimeoutException;
import dev.zmq.spring.core.ZmqTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import tools.jackson.databind.json.JsonMapper;

/**
 * PLAIN and CURVE between the starter and libzmq 4.3 (pyzmq in a child process), both ways, with
 * keys from properties, from {@code ${...}} placeholders and from the certificate files pyzmq's
 * {@code zmq.auth.create_certificates} writes.
 */
@Timeout(90)
class SecurityInteropTests {
    private static final Duration STARTUP = Duration.ofSeconds(20);
    /** How long a refused pyzmq client waits for a reply that must not come. */
    private static final int REFUSED_MS = 1500;

    private final ApplicationContextRunner runner = SecurityTestSupport.runner();

    @Configuration(proxyBeanMethods = false)
    static class QuoteService {
        final BlockingQueue<String> callers = new LinkedBlockingQueue<>();

        @Bean
        Object quoteListener() {
            var service = this;
            return new Object() {
                @ZmqListener(id = "quotes", socket = "quotes")
                String quote(@Header(ZmqHeaders.USER_ID) String caller, String symbol) {
                    service.callers.add(caller);
                    return symbol + " 1.0842 for " + caller;
                }
            };
        }
    }

    private static String json(Object value) {
        return JsonMapper.builder().build().writeValueAsString(value);
    }

    /** Makes pyzmq write {@code name.key} and {@code name.key_secret} into {@code directory}; returns the public key. */
    static String createCertificates(Path directory, String name) throws Exception {
        Files.createDirectories(directory);
        try (var peer = PyzmqPeer.startScript("pyzmq_secure_peer.py", "certs", json(Map.of("directory", directory.toString(), "name", name)))) {
            var publicKey = peer.expect("PUBLIC", STARTUP);
            assertThat(peer.awaitExit(Duration.ofSeconds(10))).as(peer.stderr()).isZero();
            return publicKey;
        }
    }

    /** Runs a pyzmq DEALER client sending {@code requests}; each expected line is "REPLY ..." or "NOREPLY". */
    private static List<String> pyzmqClient(Map<String, Object> config, List<String> requests, List<String> expected) throws Exception {
        var cfg = new LinkedHashMap<>(config);
        cfg.put("requests", requests);
        cfg.putIfAbsent("timeout_ms", 15000);
        try (var peer = PyzmqPeer.startScript("pyzmq_secure_peer.py", "client", json(cfg))) {
            var replies = new java.util.ArrayList<String>();
            for (var prefix : expected) {
                replies.add(peer.expect(prefix, Duration.ofSeconds(30)));
            }
            assertThat(peer.awaitExit(Duration.ofSeconds(10))).as(peer.stderr()).isZero();
            return replies;
        }
    }

    private static String listenerEndpoint(AssertableApplicationContext ctx, String id) {
        return ctx.getEnvironment().getProperty("local.zmq." + id + ".endpoint");
    }

    @Test
    void curveRouterListenerServesLibzmqClientsListedInAKeyDirectoryAndRefusesOthers(@TempDir Path dir) throws Exception {
        // Each client's certificates are made in its own directory; only alice's public certificate is authorised.
        var alicePublic = createCertificates(dir.resolve("alice"), "alice");
        createCertificates(dir.resolve("mallory"), "mallory");
        var authorised = Files.createDirectories(dir.resolve("authorised"));
        Files.copy(dir.resolve("alice/alice.key"), authorised.resolve("alice.key"));
        var server = SecurityTestSupport.curveKeys();

        runner.withUserConfiguration(QuoteService.class)
                .withInitializer(SecurityTestSupport.environment(Map.of("QUOTES_SECRET_KEY", server.secretKeyZ85())))
                .withPropertyValues("zmq.sockets.quotes.type=ROUTER", "zmq.sockets.quotes.bind=tcp://127.0.0.1:*",
                        "zmq.sockets.quotes.security.curve.role=server",
                        "zmq.sockets.quotes.security.curve.secret-key=${QUOTES_SECRET_KEY}",
                        "zmq.security.zap.curve.keys-directory=" + authorised)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    var endpoint = listenerEndpoint(ctx, "quotes");
                    var alice = Map.<String, Object>of("endpoint", endpoint, "curve", Map.of(
                            "key_file", dir.resolve("alice/alice.key_secret").toString(), "server_key", server.publicKeyZ85()));
                    var mallory = Map.<String, Object>of("endpoint", endpoint, "timeout_ms", REFUSED_MS, "curve", Map.of(
                            "key_file", dir.resolve("mallory/mallory.key_secret").toString(), "server_key", server.publicKeyZ85()));

                    assertThat(pyzmqClient(alice, List.of("EURUSD"), List.of("REPLY"))).containsExactly("EURUSD 1.0842 for " + alicePublic);
                    assertThat(pyzmqClient(mallory, List.of("GBPUSD"), List.of("NOREPLY"))).containsExactly("");
                    var quotes = ctx.getBean(ZmqSocketRegistry.class).get("quotes").orElseThrow();
                    awaitCondition(() -> quotes.stats().handshakeFailures() >= 1, STARTUP);
                    // the service keeps serving the good client
                    assertThat(pyzmqClient(alice, List.of("USDJPY", "EURCHF"), List.of("REPLY", "REPLY")))
                            .containsExactly("USDJPY 1.0842 for " + alicePublic, "EURCHF 1.0842 for " + alicePublic);
                    assertThat(ctx.getBean(QuoteService.class).callers).containsExactly(alicePublic, alicePublic, alicePublic);
                });
    }

    @Test
    void springCurveClientWithKeyFilesTalksToALibzmqServerAndTimesOutOnAWrongServerKey(@TempDir Path dir) throws Exception {
        createCertificates(dir, "ledger");
        var ourPublic = createCertificates(dir, "quotes");
        var ledger = Map.<String, Object>of("curve", Map.of("key_file", dir.resolve("ledger.key_secret").toString()), "allow_any", true);
        try (var peer = PyzmqPeer.startScript("pyzmq_secure_peer.py", "server", json(ledger))) {
            var endpoint = peer.expect("ENDPOINT", STARTUP);
            var client = runner.withPropertyValues("zmq.sockets.ledger.type=DEALER", "zmq.sockets.ledger.connect=" + endpoint,
                    "zmq.sockets.ledger.security.curve.role=client",
                    "zmq.sockets.ledger.security.curve.key-file=" + dir.resolve("quotes.key_secret"));
            client.withPropertyValues("zmq.sockets.ledger.security.curve.server-key-file=" + dir.resolve("ledger.key")).run(ctx -> {
                assertThat(ctx).hasNotFailed();
                var reply = ctx.getBean(ZmqTemplate.class).sendAndReceive("ledger", Message.of("balance"), STARTUP);
                // libzmq's authenticator gives the client's public key as User-Id: the key of our key file
                assertThat(reply.frameString(0)).isEqualTo("py:balance:" + ourPublic);
            });
            var wrongKey = SecurityTestSupport.curveKeys().publicKeyZ85();
            client.withPropertyValues("zmq.sockets.ledger.security.curve.server-key=" + wrongKey).run(ctx ->
                    assertThatThrownBy(() -> ctx.getBean(ZmqTemplate.class).sendAndReceive("ledger", Message.of("balance"),
                            Duration.ofMillis(REFUSED_MS))).isInstanceOf(ZmqReplyTimeoutException.class));
        }
        assertThat(CurveCertificate.load(dir.resolve("quotes.key")).publicKeyZ85()).isEqualTo(ourPublic);
    }

    @Test
    void plainListenerChecksLibzmqClientsAgainstUsersFromProperties() throws Exception {
        runner.withUserConfiguration(QuoteService.class)
                .withInitializer(SecurityTestSupport.environment(Map.of("ALICE_PASSWORD", "wonderland")))
                .withPropertyValues("zmq.sockets.quotes.type=REP", "zmq.sockets.quotes.bind=tcp://127.0.0.1:*",
                        "zmq.sockets.quotes.security.plain.role=server", "zmq.security.zap.plain.users.alice=${ALICE_PASSWORD}",
                        "zmq.security.zap.plain.users.bob=builder")
                .run(ctx -> {
                    var endpoint = listenerEndpoint(ctx, "quotes");
                    assertThat(pyzmqClient(Map.of("endpoint", endpoint, "plain", Map.of("username", "alice", "password", "wonderland")),
                            List.of("EURUSD"), List.of("REPLY"))).containsExactly("EURUSD 1.0842 for alice");
                    assertThat(pyzmqClient(Map.of("endpoint", endpoint, "timeout_ms", REFUSED_MS,
                            "plain", Map.of("username", "alice", "password", "builder")), List.of("EURUSD"), List.of("NOREPLY")))
                            .containsExactly("");
                    assertThat(pyzmqClient(Map.of("endpoint", endpoint, "plain", Map.of("username", "bob", "password", "builder")),
                            List.of("GBPUSD"), List.of("REPLY"))).containsExactly("GBPUSD 1.0842 for bob");
                    assertThat(ctx.getBean(QuoteService.class).callers).containsExactly("alice", "bob");
                });
    }

    @Test
    void springPlainClientIsCheckedByALibzmqAuthenticator() throws Exception {
        var server = Map.<String, Object>of("plain", Map.of(), "users", Map.of("svc", "t0ps3cret"));
        try (var peer = PyzmqPeer.startScript("pyzmq_secure_peer.py", "server", json(server))) {
            var endpoint = peer.expect("ENDPOINT", STARTUP);
            var client = runner.withInitializer(SecurityTestSupport.environment(Map.of("SVC_PASSWORD", "t0ps3cret")))
                    .withPropertyValues("zmq.sockets.py.type=DEALER", "zmq.sockets.py.connect=" + endpoint,
                            "zmq.sockets.py.security.plain.role=client", "zmq.sockets.py.security.plain.username=svc");
            client.withPropertyValues("zmq.sockets.py.security.plain.password=${SVC_PASSWORD}").run(ctx ->
                    assertThat(ctx.getBean(ZmqTemplate.class).convertSendAndReceive("py", "ping", String.class, STARTUP))
                            .isEqualTo("py:ping:svc"));
            client.withPropertyValues("zmq.sockets.py.security.plain.password=guess").run(ctx ->
                    assertThatThrownBy(() -> ctx.getBean(ZmqTemplate.class).sendAndReceive("py", Message.of("ping"),
                            Duration.ofMillis(REFUSED_MS))).isInstanceOf(ZmqReplyTimeoutException.class));
        }
    }
}
