package dev.zmq.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.endpoint.ZmqEndpoint;
import dev.zmq.spring.boot.autoconfigure.health.ZmqHealthIndicator;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.boot.autoconfigure.metrics.ZmqMetrics;
import dev.zmq.spring.core.ZmqTemplate;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * What a user gets: a Boot application with the module on the classpath (auto-configurations
 * found through the imports file, next to actuator, metrics, Jackson and validation) and a few
 * lines of YAML.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class StarterApplicationTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class DemoApp {
        @Bean
        BlockingQueue<String> received() {
            return new LinkedBlockingQueue<>();
        }

        @Bean
        OrdersListener ordersListener(BlockingQueue<String> received) {
            return new OrdersListener(received);
        }
    }

    @Component
    static class OrdersListener {
        private final BlockingQueue<String> received;

        OrdersListener(BlockingQueue<String> received) {
            this.received = received;
        }

        @ZmqListener(socket = "orders-in")
        void onOrder(String order) {
            received.add(order);
        }
    }

    @Test
    void yamlSocketsListenersTemplateHealthAndMetricsWorkTogether() throws Exception {
        try (var app = new SpringApplicationBuilder(DemoApp.class).web(WebApplicationType.NONE).profiles("demo").run()) {
            var zmq = app.getBean(ZmqContext.class);
            assertThat(zmq.ioThreads()).isEqualTo(2);
            var out = app.getBean("orders-out", ZmqSocket.class);
            assertThat(out.type()).isEqualTo(SocketType.PUSH);
            assertThat(out.get(SocketOption.SNDHWM)).isEqualTo(10_000);
            assertThat(out.get(SocketOption.LINGER)).isEqualTo(2_000);
            assertThat(app.getBean("prices", ZmqSocket.class).type()).isEqualTo(SocketType.SUB);

            app.getBean(ZmqTemplate.class).send("orders-out", "order-42");
            @SuppressWarnings("unchecked")
            BlockingQueue<String> received = app.getBean("received", BlockingQueue.class);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("order-42");

            assertThat(app.getBean(ZmqHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
            assertThat(app.getBean(ZmqEndpoint.class).zmq()).containsKeys("context", "sockets", "listeners");
            assertThat(app.getBean(ZmqMetrics.class)).isNotNull();
            var sent = app.getBean(MeterRegistry.class).find("zmq.messages.sent").tag("socket", "orders-out").functionCounter();
            assertThat(sent).isNotNull();
            assertThat(sent.count()).isEqualTo(1);
        }
    }

    @Test
    void invalidYamlFailsWithTheAnalyzersReport(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(DemoApp.class).web(WebApplicationType.NONE).profiles("bad").run())
                .hasMessageContaining("zmq.sockets.orders.type");
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("Invalid ZeroMQ configuration")
                .contains("Property: zmq.sockets.orders.type")
                .contains("Value:    \"PUSHH\"")
                .contains("Set zmq.sockets.orders.type to one of PAIR, REQ, REP");
    }
}
