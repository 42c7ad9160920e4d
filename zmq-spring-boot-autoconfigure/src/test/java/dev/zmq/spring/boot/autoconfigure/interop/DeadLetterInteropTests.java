package dev.zmq.spring.boot.autoconfigure.interop;

import dev.zmq.spring.boot.test.ZmqTestEndpointsInitializer;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** A libzmq (pyzmq) consumer of the dead-letter socket reads the header frame and the original frames. */
@Timeout(60)
class DeadLetterInteropTests {

    @Configuration(proxyBeanMethods = false)
    static class Failing {
        @Bean
        Object failing() {
            return new Object() {
                // tag::dead-letter[]
                @ZmqListener(id = "payments", type = "PULL", bind = "tcp://127.0.0.1:*", maxAttempts = "3", backoff = "1ms",
                        deadLetter = "failed-payments")
                void pay(Message message) {
                    throw new IllegalStateException("card declined");
                }
                // end::dead-letter[]
            };
        }
    }

    @Test
    void aLibzmqConsumerReadsTheDeadLetter() {
        new ApplicationContextRunner().withInitializer(new ZmqTestEndpointsInitializer()).withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class,
                        ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class))
                .withUserConfiguration(Failing.class)
                .withPropertyValues("zmq.sockets.failed-payments.type=PUSH", "zmq.sockets.failed-payments.bind=tcp://127.0.0.1:*")
                .run(ctx -> {
                    var dlq = ctx.getEnvironment().getProperty("local.zmq.failed-payments.endpoint");
                    var listener = ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("payments");
                    var endpoint = ctx.getEnvironment().getProperty("local.zmq.payments.endpoint");
                    try (var peer = PyzmqPeer.startScript("dead_letter_consumer.py", dlq);
                         var push = ctx.getBean(ZmqContext.class).socket(SocketType.PUSH)) {
                        peer.expect("READY", Duration.ofSeconds(20));
                        push.set(SocketOption.LINGER, 1000);
                        push.connect(endpoint);
                        push.send(Message.of("payment-42", "{\"amount\":12}"));
                        var headers = JsonMapper.builder().build().readTree(peer.expect("HEADERS", Duration.ofSeconds(20)));
                        assertThat(headers.get("dead-letter-listener").asString()).isEqualTo("payments");
                        assertThat(headers.get("dead-letter-socket").asString()).isEqualTo("payments");
                        assertThat(headers.get("dead-letter-attempts").asString()).isEqualTo("3");
                        assertThat(headers.get("dead-letter-exception").asString()).isEqualTo("java.lang.IllegalStateException");
                        assertThat(headers.get("dead-letter-reason").asString()).isEqualTo("card declined");
                        assertThat(peer.expect("FRAMES", Duration.ofSeconds(5))).isEqualTo("[\"payment-42\", \"{\\\"amount\\\":12}\"]");
                        awaitCondition(() -> listener.getOutcomes().recovered() == 1, Duration.ofSeconds(5));
                    }
                });
    }
}
