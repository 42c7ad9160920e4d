package dev.zmq.spring.boot.autoconfigure.testsupport;

import dev.zmq.spring.boot.test.ZmqListenerTestHarness;
import dev.zmq.spring.boot.test.ZmqTestEndpointsInitializer;
import dev.zmq.spring.boot.test.ZmqTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.listener.ZmqHeaders;
import dev.zmq.spring.listener.ZmqListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.handler.annotation.Header;

@Timeout(60)
class ZmqTestSupportTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ZmqTestEndpointsInitializer())
            .withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class,
                    ZmqListenerAutoConfiguration.class))
            .withUserConfiguration(Listeners.class)
            .withPropertyValues("zmq.sockets.jobs.type=PULL", "zmq.sockets.jobs.bind=tcp://127.0.0.1:*",
                    "zmq.sockets.news.type=PUB", "zmq.sockets.news.bind=tcp://127.0.0.1:*");

    @Configuration(proxyBeanMethods = false)
    @Import(ZmqListenerTestHarness.class)
    static class Listeners {
        @Bean
        Object listeners() {
            return new Object() {
                @ZmqListener(id = "jobs", socket = "jobs")
                String job(String body) {
                    if (body.equals("bad")) {
                        throw new IllegalArgumentException("bad job");
                    }
                    return "done " + body;
                }

                @ZmqListener(id = "inline", type = "PULL", bind = "tcp://127.0.0.1:*")
                void inline(String body) {
                }

                @ZmqListener(id = "news", type = "SUB", connect = "${local.zmq.news.endpoint}", topics = "sport")
                void news(String body, @Header(ZmqHeaders.TOPIC) String topic) {
                }
            };
        }
    }

    private static ZmqSocket push(ZmqContext context, String endpoint) {
        var push = context.socket(SocketType.PUSH);
        push.set(SocketOption.LINGER, 1000);
        push.connect(endpoint);
        return push;
    }

    @Test
    void realEndpointsArePropertiesAndTheHarnessCapturesCallsResultsAndFailures() throws Exception {
        runner.run(ctx -> {
            var endpoint = ctx.getEnvironment().getProperty("local.zmq.jobs.endpoint");
            assertThat(endpoint).startsWith("tcp://127.0.0.1:").doesNotEndWith("*");
            assertThat(ctx.getEnvironment().getProperty("local.zmq.inline.endpoint")).startsWith("tcp://127.0.0.1:").isNotEqualTo(endpoint);
            assertThat(ctx.getEnvironment().getProperty("local.zmq.unknown.endpoint")).isNull();
            var harness = ctx.getBean(ZmqListenerTestHarness.class);
            try (var push = push(ctx.getBean(ZmqContext.class), endpoint)) {
                ZmqTestUtils.awaitPeers(push, 1, Duration.ofSeconds(10));
                push.send("one");
                push.send("bad");
                var calls = harness.await("jobs", 2, Duration.ofSeconds(10));
                assertThat(new String((byte[]) calls.get(0).message().getPayload(), StandardCharsets.UTF_8)).isEqualTo("one");
                assertThat(calls.get(0).result()).isEqualTo("done one");
                assertThat(calls.get(0).failure()).isNull();
                assertThat(calls.get(1).failure()).isInstanceOf(IllegalArgumentException.class).hasMessage("bad job");
                assertThat(calls.get(1).attempts()).isEqualTo(1);
            }
            assertThatThrownBy(() -> harness.await("jobs", 3, Duration.ofMillis(50))).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("called 2 time(s)");
        });
    }

    @Test
    void publishingUntilTheSubscriberHasItOvercomesTheSlowJoiner() {
        runner.run(ctx -> {
            var harness = ctx.getBean(ZmqListenerTestHarness.class);
            var news = ctx.getBean("news", ZmqSocket.class);
            ZmqTestUtils.publishUntilReceived(() -> news.send(dev.zmq.Message.of("sport", "goal")),
                    () -> !harness.invocations("news").isEmpty(), Duration.ofSeconds(10));
            assertThat(harness.invocations("news").get(0).message().getHeaders().get(ZmqHeaders.TOPIC)).isEqualTo("sport");
            assertThatThrownBy(() -> ZmqTestUtils.awaitPeers(news, 5, Duration.ofMillis(50))).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("expected 5");
        });
    }
}
