package dev.zmq.spring.boot.autoconfigure.metrics;

import dev.zmq.spring.boot.test.ZmqTestEndpointsInitializer;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import dev.zmq.spring.core.ZmqTemplate;
import dev.zmq.spring.boot.autoconfigure.template.ZmqTemplateAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Timeout(60)
class ZmqMetricsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withInitializer(new ZmqTestEndpointsInitializer()).withConfiguration(AutoConfigurations.of(
            ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class,
            ZmqTemplateAutoConfiguration.class, ZmqMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class));

    private static double counter(MeterRegistry registry, String name, String socket) {
        var meter = registry.find(name).tag("socket", socket).functionCounter();
        assertThat(meter).as("%s{socket=%s}", name, socket).isNotNull();
        return meter.count();
    }

    @Configuration(proxyBeanMethods = false)
    static class Echo {
        @Bean
        Object echo() {
            return new Object() {
                @ZmqListener(id = "echo", type = "REP", bind = "tcp://127.0.0.1:*")
                String echo(String s) {
                    return s + s;
                }
            };
        }
    }

    @Test
    void trafficAndPeersAreMeteredPerSocketNameAndType() {
        runner.withUserConfiguration(Echo.class).run(ctx -> {
            var meters = ctx.getBean(MeterRegistry.class);
            var endpoint = ctx.getEnvironment().getProperty("local.zmq.echo.endpoint");
            try (var req = ctx.getBean(ZmqContext.class).socket(SocketType.REQ)) {
                req.set(SocketOption.LINGER, 0);
                req.connect(endpoint);
                for (int i = 0; i < 3; i++) {
                    req.send("abc");
                    assertThat(req.recv(Duration.ofSeconds(5)).frameString(0)).isEqualTo("abcabc");
                }
                assertThat(counter(meters, "zmq.messages.received", "echo")).isEqualTo(3);
                assertThat(counter(meters, "zmq.bytes.received", "echo")).isEqualTo(9);
                // The reply can reach us before the listener counts it as sent: wait for the count.
                awaitCondition(() -> counter(meters, "zmq.messages.sent", "echo") == 3, Duration.ofSeconds(5));
                awaitCondition(() -> counter(meters, "zmq.bytes.sent", "echo") == 18, Duration.ofSeconds(5));
                assertThat(meters.find("zmq.messages.sent").tag("socket", "echo").tag("type", "REP").functionCounter()).isNotNull();
                awaitCondition(() -> meters.get("zmq.peers.connected").tag("socket", "echo").gauge().value() == 1, Duration.ofSeconds(5));
            }
            awaitCondition(() -> meters.get("zmq.peers.connected").tag("socket", "echo").gauge().value() == 0, Duration.ofSeconds(5));
        });
    }

    /** A listener stopped and started again gets a new socket under the same name: its meters keep counting. */
    @Test
    void metersAccumulateAcrossAListenerRestart() {
        runner.withUserConfiguration(Echo.class).run(ctx -> {
            var meters = ctx.getBean(MeterRegistry.class);
            var listeners = ctx.getBean(ZmqListenerEndpointRegistry.class);
            for (int round = 1; round <= 2; round++) {
                var endpoint = ctx.getEnvironment().getProperty("local.zmq.echo.endpoint");
                try (var req = ctx.getBean(ZmqContext.class).socket(SocketType.REQ)) {
                    req.set(SocketOption.LINGER, 0);
                    req.connect(endpoint);
                    for (int i = 0; i < 2; i++) {
                        req.send("ab");
                        assertThat(req.recv(Duration.ofSeconds(5)).frameString(0)).isEqualTo("abab");
                    }
                }
                int expected = 2 * round;
                assertThat(counter(meters, "zmq.messages.received", "echo")).isEqualTo(expected);
                awaitCondition(() -> counter(meters, "zmq.messages.sent", "echo") == expected, Duration.ofSeconds(5));
                listeners.stop("echo");
                listeners.start("echo");
            }
            assertThat(counter(meters, "zmq.bytes.received", "echo")).isEqualTo(8);
            assertThat(counter(meters, "zmq.bytes.sent", "echo")).isEqualTo(16);
            assertThat(meters.find("zmq.messages.sent").tag("socket", "echo").functionCounters()).hasSize(1);
        });
    }

    /** The meters read the core's statistics: a socket bean used directly by the application is counted too. */
    @Test
    void trafficThroughAnInjectedSocketBeanIsCounted() {
        var endpoint = dev.zmq.spring.boot.autoconfigure.TestSupport.inproc("direct");
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.bind=" + endpoint,
                "zmq.sockets.in.type=PULL", "zmq.sockets.in.connect=" + endpoint).run(ctx -> {
            var meters = ctx.getBean(MeterRegistry.class);
            var out = ctx.getBean("out", dev.zmq.ZmqSocket.class);
            var in = ctx.getBean("in", dev.zmq.ZmqSocket.class);
            for (int i = 0; i < 5; i++) {
                out.send(Message.of("key", "value-" + i)); // two frames, 10 bytes
            }
            for (int i = 0; i < 5; i++) {
                assertThat(in.recv(Duration.ofSeconds(5))).isNotNull();
            }
            assertThat(counter(meters, "zmq.messages.sent", "out")).isEqualTo(5);
            assertThat(counter(meters, "zmq.bytes.sent", "out")).isEqualTo(50);
            assertThat(counter(meters, "zmq.messages.received", "in")).isEqualTo(5);
            assertThat(counter(meters, "zmq.bytes.received", "in")).isEqualTo(50);
            assertThat(counter(meters, "zmq.messages.dropped", "out")).isZero();
            assertThat(meters.get("zmq.peers.connected").tag("socket", "in").gauge().value()).isEqualTo(1);
        });
    }

    /** A subscriber that stops reading: the PUB socket bean drops at its high-water mark, and the meter shows it. */
    @Test
    void pubDropsAtTheHighWaterMarkAreCounted() {
        runner.withPropertyValues("zmq.sockets.feed.type=PUB", "zmq.sockets.feed.bind=tcp://127.0.0.1:*",
                "zmq.sockets.feed.options.sndhwm=10", "zmq.sockets.feed.options.sndbuf=16KB").run(ctx -> {
            var meters = ctx.getBean(MeterRegistry.class);
            var feed = ctx.getBean("feed", dev.zmq.ZmqSocket.class);
            var template = ctx.getBean(ZmqTemplate.class);
            var endpoint = ctx.getEnvironment().getProperty("local.zmq.feed.endpoint");
            try (var sub = ctx.getBean(ZmqContext.class).socket(SocketType.SUB)) {
                sub.set(SocketOption.LINGER, 0);
                sub.set(SocketOption.RCVHWM, 10);
                sub.set(SocketOption.RCVBUF, 16 * 1024);
                sub.subscribe("");
                sub.connect(endpoint);
                awaitCondition(() -> {
                    feed.send("probe");
                    return sub.recv(Duration.ofMillis(20)) != null;
                }, Duration.ofSeconds(10));
                // From here on the subscriber reads nothing; half the traffic goes through the template, half directly.
                for (int i = 0; i < 20_000; i++) {
                    template.convertAndSend("feed", "t", "payload-" + i);
                    feed.send(Message.of("t", "direct-" + i));
                }
                var core = feed.statistics();
                assertThat(core.messagesDropped()).isPositive();
                assertThat(counter(meters, "zmq.messages.dropped", "feed")).isEqualTo(core.messagesDropped());
                assertThat(counter(meters, "zmq.messages.sent", "feed")).isEqualTo(core.messagesSent()).isGreaterThanOrEqualTo(40_000);
            }
        });
    }

    @Test
    void templateSendsDropsReconnectsAndHandshakeFailuresAreCounted() {
        String deadEndpoint;
        try (var c = new ZmqContext(); var s = c.socket(SocketType.PULL)) {
            deadEndpoint = s.bind("tcp://127.0.0.1:*");
        }
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=" + deadEndpoint,
                "zmq.sockets.out.options.reconnect-ivl=20ms", "zmq.sockets.out.options.immediate=true", "zmq.template.send-timeout=20ms",
                "zmq.sockets.in.type=PULL", "zmq.sockets.in.bind=tcp://127.0.0.1:*").run(ctx -> {
            var meters = ctx.getBean(MeterRegistry.class);
            var template = ctx.getBean(ZmqTemplate.class);
            try {
                template.send("out", "nobody there");
            } catch (RuntimeException expected) {
                // refused at the high-water mark: nothing is connected
            }
            assertThat(counter(meters, "zmq.messages.dropped", "out")).isEqualTo(1);
            assertThat(counter(meters, "zmq.messages.sent", "out")).isZero();
            awaitCondition(() -> counter(meters, "zmq.reconnects", "out") >= 2, Duration.ofSeconds(10));

            // a peer that speaks garbage instead of ZMTP fails the handshake
            var inEndpoint = ctx.getEnvironment().getProperty("local.zmq.in.endpoint");
            var port = Integer.parseInt(inEndpoint.substring(inEndpoint.lastIndexOf(':') + 1));
            try (var raw = new Socket()) {
                raw.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                OutputStream out = raw.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(4).getBytes());
                out.flush();
                awaitCondition(() -> counter(meters, "zmq.handshake.failures", "in") >= 1, Duration.ofSeconds(10));
            }
            // The counter is the core's; the last error comes from the monitor thread, possibly a little later.
            var in = ctx.getBean(ZmqSocketRegistry.class).get("in").orElseThrow();
            awaitCondition(() -> in.lastError() != null, Duration.ofSeconds(5));
            var lastError = in.lastError();
            assertThat(lastError.message()).contains("handshake");
        });
    }

    @Test
    void noMetersWithoutARegistryOrMicrometer() {
        new ApplicationContextRunner().withInitializer(new ZmqTestEndpointsInitializer()).withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class,
                ZmqSocketAutoConfiguration.class, ZmqMetricsAutoConfiguration.class)).run(ctx -> assertThat(ctx).doesNotHaveBean(ZmqMetrics.class));
        new ApplicationContextRunner().withInitializer(new ZmqTestEndpointsInitializer()).withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class,
                ZmqSocketAutoConfiguration.class, ZmqMetricsAutoConfiguration.class))
                .withBean(io.micrometer.core.instrument.simple.SimpleMeterRegistry.class)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(ctx -> assertThat(ctx).doesNotHaveBean(ZmqMetrics.class));
        runner.run(ctx -> assertThat(ctx).hasSingleBean(ZmqMetrics.class));
    }

    // ---------------------------------------------------------------- observations (opt-in)

    @Configuration(proxyBeanMethods = false)
    static class Observed {
        final List<Observation.Context> seen = new CopyOnWriteArrayList<>();

        @Bean
        ObservationRegistry observationRegistry() {
            var registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public void onStop(Observation.Context context) {
                    seen.add(context);
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return registry;
        }

        @Bean
        Object pull() {
            return new Object() {
                @ZmqListener(id = "observed", type = "PULL", bind = "inproc://observed")
                void on(String s) {
                }
            };
        }
    }

    @Test
    void observationsAreOffByDefault() {
        runner.withUserConfiguration(Observed.class).withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=inproc://observed")
                .run(ctx -> {
                    ctx.getBean(ZmqTemplate.class).send("out", "x");
                    awaitCondition(() -> ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("observed").getHandledCount() == 1,
                            Duration.ofSeconds(5));
                    assertThat(ctx.getBean(Observed.class).seen).isEmpty();
                });
    }

    @Test
    void listenerAndTemplateObservationsWhenEnabled() {
        runner.withUserConfiguration(Observed.class).withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=inproc://observed",
                "zmq.listener.observation-enabled=true", "zmq.template.observation-enabled=true").run(ctx -> {
            ctx.getBean(ZmqTemplate.class).send("out", Message.of("x"));
            var seen = ctx.getBean(Observed.class).seen;
            awaitCondition(() -> seen.size() == 2, Duration.ofSeconds(5));
            assertThat(seen).anySatisfy(c -> {
                assertThat(c.getName()).isEqualTo("zmq.template");
                assertThat(c.getLowCardinalityKeyValue("zmq.socket.name").getValue()).isEqualTo("out");
                assertThat(c.getLowCardinalityKeyValue("zmq.operation").getValue()).isEqualTo("send");
            });
            assertThat(seen).anySatisfy(c -> {
                assertThat(c.getName()).isEqualTo("zmq.listener");
                assertThat(c.getLowCardinalityKeyValue("zmq.listener.id").getValue()).isEqualTo("observed");
                assertThat(c.getLowCardinalityKeyValue("zmq.socket.type").getValue()).isEqualTo("PULL");
            });
        });
    }
}
