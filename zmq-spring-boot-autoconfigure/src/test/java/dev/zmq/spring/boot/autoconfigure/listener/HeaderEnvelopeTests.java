package dev.zmq.spring.boot.autoconfigure.listener;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.inproc;
import static dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerEndToEndTests.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.spring.boot.autoconfigure.listener.ListenerTestSupport.Inbox;
import dev.zmq.spring.boot.autoconfigure.template.ZmqTemplateAutoConfiguration;
import dev.zmq.spring.boot.test.ZmqTestUtils;
import dev.zmq.spring.core.ZmqRemoteException;
import dev.zmq.spring.core.ZmqTemplate;
import dev.zmq.spring.core.ZmqTemplateException;
import dev.zmq.spring.headers.ZmqHeaderFrame;
import dev.zmq.spring.listener.ZmqErrorReplyException;
import dev.zmq.spring.listener.ZmqHeaders;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;

/** The opt-in header envelope: written by the template and @SendTo, read as @Header; plain sockets stay plain. */
@Timeout(60)
class HeaderEnvelopeTests {

    record Order(String item, int quantity) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        @Bean
        Object envelopeListeners(Inbox inbox) {
            return new Object() {
                @ZmqListener(id = "orders", socket = "orders-in")
                @SendTo("audit-out")
                String order(Order order, @Header("tenant") String tenant, @Header(ZmqHeaders.CONTENT_TYPE) String contentType,
                             @Header(ZmqHeaders.ENVELOPE) Map<String, String> envelope) {
                    inbox.add(order.item() + "/" + tenant + "/" + contentType + "/" + new java.util.TreeSet<>(envelope.keySet()));
                    return "audited " + order.item();
                }

                @ZmqListener(id = "routed", type = "PULL", bind = "${t.routed}", headers = "true")
                @SendTo("!{request.headers['reply-to'] ?: 'audit-out'}")
                String routed(String body) {
                    return "routed " + body;
                }

                @ZmqListener(id = "prices", socket = "prices-in")
                void price(String body, @Header(ZmqHeaders.TOPIC) String topic, @Header("source") String source) {
                    inbox.add(topic + "/" + body + "/" + source);
                }

                @ZmqListener(id = "lookup", type = "REP", bind = "${t.lookup}", headers = "true")
                String lookup(String key, @Header(name = ZmqHeaders.CORRELATION_ID, required = false) String correlation) {
                    if (key.equals("none")) {
                        throw new ZmqErrorReplyException("NOT_FOUND", "no " + key);
                    }
                    return key + "@" + correlation;
                }
            };
        }
    }

    private static ApplicationContextRunner runner() {
        var orders = inproc("orders");
        var audit = inproc("audit");
        var prices = inproc("prices");
        var lookup = inproc("lookup");
        var routed = inproc("routed");
        var plainAudit = inproc("plain-audit");
        return ListenerTestSupport.runner().withConfiguration(AutoConfigurations.of(ZmqTemplateAutoConfiguration.class))
                .withUserConfiguration(Listeners.class).withPropertyValues(
                        "t.lookup=" + lookup, "t.audit=" + audit, "t.routed=" + routed,
                        "zmq.sockets.routed-out.type=PUSH", "zmq.sockets.routed-out.connect=" + routed, "zmq.sockets.routed-out.headers=true",
                        "zmq.sockets.plain-audit.type=PUSH", "zmq.sockets.plain-audit.bind=" + plainAudit,
                        "zmq.sockets.orders-in.type=PULL", "zmq.sockets.orders-in.bind=" + orders, "zmq.sockets.orders-in.headers=true",
                        "zmq.sockets.orders-out.type=PUSH", "zmq.sockets.orders-out.connect=" + orders, "zmq.sockets.orders-out.headers=true",
                        "zmq.sockets.audit-out.type=PUSH", "zmq.sockets.audit-out.bind=" + audit, "zmq.sockets.audit-out.headers=true",
                        "zmq.sockets.prices-out.type=PUB", "zmq.sockets.prices-out.bind=" + prices, "zmq.sockets.prices-out.headers=true",
                        "zmq.sockets.prices-in.type=SUB", "zmq.sockets.prices-in.connect=" + prices, "zmq.sockets.prices-in.subscribe=EUR",
                        "zmq.sockets.prices-in.headers=true",
                        "zmq.sockets.lookup-client.type=DEALER", "zmq.sockets.lookup-client.connect=" + lookup,
                        "zmq.sockets.lookup-client.headers=true",
                        "zmq.sockets.plain.type=PUSH", "zmq.sockets.plain.bind=" + inproc("plain"));
    }

    @Test
    void templateHeadersReachTheListenerAndSendToWritesTheEnvelopeToo() {
        runner().run(ctx -> {
            var inbox = ctx.getBean(Inbox.class);
            var template = ctx.getBean(ZmqTemplate.class);
            try (var audit = client(ctx, SocketType.PULL, ctx.getEnvironment().getProperty("t.audit"))) {
                template.convertAndSendWithHeaders("orders-out", new Order("tea", 2), Map.of("tenant", "acme", ZmqHeaders.CORRELATION_ID, "c-17"));
                // content-type first, then the given headers (Map.of: in no particular order)
                assertThat(inbox.take()).isEqualTo("tea/acme/application/json/[content-type, correlation-id, tenant]");
                var forwarded = audit.recv(Duration.ofSeconds(10));
                assertThat(forwarded.size()).isEqualTo(2);
                assertThat(ZmqHeaderFrame.decode(forwarded.frame(0))).containsEntry(ZmqHeaders.CORRELATION_ID, "c-17");
                assertThat(forwarded.frameString(1)).isEqualTo("audited tea");
            }
        });
    }

    @Test
    void sendToExpressionsPickTheSocketForEachMessage() {
        runner().run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            try (var audit = client(ctx, SocketType.PULL, ctx.getEnvironment().getProperty("t.audit"));
                 var plain = client(ctx, SocketType.PULL, ctx.getEnvironment().getProperty("zmq.sockets.plain-audit.bind"))) {
                template.send("routed-out", Message.of("x"), Map.of("reply-to", "plain-audit"));
                var toPlain = plain.recv(Duration.ofSeconds(10));
                assertThat(toPlain.size()).as("a socket without the envelope gets plain frames").isEqualTo(1);
                assertThat(toPlain.frameString(0)).isEqualTo("routed x");
                template.send("routed-out", Message.of("y"), Map.of());
                var toAudit = audit.recv(Duration.ofSeconds(10));
                assertThat(toAudit.frameString(1)).isEqualTo("routed y");
            }
        });
    }

    @Test
    void onPubSubTheHeaderFrameFollowsTheTopicSoSubscriptionsStillMatch() {
        runner().run(ctx -> {
            var inbox = ctx.getBean(Inbox.class);
            var template = ctx.getBean(ZmqTemplate.class);
            // the slow joiner: publish until the subscription has reached the publisher
            ZmqTestUtils.publishUntilReceived(() -> template.send("prices-out", Message.of("EURUSD", "1.08"), Map.of("source", "ecb")),
                    () -> !inbox.items.isEmpty(), Duration.ofSeconds(10));
            assertThat(inbox.take()).isEqualTo("EURUSD/1.08/ecb");
        });
    }

    @Test
    void requestsAndRepliesCarryTheEnvelopeAndErrorRepliesStillBecomeExceptions() {
        runner().run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            assertThat(template.sendAndReceive("lookup-client", Message.of("k")).frameString(0)).isEqualTo("k@null");
            assertThatThrownBy(() -> template.sendAndReceive("lookup-client", Message.of("none")))
                    .isInstanceOfSatisfying(ZmqRemoteException.class, e -> assertThat(e.code()).isEqualTo("NOT_FOUND"));
        });
    }

    @Test
    void socketsWithoutTheEnvelopeStayPlainAndRefuseHeaders() {
        runner().run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            try (var pull = client(ctx, SocketType.PULL, ctx.getEnvironment().getProperty("zmq.sockets.plain.bind"))) {
                template.convertAndSend("plain", new Order("pen", 1));
                var received = pull.recv(Duration.ofSeconds(10));
                assertThat(received.size()).isEqualTo(1);
                assertThat(received.frameString(0)).isEqualTo("{\"item\":\"pen\",\"quantity\":1}");
            }
            assertThatThrownBy(() -> template.convertAndSendWithHeaders("plain", "x", Map.of("tenant", "acme")))
                    .isInstanceOf(ZmqTemplateException.class).hasMessageContaining("zmq.sockets.plain.headers=true");
        });
    }

    @Test
    void aMessageWithoutAHeaderFrameOnAnEnvelopeSocketIsDiscardedAndCounted() {
        runner().run(ctx -> {
            var inbox = ctx.getBean(Inbox.class);
            try (var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("zmq.sockets.orders-in.bind"))) {
                push.send("{\"item\":\"tea\",\"quantity\":1}");
                var outcomes = ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("orders").getOutcomes();
                awaitCondition(() -> outcomes.discarded() == 1, Duration.ofSeconds(10));
                assertThat(inbox.items).isEmpty();
                assertThat(ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("orders").getSocket().lastError().message())
                        .contains("header frame");
            }
        });
    }
}
