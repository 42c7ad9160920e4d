package dev.zmq.spring.boot.autoconfigure.health;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.listener.ZmqMessageListenerContainer;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.socket.ZmqSocketBindException;
import java.lang.reflect.Field;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Timeout(60)
class ZmqHealthTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class,
            ZmqHealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class));

    @SuppressWarnings("unchecked")
    private static Map<String, Object> socketDetails(org.springframework.boot.health.contributor.Health health, String name) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("sockets")).get(name);
    }

    @Test
    void contributorIsNamedZmqAndCanBeDisabled() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(ZmqHealthIndicator.class);
            assertThat(ctx.getBean(HealthContributorRegistry.class).getContributor("zmq")).isInstanceOf(ZmqHealthIndicator.class);
        });
        runner.withPropertyValues("management.health.zmq.enabled=false").run(ctx -> assertThat(ctx).doesNotHaveBean(ZmqHealthIndicator.class));
        runner.withPropertyValues("management.health.defaults.enabled=false").run(ctx -> assertThat(ctx).doesNotHaveBean(ZmqHealthIndicator.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(ctx -> assertThat(ctx).doesNotHaveBean(ZmqHealthIndicator.class));
        runner.withBean("zmqHealthIndicator", HealthIndicator.class, () -> () -> org.springframework.boot.health.contributor.Health.up().build())
                .run(ctx -> assertThat(ctx).doesNotHaveBean(ZmqHealthIndicator.class));
    }

    @Test
    void upWithSocketTypesEndpointsAndPeers() {
        runner.withPropertyValues("zmq.sockets.server.type=ROUTER", "zmq.sockets.server.bind=tcp://127.0.0.1:*",
                "zmq.sockets.feed.type=SUB", "zmq.sockets.feed.connect=tcp://127.0.0.1:1", "zmq.sockets.feed.subscribe[0]=").run(ctx -> {
            var indicator = ctx.getBean(ZmqHealthIndicator.class);
            var health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("context", "open");
            var server = socketDetails(health, "server");
            assertThat(server).containsEntry("type", "ROUTER").containsEntry("owner", "configuration").containsEntry("closed", false);
            @SuppressWarnings("unchecked")
            var bound = (List<String>) server.get("bound");
            assertThat(bound).singleElement().asString().startsWith("tcp://127.0.0.1:").doesNotEndWith("*");
            assertThat(socketDetails(health, "feed")).containsEntry("type", "SUB").containsEntry("connected", List.of("tcp://127.0.0.1:1"));

            try (var dealer = ctx.getBean(ZmqContext.class).socket(SocketType.DEALER)) {
                dealer.set(SocketOption.LINGER, 0);
                dealer.connect(bound.get(0));
                awaitCondition(() -> ((List<?>) socketDetails(indicator.health(), "server").get("peers")).size() == 1, Duration.ofSeconds(10));
                assertThat((List<?>) socketDetails(indicator.health(), "server").get("peers")).singleElement().asString().startsWith("tcp://127.0.0.1:");
            }
            awaitCondition(() -> ((List<?>) socketDetails(indicator.health(), "server").get("peers")).isEmpty(), Duration.ofSeconds(10));
        });
    }

    @Test
    void downWhenTheContextIsClosed() {
        runner.run(ctx -> {
            ctx.getBean(ZmqContext.class).close();
            var health = ctx.getBean(ZmqHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("context", "closed");
            assertThat(health.getDetails().get("problems")).asString().contains("context is closed");
        });
    }

    /**
     * Issue 16, defect 3: when one of the context's I/O threads stops for good, its connections are no
     * longer served, so the contributor is DOWN and names the thread, although the context is still
     * open and every socket still exists.
     */
    @Test
    void downWhenAnIoThreadStoppedOnAnError() {
        runner.withPropertyValues("zmq.sockets.server.type=PULL", "zmq.sockets.server.bind=tcp://127.0.0.1:*").run(ctx -> {
            var zmq = ctx.getBean(ZmqContext.class);
            var indicator = (HealthIndicator) ctx.getBean(HealthContributorRegistry.class).getContributor("zmq");
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            assertThat(zmq.ioThreadFailures()).isEmpty();

            closeSelectorOfFirstIoThread(zmq);

            awaitCondition(() -> !zmq.ioThreadFailures().isEmpty(), Duration.ofSeconds(10));
            var health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("context", "open");
            assertThat((List<?>) health.getDetails().get("problems")).singleElement().asString()
                    .contains("I/O thread stopped").contains("zmq-io-").contains("ClosedSelectorException");
        });
    }

    /**
     * The one failure no peer can cause, as zmq-core's own IoThreadFailureTest induces it: the I/O
     * thread's selector is closed under it, so its next select fails. There is no public handle on an
     * I/O thread, so this reaches in by field name (ZmqContext.core, ContextCore.ioThreads,
     * IoThread.selector) without naming any zmq-core internal type.
     */
    private static void closeSelectorOfFirstIoThread(ZmqContext zmq) throws Exception {
        Object core = field(zmq, "core");
        Object firstThread = java.lang.reflect.Array.get(field(core, "ioThreads"), 0);
        ((Selector) field(firstThread, "selector")).close();
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        @Bean
        Object listeners() {
            return new Object() {
                @ZmqListener(id = "fixed", type = "PULL", bind = "${t.fixed}")
                void fixed(String s) {
                }

                @ZmqListener(id = "off", type = "PULL", bind = "inproc://off", autoStartup = "false")
                void off(String s) {
                }
            };
        }
    }

    @Test
    void stoppedListenersAreFineButAFailedBindIsDown() {
        String endpoint;
        try (var probe = new ZmqContext(); var s = probe.socket(SocketType.PULL)) {
            endpoint = s.bind("tcp://127.0.0.1:*"); // a port that was free a moment ago, for the listener's fixed bind
        }
        runner.withUserConfiguration(Listeners.class).withPropertyValues("t.fixed=" + endpoint).run(ctx -> {
            var indicator = ctx.getBean(ZmqHealthIndicator.class);
            var registry = ctx.getBean(ZmqListenerEndpointRegistry.class);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            registry.stop("fixed");
            assertThat(indicator.health().getStatus()).as("stopped on purpose").isEqualTo(Status.UP);
            try (var other = new ZmqContext(); var squatter = other.socket(SocketType.PULL)) {
                squatter.bind(endpoint);
                assertThatThrownBy(() -> registry.start("fixed")).hasCauseInstanceOf(dev.zmq.ZmqException.class)
                        .isInstanceOf(ZmqSocketBindException.class);
                var health = indicator.health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails().get("problems")).asString().contains("socket 'fixed' failed to bind")
                        .contains("listener 'fixed' failed to start");
                assertThat(registry.getListenerContainer("fixed").getState()).isEqualTo(ZmqMessageListenerContainer.State.FAILED);
                @SuppressWarnings("unchecked")
                var sockets = (Map<String, Map<String, Object>>) health.getDetails().get("sockets");
                assertThat(sockets.get("fixed")).containsEntry("bindFailed", true);
                assertThat(sockets.get("fixed").get("lastError")).asString().contains("cannot bind " + endpoint);
            }
            registry.start("fixed");
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            @SuppressWarnings("unchecked")
            var listeners = (Map<String, Map<String, Object>>) indicator.health().getDetails().get("listeners");
            assertThat(listeners.get("off")).containsEntry("state", "CREATED").containsEntry("autoStartup", false);
            assertThat(listeners.get("fixed")).containsEntry("state", "RUNNING");
        });
    }
}
