package dev.zmq.spring.boot.autoconfigure.interop;

import dev.zmq.spring.boot.test.ZmqTestEndpointsInitializer;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.B3Propagation;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
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
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer Tracing (Brave bridge, B3 propagation) in two applications with a libzmq program between them that
 * forwards frames unchanged: the listener's span is in the sender's trace, a child of the send's span.
 */
@Timeout(90)
class BraveTracePropagationInteropTests {

    /** One service's tracer: Brave behind Micrometer Tracing, its finished spans kept. */
    static final class Service implements AutoCloseable {
        final List<MutableSpan> spans = new CopyOnWriteArrayList<>();
        final Tracing tracing;
        final Tracer tracer;
        final ObservationRegistry registry = ObservationRegistry.create();

        Service(String name) {
            tracing = Tracing.newBuilder().localServiceName(name).propagationFactory(B3Propagation.FACTORY)
                    .currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder().build())
                    .addSpanHandler(new SpanHandler() {
                        @Override
                        public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                            spans.add(span);
                            return true;
                        }
                    }).build();
            tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()), new BraveBaggageManager());
            var propagator = new BravePropagator(tracing);
            registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                    new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                    new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                    new DefaultTracingObservationHandler(tracer)));
        }

        MutableSpan span(String name) {
            return spans.stream().filter(s -> name.equals(s.name())).findFirst()
                    .orElseThrow(() -> new AssertionError("no span '" + name + "' among " + spans.stream().map(MutableSpan::name).toList()));
        }

        @Override
        public void close() {
            tracing.close();
        }
    }

    static Service upstream;
    static Service downstream;

    @AfterEach
    void closeTracers() {
        if (upstream != null) {
            upstream.close();
        }
        if (downstream != null) {
            downstream.close();
        }
    }

    record Order(String item) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Downstream {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Bean
        ObservationRegistry observationRegistry() {
            return downstream.registry;
        }

        @Bean
        Object billing() {
            var state = this;
            return new Object() {
                @ZmqListener(id = "billing", type = "PULL", bind = "tcp://127.0.0.1:*", headers = "true")
                void bill(Order order) {
                    state.seen.add(order.item() + " in trace " + downstream.tracer.currentSpan().context().traceId());
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Upstream {
        @Bean
        ObservationRegistry observationRegistry() {
            return upstream.registry;
        }
    }

    private static ApplicationContextRunner app() {
        return new ApplicationContextRunner().withInitializer(new ZmqTestEndpointsInitializer()).withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class,
                ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class, ZmqTemplateAutoConfiguration.class,
                JacksonAutoConfiguration.class));
    }

    @Test
    void theListenerSpanContinuesTheSendersTraceThroughALibzmqHop() {
        upstream = new Service("orders");
        downstream = new Service("billing");
        app().withUserConfiguration(Downstream.class).withPropertyValues("zmq.listener.observation-enabled=true").run(down -> {
            var billing = down.getEnvironment().getProperty("local.zmq.billing.endpoint");
            try (var hop = PyzmqPeer.startScript("forwarder.py", billing, "1")) {
                var hopEndpoint = hop.expect("ENDPOINT", Duration.ofSeconds(20));
                app().withUserConfiguration(Upstream.class).withPropertyValues("zmq.template.observation-enabled=true",
                        "zmq.sockets.invoices.type=PUSH", "zmq.sockets.invoices.connect=" + hopEndpoint,
                        "zmq.sockets.invoices.headers=true").run(up -> {
                    var template = up.getBean(ZmqTemplate.class);
                    var checkout = Observation.start("checkout", upstream.registry);
                    try (var scope = checkout.openScope()) {
                        template.convertAndSendWithHeaders("invoices", new Order("tea"), Map.of());
                    } finally {
                        checkout.stop();
                    }
                    hop.expect("FORWARDED", Duration.ofSeconds(20));
                    var state = down.getBean(Downstream.class);
                    awaitCondition(() -> !state.seen.isEmpty() && downstream.spans.stream().anyMatch(s -> "billing receive".equals(s.name())),
                            Duration.ofSeconds(20));
                    var root = upstream.span("checkout");
                    var send = upstream.span("invoices send");
                    var receive = downstream.span("billing receive");
                    assertThat(send.traceId()).isEqualTo(root.traceId());
                    assertThat(send.parentId()).isEqualTo(root.id());
                    assertThat(receive.traceId()).as("one trace id end to end").isEqualTo(root.traceId());
                    assertThat(receive.parentId()).as("the receive is a child of the send").isEqualTo(send.id());
                    assertThat(state.seen).containsExactly("tea in trace " + root.traceId());
                });
            }
        });
    }
}
