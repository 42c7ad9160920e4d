package dev.zmq.spring.boot.autoconfigure.interop;

import dev.zmq.spring.boot.test.ZmqTestEndpointsInitializer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.listener.ZmqErrorReplyException;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The README's pyzmq reader tells our REP listener's error replies from its replies. */
@Timeout(60)
class ErrorReplyInteropTests {

    @Configuration(proxyBeanMethods = false)
    static class Replier {
        @Bean
        Object replier() {
            return new Object() {
                @ZmqListener(id = "lookup", type = "REP", bind = "tcp://127.0.0.1:*")
                String lookup(String key) {
                    return switch (key) {
                        case "missing" -> throw new ZmqErrorReplyException("NOT_FOUND", "no entry for 'missing'");
                        case "crash" -> throw new IllegalStateException("secret connection string");
                        default -> "value of " + key;
                    };
                }
            };
        }
    }

    @Test
    void aLibzmqRequesterTellsErrorRepliesFromReplies() {
        new ApplicationContextRunner().withInitializer(new ZmqTestEndpointsInitializer()).withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class,
                        ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class))
                .withUserConfiguration(Replier.class)
                .run(ctx -> {
                    var endpoint = ctx.getEnvironment().getProperty("local.zmq.lookup.endpoint");
                    try (var peer = PyzmqPeer.startScript("error_reply_client.py", endpoint, "a", "missing", "crash", "b")) {
                        assertThat(peer.expect("REPLY", Duration.ofSeconds(20))).isEqualTo("value of a");
                        assertThat(peer.expect("ERROR", Duration.ofSeconds(10))).isEqualTo("NOT_FOUND no entry for 'missing'");
                        // the exception's text stays in the process unless zmq.listener.error-reply.include-message=true
                        assertThat(peer.expect("ERROR", Duration.ofSeconds(10))).isEqualTo("INTERNAL the listener failed");
                        assertThat(peer.expect("REPLY", Duration.ofSeconds(10))).isEqualTo("value of b");
                        assertThat(peer.awaitExit(Duration.ofSeconds(10))).isZero();
                    }
                });
    }
}
