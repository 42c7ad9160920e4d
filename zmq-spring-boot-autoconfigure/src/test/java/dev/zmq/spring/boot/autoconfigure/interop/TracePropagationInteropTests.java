package dev.zmq.spring.boot.autoconfigure.interop;

import dev.zmq.spring.boot.test.ZmqTestEndpointsInitializer;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.template.ZmqTemplateAutoConfiguration;
import dev.zmq.spring.core.ZmqTemplate;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

/**
 * One trace across two applications and a libzmq hop that forwards frames unchanged: the sender's
 * observation writes its context into the header frame (as Micrometer Tracing's propagating handlers do,
 * through {@code SenderContext}'s setter), the receiver's observation reads it back (through
 * {@code ReceiverContext}'s getter). A small W3C-style propagating handler writes {@code traceparent}, which the
 * listener reads as a header; {@link BraveTracePropagationInteropTests} does it with Micrometer Tracing itself.
 */
@Timeout(90)
class TracePropagationInteropTests {

    /** Propagates a trace id the W3C way: child observations inherit it, senders inject it, receivers extract it. */
    static final class W3cPropagation implements ObservationHandler<Observation.Context> {
        final List<String> extracted = new CopyOnWriteArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            String traceId = null;
            if (context instanceof ReceiverContext<?> receiver) {
                var r = (ReceiverContext<Object>) receiver;
                var traceparent = r.getGetter().get(r.getCarrier(), "traceparent");
                traceId = traceparent == null ? null : traceparent.split("-")[1];
                extracted.add(String.valueOf(traceId));
            } else if (context.getParentObservation() != null) {
                traceId = context.getParentObservation().getContextView().get("traceId");
            }
            if (traceId == null) {
                traceId = HexFormat.of().formatHex(ThreadLocalRandom.current().ints(16, 0, 256)
                        .collect(java.io.ByteArrayOutputStream::new, java.io.ByteArrayOutputStream::write, (a, b) -> { }).toByteArray());
            }
            context.put("traceId", traceId);
            if (context instanceof SenderContext<?> sender) {
                var s = (SenderContext<Object>) sender;
                s.getSetter().set(s.getCarrier(), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    static ObservationRegistry registry(W3cPropagation propagation) {
        var registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(propagation);
        return registry;
    }

    record Order(String item) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Downstream {
        final W3cPropagation propagation = new W3cPropagation();
        final List<List<String>> seen = new CopyOnWriteArrayList<>();

        @Bean
        ObservationRegistry observationRegistry() {
            return registry(propagation);
        }

        @Bean
        Object shipping(ObservationRegistry observations) {
            var state = this;
            return new Object() {
                // tag::listener[]
                @ZmqListener(id = "shipping", type = "PULL", bind = "tcp://127.0.0.1:*", headers = "true")
                void ship(Order order, @Header("traceparent") String traceparent, @Header("tenant") String tenant) {
                    String current = observations.getCurrentObservation().getContextView().get("traceId");
                    state.seen.add(List.of(order.item(), traceparent, tenant, current));
                }
                // end::listener[]
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Upstream {
        final W3cPropagation propagation = new W3cPropagation();

        @Bean
        ObservationRegistry observationRegistry() {
            return registry(propagation);
        }
    }

    private static ApplicationContextRunner app() {
        return new ApplicationContextRunner().withInitializer(new ZmqTestEndpointsInitializer()).withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class,
                ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class, ZmqTemplateAutoConfiguration.class,
                JacksonAutoConfiguration.class));
    }

    @Test
    void oneTraceIdFromTheSenderThroughALibzmqHopToTheListener() {
        app().withUserConfiguration(Downstream.class).withPropertyValues("zmq.listener.observation-enabled=true").run(downstream -> {
            var shipping = downstream.getEnvironment().getProperty("local.zmq.shipping.endpoint");
            try (var hop = PyzmqPeer.startScript("forwarder.py", shipping, "1")) {
                var hopEndpoint = hop.expect("ENDPOINT", Duration.ofSeconds(20));
                app().withUserConfiguration(Upstream.class).withPropertyValues("zmq.template.observation-enabled=true",
                        "zmq.sockets.shipments.type=PUSH", "zmq.sockets.shipments.connect=" + hopEndpoint,
                        "zmq.sockets.shipments.headers=true").run(upstream -> {
                    var observations = upstream.getBean(ObservationRegistry.class);
                    var template = upstream.getBean(ZmqTemplate.class);
                    var checkout = Observation.start("checkout", observations);
                    String traceId = checkout.getContextView().get("traceId");
                    try (var scope = checkout.openScope()) {
                        // tag::send[]
                        template.convertAndSendWithHeaders("shipments", new Order("tea"), Map.of("tenant", "acme"));
                        // end::send[]
                    } finally {
                        checkout.stop();
                    }
                    assertThat(hop.expect("FORWARDED", Duration.ofSeconds(20))).as("the hop saw [header frame, body]").isEqualTo("2 ff5a4801");
                    var state = downstream.getBean(Downstream.class);
                    awaitCondition(() -> !state.seen.isEmpty(), Duration.ofSeconds(20));
                    var seen = state.seen.get(0);
                    assertThat(seen.get(0)).isEqualTo("tea");
                    assertThat(seen.get(1)).isEqualTo("00-" + traceId + "-00f067aa0ba902b7-01");
                    assertThat(seen.get(2)).isEqualTo("acme");
                    assertThat(seen.get(3)).as("the listener's observation continues the sender's trace").isEqualTo(traceId);
                    assertThat(state.propagation.extracted).containsExactly(traceId);
                });
            }
        });
    }
}
