package dev.zmq.spring.boot.autoconfigure.interop;

import dev.zmq.spring.boot.test.ZmqTestEndpointsInitializer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.listener.ZmqHeaders;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.core.ZmqTemplate;
import dev.zmq.spring.boot.autoconfigure.template.ZmqTemplateAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

/** The starter talking to libzmq 4.3 (pyzmq in a child process) both ways. */
@Timeout(60)
class LibzmqInteropTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withInitializer(new ZmqTestEndpointsInitializer()).withConfiguration(AutoConfigurations.of(
            ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class,
            ZmqTemplateAutoConfiguration.class, JacksonAutoConfiguration.class));

    record Order(String item, int quantity) {
    }

    record Confirmation(String item, int total) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        final BlockingQueue<List<String>> pulled = new LinkedBlockingQueue<>();
        final BlockingQueue<List<String>> senders = new LinkedBlockingQueue<>();

        @Bean
        Object orders() {
            var state = this;
            return new Object() {
                @ZmqListener(id = "orders", type = "REP", bind = "tcp://127.0.0.1:*")
                Confirmation order(Order order) {
                    return new Confirmation(order.item(), order.quantity() * 10);
                }

                @ZmqListener(id = "intake", type = "PULL", bind = "tcp://127.0.0.1:*")
                void intake(Message message) {
                    state.pulled.add(List.of(message.frameString(0), message.frameString(1)));
                }

                @ZmqListener(id = "senders", type = "PULL", bind = "tcp://127.0.0.1:*")
                void senders(String body, @Header(ZmqHeaders.PEER_ADDRESS) String peer) {
                    state.senders.add(List.of(body, peer));
                }
            };
        }
    }

    @Test
    void libzmqRequesterGetsAJsonReplyFromARepListener() {
        runner.withUserConfiguration(Listeners.class).run(ctx -> {
            var endpoint = ctx.getEnvironment().getProperty("local.zmq.orders.endpoint");
            try (var peer = PyzmqPeer.start("req", endpoint, "{\"item\":\"tea\",\"quantity\":3}")) {
                assertThat(peer.expect("REPLY", Duration.ofSeconds(20))).isEqualTo("{\"item\":\"tea\",\"total\":30}");
                assertThat(peer.awaitExit(Duration.ofSeconds(10))).as(peer.stderr()).isZero();
            }
        });
    }

    @Test
    void libzmqPusherFeedsAPullListener() {
        runner.withUserConfiguration(Listeners.class).run(ctx -> {
            var endpoint = ctx.getEnvironment().getProperty("local.zmq.intake.endpoint");
            try (var peer = PyzmqPeer.start("push", endpoint, "50")) {
                var pulled = ctx.getBean(Listeners.class).pulled;
                for (int i = 0; i < 50; i++) {
                    assertThat(pulled.poll(10, TimeUnit.SECONDS)).isEqualTo(List.of("frame-a", "item-" + i));
                }
                peer.expect("SENT", Duration.ofSeconds(10));
            }
        });
    }

    /** Two peers on the socket at once, from different loopback addresses: each message names its own sender. */
    @Test
    void peerAddressHeaderIsTheSenderOfEachMessage() {
        runner.withUserConfiguration(Listeners.class).run(ctx -> {
            var endpoint = ctx.getEnvironment().getProperty("local.zmq.senders.endpoint");
            try (var peer = PyzmqPeer.start("push-from", endpoint, "127.0.0.2", "127.0.0.3")) {
                var senders = ctx.getBean(Listeners.class).senders;
                var seen = new java.util.HashSet<List<String>>();
                for (int i = 0; i < 2; i++) {
                    var next = senders.poll(20, TimeUnit.SECONDS);
                    assertThat(next).as("message %d; pyzmq stderr: %s", i, peer.stderr()).isNotNull();
                    seen.add(next);
                }
                assertThat(seen).containsExactlyInAnyOrder(List.of("from-127.0.0.2", "127.0.0.2"), List.of("from-127.0.0.3", "127.0.0.3"));
                peer.expect("SENT", Duration.ofSeconds(10));
            }
        });
    }

    @Test
    void templateRequestsOverADealerAreAnsweredByALibzmqRep() throws Exception {
        try (var peer = PyzmqPeer.start("rep", "20")) {
            var endpoint = peer.expect("ENDPOINT", Duration.ofSeconds(20));
            runner.withPropertyValues("zmq.sockets.py.type=DEALER", "zmq.sockets.py.connect=" + endpoint).run(ctx -> {
                var template = ctx.getBean(ZmqTemplate.class);
                // concurrent requests over one DEALER: libzmq's REP echoes the correlation envelope
                var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Message>>();
                for (int i = 0; i < 19; i++) {
                    futures.add(template.sendAndReceiveAsync("py", Message.of("q" + i), Duration.ofSeconds(20)));
                }
                for (int i = 0; i < 19; i++) {
                    assertThat(futures.get(i).get(20, TimeUnit.SECONDS)).isEqualTo(Message.of("py:q" + i));
                }
                assertThat(template.convertSendAndReceive("py", "last", String.class)).isEqualTo("py:last");
            });
            peer.expect("DONE", Duration.ofSeconds(10));
            assertThat(peer.awaitExit(Duration.ofSeconds(10))).as(peer.stderr()).isZero();
        }
    }
}
