package dev.zmq.spring.boot.autoconfigure.template;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.inproc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.core.ZmqReplyTimeoutException;
import dev.zmq.spring.core.ZmqTemplate;
import dev.zmq.spring.core.ZmqTemplateException;
import dev.zmq.spring.listener.ZmqListener;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

/**
 * The template's {@code zmq.template} observations of requests, synchronous and asynchronous, with a real
 * {@link ObservationRegistry} whose handler records every observation and propagates a trace id the way
 * Micrometer Tracing's propagating handlers do (into the sender context's carrier, i.e. the header frame).
 */
@Timeout(60)
class ZmqTemplateObservationTests {

    private static final String SPAN = "-00f067aa0ba902b7-01";

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class,
            ZmqTemplateAutoConfiguration.class)).withUserConfiguration(Observed.class)
            .withPropertyValues("zmq.template.observation-enabled=true");

    /** Records started and stopped observations; children inherit their parent's trace id, senders write it into their carrier. */
    static final class Recorder implements ObservationHandler<Observation.Context> {
        final List<Observation.Context> started = new CopyOnWriteArrayList<>();
        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
        final List<Observation.Context> failed = new CopyOnWriteArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        public void onStart(Observation.Context context) {
            var parent = context.getParentObservation();
            String traceId = parent == null ? null : parent.getContextView().get("traceId");
            if (traceId == null) {
                var bytes = new byte[16];
                ThreadLocalRandom.current().nextBytes(bytes);
                traceId = HexFormat.of().formatHex(bytes);
            }
            context.put("traceId", traceId);
            if (context instanceof SenderContext<?> sender) {
                var s = (SenderContext<Object>) sender;
                s.getSetter().set(s.getCarrier(), "traceparent", "00-" + traceId + SPAN);
            }
            started.add(context);
        }

        @Override
        public void onError(Observation.Context context) {
            failed.add(context);
        }

        @Override
        public void onStop(Observation.Context context) {
            stopped.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        static List<Observation.Context> template(List<Observation.Context> contexts) {
            return contexts.stream().filter(c -> "zmq.template".equals(c.getName())).toList();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Observed {
        final Recorder recorder = new Recorder();

        @Bean
        ObservationRegistry observationRegistry() {
            var registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(recorder);
            return registry;
        }

        @Bean
        Object tracedEcho() {
            return new Object() {
                /** Answers with the body and the traceparent its request carried in the header frame. */
                @ZmqListener(id = "traced", type = "REP", bind = "inproc://traced", headers = "true")
                String echo(String body, @Header(name = "traceparent", required = false) String traceparent) {
                    return body + "|" + traceparent;
                }
            };
        }
    }

    private static Recorder recorder(AssertableApplicationContext ctx) {
        return ctx.getBean(Observed.class).recorder;
    }

    private static Map<String, String> tags(Observation.Context context) {
        return context.getLowCardinalityKeyValues().stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    private static ZmqSocket sink(AssertableApplicationContext ctx, SocketType type, String endpoint) {
        var s = ctx.getBean(ZmqContext.class).socket(type);
        s.set(SocketOption.LINGER, 0);
        s.bind(endpoint);
        return s;
    }

    @Test
    void asyncRequestsAreObservedLikeSyncOnesAndCarryTheCallersTrace() {
        runner.withPropertyValues("zmq.sockets.rpc.type=DEALER", "zmq.sockets.rpc.connect=inproc://traced", "zmq.sockets.rpc.headers=true",
                "zmq.sockets.req.type=REQ", "zmq.sockets.req.connect=inproc://traced", "zmq.sockets.req.headers=true").run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            var recorder = recorder(ctx);
            var caller = Observation.start("caller", ctx.getBean(ObservationRegistry.class));
            String traceparent = "00-" + caller.getContextView().get("traceId") + SPAN;
            String sync;
            CompletableFuture<Message> dealerAsync;
            CompletableFuture<Message> reqAsync;
            try (var scope = caller.openScope()) {
                sync = template.sendAndReceive("rpc", Message.of("sync")).frameString(0);
                dealerAsync = template.sendAndReceiveAsync("rpc", Message.of("dealer"));
                reqAsync = template.sendAndReceiveAsync("req", Message.of("req"), Duration.ofSeconds(10));
            }
            assertThat(sync).isEqualTo("sync|" + traceparent);
            assertThat(dealerAsync.get(10, TimeUnit.SECONDS).frameString(0)).as("the caller's trace reached the replier")
                    .isEqualTo("dealer|" + traceparent);
            assertThat(reqAsync.get(10, TimeUnit.SECONDS).frameString(0)).isEqualTo("req|" + traceparent);
            caller.stop();

            // a future completes only once its observation has stopped
            var observed = Recorder.template(recorder.stopped);
            assertThat(observed).hasSize(3);
            var syncContext = observed.get(0);
            assertThat(tags(syncContext)).isEqualTo(Map.of("zmq.operation", "request", "zmq.socket.name", "rpc", "zmq.socket.type", "DEALER"));
            assertThat(observed).allSatisfy(c -> {
                assertThat(c.getError()).isNull();
                assertThat(c.getParentObservation()).as("the caller's observation is the parent").isSameAs(caller);
            });
            var byName = observed.stream().collect(Collectors.groupingBy(c -> tags(c).get("zmq.socket.name")));
            assertThat(byName.get("rpc")).hasSize(2).allSatisfy(c -> {
                assertThat(tags(c)).isEqualTo(tags(syncContext));
                assertThat(c.getContextualName()).isEqualTo("rpc request");
            });
            assertThat(byName.get("req")).singleElement().satisfies(c -> {
                assertThat(tags(c)).isEqualTo(Map.of("zmq.operation", "request", "zmq.socket.name", "req", "zmq.socket.type", "REQ"));
                assertThat(c.getContextualName()).isEqualTo("req request");
            });
        });
    }

    @Test
    void theAsyncObservationLastsUntilTheReplyArrives() {
        var endpoint = inproc("replier");
        runner.withPropertyValues("zmq.sockets.rpc.type=DEALER", "zmq.sockets.rpc.connect=" + endpoint).run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            var recorder = recorder(ctx);
            try (var replier = sink(ctx, SocketType.ROUTER, endpoint)) {
                var future = template.sendAndReceiveAsync("rpc", Message.of("question"), Duration.ofSeconds(20));
                var request = replier.recv(Duration.ofSeconds(10));
                assertThat(request).as("the request reached the replier").isNotNull();
                assertThat(request.frameString(request.size() - 1)).isEqualTo("question");

                // sent, not answered: the observation is running
                assertThat(Recorder.template(recorder.started)).hasSize(1);
                assertThat(Recorder.template(recorder.stopped)).isEmpty();
                assertThat(future).isNotDone();

                replier.send(Message.of("answer").prepend(request.frames().subList(0, request.size() - 1).toArray(byte[][]::new)));
                assertThat(future.get(10, TimeUnit.SECONDS).frameString(0)).isEqualTo("answer");
                assertThat(Recorder.template(recorder.stopped)).singleElement().satisfies(c -> {
                    assertThat(c).isSameAs(Recorder.template(recorder.started).get(0));
                    assertThat(c.getError()).isNull();
                });
                assertThat(recorder.failed).isEmpty();
            }
        });
    }

    @Test
    void aTimedOutAsyncRequestStopsItsObservationWithTheTimeoutAsError() {
        var silent = inproc("silent");
        runner.withPropertyValues("zmq.sockets.rpc.type=DEALER", "zmq.sockets.rpc.connect=" + silent,
                "zmq.sockets.req.type=REQ", "zmq.sockets.req.connect=" + silent).run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            var recorder = recorder(ctx);
            try (var blackHole = sink(ctx, SocketType.ROUTER, silent)) {
                assertThatThrownBy(() -> template.sendAndReceive("rpc", Message.of("sync"), Duration.ofMillis(100)))
                        .isInstanceOf(ZmqReplyTimeoutException.class);
                var dealer = template.sendAndReceiveAsync("rpc", Message.of("dealer"), Duration.ofMillis(100));
                assertThatThrownBy(() -> dealer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(ZmqReplyTimeoutException.class);
                var req = template.sendAndReceiveAsync("req", Message.of("req"), Duration.ofMillis(100));
                assertThatThrownBy(() -> req.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(ZmqReplyTimeoutException.class);

                var observed = Recorder.template(recorder.stopped);
                assertThat(observed).hasSize(3).allSatisfy(c -> {
                    assertThat(c.getError()).as("the error is the timeout itself, not a CompletionException")
                            .isInstanceOf(ZmqReplyTimeoutException.class);
                    assertThat(tags(c)).containsEntry("zmq.operation", "request");
                });
                assertThat(observed.stream().map(c -> tags(c).get("zmq.socket.name")).toList()).containsExactly("rpc", "rpc", "req");
                assertThat(Recorder.template(recorder.failed)).as("each error is reported once").hasSize(3);
            }
        });
    }

    @Test
    void anAsyncRequestThatCannotStartIsObservedAsFailed() {
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=" + inproc("nowhere")).run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            assertThatThrownBy(() -> template.sendAndReceiveAsync("out", Message.of("x"))).isInstanceOf(ZmqTemplateException.class)
                    .hasMessageContaining("is a PUSH: request-reply needs a DEALER");
            assertThat(Recorder.template(recorder(ctx).stopped)).singleElement().satisfies(c -> {
                assertThat(c.getError()).isInstanceOf(ZmqTemplateException.class);
                assertThat(tags(c)).containsEntry("zmq.socket.type", "PUSH");
            });
            assertThat(Recorder.template(recorder(ctx).started)).hasSize(1);
            assertThat(Recorder.template(recorder(ctx).failed)).hasSize(1);
        });
    }
}
