package dev.zmq.spring.boot.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code zmq} actuator endpoint. */
@Timeout(30)
class ZmqEndpointTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class,
            ZmqEndpointAutoConfiguration.class)).withPropertyValues("management.endpoints.web.exposure.include=zmq");

    @Configuration(proxyBeanMethods = false)
    static class OneListener {
        @Bean
        Object listener() {
            return new Object() {
                @ZmqListener(id = "jobs", type = "PULL", bind = "inproc://jobs")
                void on(String s) {
                }
            };
        }
    }

    @Test
    void availableOnlyWhenExposedAndOnTheClasspath() {
        runner.run(ctx -> assertThat(ctx).hasSingleBean(ZmqEndpoint.class));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class,
                ZmqSocketAutoConfiguration.class, ZmqEndpointAutoConfiguration.class)).run(ctx -> assertThat(ctx).doesNotHaveBean(ZmqEndpoint.class));
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class)).run(ctx -> assertThat(ctx).doesNotHaveBean(ZmqEndpoint.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void listsSocketsAndListenersAndControlsListeners() {
        runner.withUserConfiguration(OneListener.class).withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=inproc://jobs")
                .run(ctx -> {
                    var endpoint = ctx.getBean(ZmqEndpoint.class);
                    var all = endpoint.zmq();
                    assertThat((Map<String, Object>) all.get("context")).containsEntry("closed", false).containsEntry("maxLingerMillis", 3000L);
                    var sockets = (Map<String, Map<String, Object>>) all.get("sockets");
                    assertThat(sockets).containsKeys("out", "jobs");
                    assertThat(sockets.get("out")).containsEntry("type", "PUSH").containsEntry("owner", "configuration");
                    assertThat(sockets.get("jobs")).containsEntry("type", "PULL").containsEntry("owner", "listener");
                    var listeners = (Map<String, Map<String, Object>>) all.get("listeners");
                    assertThat(listeners.get("jobs")).containsEntry("state", "RUNNING").containsEntry("socket", "jobs");

                    assertThat(endpoint.control("jobs", "pause")).containsEntry("state", "PAUSED").containsEntry("paused", true);
                    assertThat(endpoint.control("jobs", "resume")).containsEntry("state", "RUNNING");
                    assertThat(endpoint.control("jobs", "stop")).containsEntry("state", "STOPPED").containsEntry("running", false);
                    assertThat(ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("jobs").isRunning()).isFalse();
                    assertThat(endpoint.control("jobs", "start")).containsEntry("state", "RUNNING");
                    assertThat(endpoint.listener("jobs")).containsEntry("concurrency", 1);
                    assertThat(endpoint.listener("nope")).isNull();
                    assertThatThrownBy(() -> endpoint.control("jobs", "explode")).isInstanceOf(IllegalArgumentException.class);
                });
    }
}
