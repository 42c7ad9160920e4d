package dev.zmq.spring.boot.autoconfigure.security;

import dev.zmq.spring.security.ZmqZapServer;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.security.CurveKeyPair;
import dev.zmq.security.ZapAuthenticator;
import dev.zmq.security.ZapHandler;
import dev.zmq.security.ZapReply;
import dev.zmq.spring.listener.ZmqHeaders;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.socket.ManagedSocket;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import dev.zmq.spring.core.ZmqReplyTimeoutException;
import dev.zmq.spring.core.ZmqTemplate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

/**
 * PLAIN and CURVE sockets from properties, end to end with real sockets in this JVM: the peers are
 * zmq-core sockets of another context (or another Spring context). Listeners see who is calling in
 * {@link ZmqHeaders#USER_ID}.
 */
@Timeout(60)
class SecureSocketsTests {
    private static final Duration REPLY = Duration.ofSeconds(10);
    /** How long a refused client waits to be sure no reply comes. */
    private static final Duration REFUSED = Duration.ofMillis(1500);
    private static final String PASSWORD = "s3cret-Pa55word";

    private final ApplicationContextRunner runner = SecurityTestSupport.runner().withUserConfiguration(OrderService.class);

    /** What the listener saw: the user id and the connection properties of each request. */
    record Call(String userId, Map<String, String> properties) {
    }

    @Configuration(proxyBeanMethods = false)
    static class OrderService {
        final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

        @Bean
        Object orderListener() {
            var service = this;
            return new Object() {
                @ZmqListener(id = "orders", socket = "orders")
                String order(@Header(ZmqHeaders.USER_ID) String user, @Header(ZmqHeaders.PROPERTIES) Map<String, String> properties,
                             String body) {
                    service.calls.add(new Call(user, properties));
                    return "ok " + body + " from " + user;
                }
            };
        }
    }

    private static String endpoint(AssertableApplicationContext ctx) {
        return ctx.getEnvironment().getProperty("local.zmq.orders.endpoint");
    }

    private static ManagedSocket managed(AssertableApplicationContext ctx, String name) {
        return ctx.getBean(ZmqSocketRegistry.class).get(name).orElseThrow();
    }

    private static ZmqSocket plainClient(ZmqContext context, String endpoint, String user, String password) {
        var req = context.socket(SocketType.REQ);
        req.set(SocketOption.LINGER, 0);
        req.set(SocketOption.PLAIN_USERNAME, user);
        req.set(SocketOption.PLAIN_PASSWORD, password);
        req.connect(endpoint);
        return req;
    }

    private static ZmqSocket curveClient(ZmqContext context, String endpoint, CurveKeyPair keys, CurveKeyPair server) {
        var req = context.socket(SocketType.REQ);
        req.set(SocketOption.LINGER, 0);
        req.set(SocketOption.CURVE_PUBLICKEY, keys.publicKey());
        req.set(SocketOption.CURVE_SECRETKEY, keys.secretKey());
        req.set(SocketOption.CURVE_SERVERKEY, server.publicKey());
        req.connect(endpoint);
        return req;
    }

    private static String request(ZmqSocket req, String body, Duration timeout) {
        req.send(body);
        var reply = req.recv(timeout);
        return reply == null ? null : reply.frameString(0);
    }

    @Test
    void plainRepListenerAcceptsUsersFromPropertiesAndRefusesABadPassword() {
        runner.withInitializer(SecurityTestSupport.environment(Map.of("ALICE_PASSWORD", PASSWORD)))
                .withPropertyValues("zmq.sockets.orders.type=REP", "zmq.sockets.orders.bind=tcp://127.0.0.1:*",
                        "zmq.sockets.orders.security.plain.role=server", "zmq.security.zap.plain.users.alice=${ALICE_PASSWORD}")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    var endpoint = endpoint(ctx);
                    var calls = ctx.getBean(OrderService.class).calls;
                    try (var peers = new ZmqContext();
                         var alice = plainClient(peers, endpoint, "alice", PASSWORD);
                         var mallory = plainClient(peers, endpoint, "alice", "guess")) {
                        assertThat(request(alice, "tea", REPLY)).isEqualTo("ok tea from alice");
                        var call = calls.poll(10, TimeUnit.SECONDS);
                        assertThat(call.userId()).isEqualTo("alice");
                        assertThat(call.properties()).containsEntry("User-Id", "alice").containsKey("Socket-Type");

                        assertThat(request(mallory, "cake", REFUSED)).as("wrong password: never served").isNull();
                        awaitCondition(() -> managed(ctx, "orders").stats().handshakeFailures() >= 1, REPLY);
                        assertThat(request(alice, "coffee", REPLY)).isEqualTo("ok coffee from alice");
                    }
                    assertThat(calls).extracting(Call::userId).containsOnly("alice");
                });
    }

    @Test
    void curveRouterListenerAcceptsOnlyListedClientKeys() {
        var server = SecurityTestSupport.curveKeys();
        var known = SecurityTestSupport.curveKeys();
        var stranger = SecurityTestSupport.curveKeys();
        runner.withInitializer(SecurityTestSupport.environment(Map.of("ORDERS_SECRET_KEY", server.secretKeyZ85())))
                .withPropertyValues("zmq.sockets.orders.type=ROUTER", "zmq.sockets.orders.bind=tcp://127.0.0.1:*",
                        "zmq.sockets.orders.security.curve.role=server", "zmq.sockets.orders.security.curve.secret-key=${ORDERS_SECRET_KEY}",
                        "zmq.security.zap.curve.keys[0]=" + known.publicKeyZ85())
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    var endpoint = endpoint(ctx);
                    try (var peers = new ZmqContext();
                         var client = curveClient(peers, endpoint, known, server);
                         var intruder = curveClient(peers, endpoint, stranger, server)) {
                        assertThat(request(client, "q1", REPLY)).isEqualTo("ok q1 from " + known.publicKeyZ85());
                        assertThat(request(intruder, "q2", REFUSED)).isNull();
                        assertThat(request(client, "q3", REPLY)).isEqualTo("ok q3 from " + known.publicKeyZ85());
                    }
                    assertThat(ctx.getBean(OrderService.class).calls).extracting(Call::userId).containsOnly(known.publicKeyZ85());
                });
    }

    @Test
    void springCurveClientTalksToASpringCurveServerAndTimesOutWithAWrongServerKey() {
        var server = SecurityTestSupport.curveKeys();
        var client = SecurityTestSupport.curveKeys();
        runner.withPropertyValues("zmq.sockets.orders.type=ROUTER", "zmq.sockets.orders.bind=tcp://127.0.0.1:*",
                "zmq.sockets.orders.security.curve.role=server", "zmq.sockets.orders.security.curve.secret-key=" + server.secretKeyZ85(),
                "zmq.security.zap.curve.keys[0]=" + client.publicKeyZ85()).run(serverCtx -> {
            var endpoint = endpoint(serverCtx);
            var clientRunner = SecurityTestSupport.runner().withPropertyValues("zmq.sockets.upstream.type=DEALER",
                    "zmq.sockets.upstream.connect=" + endpoint, "zmq.sockets.upstream.security.curve.role=client",
                    "zmq.sockets.upstream.security.curve.secret-key=" + client.secretKeyZ85());
            clientRunner.withPropertyValues("zmq.sockets.upstream.security.curve.server-key=" + server.publicKeyZ85()).run(ctx -> {
                assertThat(ctx).doesNotHaveBean(ZapAuthenticator.class).doesNotHaveBean(ZmqZapServer.class);
                var reply = ctx.getBean(ZmqTemplate.class).sendAndReceive("upstream", Message.of("ping"), REPLY);
                assertThat(reply.frameString(0)).isEqualTo("ok ping from " + client.publicKeyZ85());
                assertThat(managed(ctx, "upstream").security()).isEqualTo("CURVE client");
            });
            clientRunner.withPropertyValues("zmq.sockets.upstream.security.curve.server-key=" + SecurityTestSupport.curveKeys().publicKeyZ85())
                    .run(ctx -> assertThatThrownBy(() -> ctx.getBean(ZmqTemplate.class).sendAndReceive("upstream", Message.of("ping"), REFUSED))
                            .isInstanceOf(ZmqReplyTimeoutException.class));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class DirectoryHandler {
        @Bean
        ZapHandler directory() {
            return request -> "bob".equals(request.username())
                    ? ZapReply.allow("bob@directory", Map.of("Role", "trader"))
                    : ZapReply.deny("unknown user");
        }
    }

    @Test
    void aZapHandlerBeanReplacesTheAuthenticatorAndItsUserIdAndMetadataReachTheListener() {
        runner.withUserConfiguration(DirectoryHandler.class).withPropertyValues("zmq.sockets.orders.type=REP",
                "zmq.sockets.orders.bind=tcp://127.0.0.1:*", "zmq.sockets.orders.security.plain.role=server").run(ctx -> {
            assertThat(ctx).hasNotFailed().doesNotHaveBean(ZapAuthenticator.class);
            assertThat(ctx.getBean(ZmqZapServer.class).handler()).isSameAs(ctx.getBean("directory"));
            try (var peers = new ZmqContext();
                 var bob = plainClient(peers, endpoint(ctx), "bob", "anything");
                 var eve = plainClient(peers, endpoint(ctx), "eve", "anything")) {
                assertThat(request(bob, "bond", REPLY)).isEqualTo("ok bond from bob@directory");
                assertThat(request(eve, "bond", REFUSED)).isNull();
            }
            var call = ctx.getBean(OrderService.class).calls.poll();
            assertThat(call.properties()).containsEntry("Role", "trader").containsEntry("User-Id", "bob@directory");
        });
    }

    @Test
    void aZapDomainOnANullSocketFiltersClientAddresses() {
        var properties = new String[] {"zmq.sockets.orders.type=REP", "zmq.sockets.orders.bind=tcp://127.0.0.1:*",
                "zmq.sockets.orders.security.zap-domain=internal"};
        runner.withPropertyValues(properties).withPropertyValues("zmq.security.zap.deny=127.0.0.1").run(ctx -> {
            assertThat(managed(ctx, "orders").security()).isEqualTo("NULL");
            assertThat(managed(ctx, "orders").zapDomain()).isEqualTo("internal");
            try (var peers = new ZmqContext(); var req = peers.socket(SocketType.REQ)) {
                req.set(SocketOption.LINGER, 0);
                req.connect(endpoint(ctx));
                assertThat(request(req, "hi", REFUSED)).as("denied address").isNull();
            }
        });
        runner.withPropertyValues(properties).withPropertyValues("zmq.security.zap.allow=127.0.0.1").run(ctx -> {
            try (var peers = new ZmqContext(); var req = peers.socket(SocketType.REQ)) {
                req.set(SocketOption.LINGER, 0);
                req.connect(endpoint(ctx));
                // The NULL mechanism has no user: the ZAP authenticator's user id is empty.
                assertThat(request(req, "hi", REPLY)).isEqualTo("ok hi from ");
            }
        });
    }
}
