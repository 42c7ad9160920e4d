package dev.zmq.spring.boot.autoconfigure.socket;

import dev.zmq.spring.socket.SocketOptionValues;
import dev.zmq.spring.socket.SocketSpecValidator;
import dev.zmq.spring.socket.ZmqSocketCustomizer;
import dev.zmq.spring.socket.ZmqSocketRegistry;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.inproc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@Timeout(30)
class ZmqSocketBeansTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class));

    @Test
    void configuredSocketsAreBeansNamedAfterTheirKeyAndCarryMessages() {
        var endpoint = inproc("orders");
        runner.withPropertyValues(
                "zmq.sockets.orders-in.type=pull", "zmq.sockets.orders-in.bind[0]=" + endpoint,
                "zmq.sockets.orders-out.type=PUSH", "zmq.sockets.orders-out.connect[0]=" + endpoint,
                "zmq.sockets.orders-out.options.sndhwm=10000", "zmq.sockets.orders-out.options.linger=2s",
                "zmq.sockets.orders-in.options.rcvtimeo=5s").run(ctx -> {
            assertThat(ctx).hasBean("orders-in").hasBean("orders-out");
            var out = ctx.getBean("orders-out", ZmqSocket.class);
            var in = ctx.getBean("orders-in", ZmqSocket.class);
            assertThat(out.type()).isEqualTo(SocketType.PUSH);
            assertThat(in.type()).isEqualTo(SocketType.PULL);
            assertThat(out.get(SocketOption.SNDHWM)).isEqualTo(10_000);
            assertThat(out.get(SocketOption.LINGER)).isEqualTo(2000);
            assertThat(in.get(SocketOption.RCVTIMEO)).isEqualTo(5000);
            out.send(Message.of("order-1"));
            assertThat(in.recvString()).isEqualTo("order-1");
        });
    }

    static class Worker {
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class WorkerBean {
        @org.springframework.context.annotation.Bean
        Worker worker() {
            return new Worker();
        }
    }

    @Test
    void aSocketNamedLikeAnotherBeanFailsStartupNamingBothAndTheFix() {
        runner.withUserConfiguration(WorkerBean.class).withPropertyValues("zmq.sockets.worker.type=PUSH",
                "zmq.sockets.other.type=PULL").run(ctx -> {
            assertThat(ctx).hasFailed();
            var failure = dev.zmq.spring.boot.autoconfigure.TestSupport.configurationCause(ctx.getStartupFailure());
            assertThat(failure.property()).isEqualTo("zmq.sockets.worker");
            assertThat(failure.problem()).contains("already has a bean of that name")
                    .contains("factory method worker()").contains("WorkerBean");
            var analysis = dev.zmq.spring.boot.autoconfigure.TestSupport.analyze(ctx.getStartupFailure());
            assertThat(analysis.getAction()).contains("Rename the socket").contains("give the other bean another name");
        });
        runner.withBean("worker", Worker.class).withPropertyValues("zmq.sockets.worker.type=PUSH").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(dev.zmq.spring.boot.autoconfigure.TestSupport.configurationCause(ctx.getStartupFailure()).problem())
                    .contains(Worker.class.getName());
        });
    }

    @Test
    void socketsWithoutAnExplicitLingerGetTheContextDefault() {
        runner.withPropertyValues("zmq.context.linger=1500ms", "zmq.sockets.p.type=PUSH",
                "zmq.sockets.q.type=PUSH", "zmq.sockets.q.options.linger=0").run(ctx -> {
            assertThat(ctx.getBean("p", ZmqSocket.class).get(SocketOption.LINGER)).isEqualTo(1500);
            assertThat(ctx.getBean("q", ZmqSocket.class).get(SocketOption.LINGER)).isZero();
        });
    }

    @Test
    void tcpBindOnAnEphemeralPortRecordsTheRealEndpoint() {
        runner.withPropertyValues("zmq.sockets.server.type=REP", "zmq.sockets.server.bind=tcp://127.0.0.1:*").run(ctx -> {
            var managed = ctx.getBean(ZmqSocketRegistry.class).get("server").orElseThrow();
            assertThat(managed.boundEndpoints()).singleElement().asString().matches("tcp://127\\.0\\.0\\.1:\\d+").doesNotContain("*");
            try (var req = ctx.getBean(ZmqContext.class).socket(SocketType.REQ)) {
                req.connect(managed.boundEndpoints().get(0));
                req.send("ping");
                var rep = ctx.getBean("server", ZmqSocket.class);
                assertThat(rep.recv(Duration.ofSeconds(5)).frameString(0)).isEqualTo("ping");
                rep.send("pong");
                assertThat(req.recv(Duration.ofSeconds(5)).frameString(0)).isEqualTo("pong");
            }
        });
    }

    @Test
    void subscriberReceivesOnlyItsTopics() {
        var endpoint = inproc("prices");
        runner.withPropertyValues("zmq.sockets.feed.type=PUB", "zmq.sockets.feed.bind=" + endpoint,
                "zmq.sockets.prices.type=SUB", "zmq.sockets.prices.connect=" + endpoint,
                "zmq.sockets.prices.subscribe=EURUSD,GBPUSD").run(ctx -> {
            var pub = ctx.getBean("feed", ZmqSocket.class);
            var sub = ctx.getBean("prices", ZmqSocket.class);
            // inproc subscriptions reach the publisher once connected: publish until one arrives
            Message first = null;
            for (int i = 0; i < 200 && first == null; i++) {
                pub.send(Message.of("USDJPY", "150"));
                pub.send(Message.of("EURUSD", "1.08"));
                first = sub.recv(Duration.ofMillis(20));
            }
            assertThat(first).isNotNull();
            assertThat(first.frameString(0)).isEqualTo("EURUSD");
            pub.send(Message.of("USDJPY", "151"));
            pub.send(Message.of("GBPUSD", "1.27"));
            Message next;
            do {
                next = sub.recv(Duration.ofSeconds(5));
                assertThat(next).isNotNull();
                assertThat(next.frameString(0)).isNotEqualTo("USDJPY");
            } while (!next.frameString(0).equals("GBPUSD"));
        });
    }

    @Test
    void customizersSeeEverySocketByNameBeforeItBinds() {
        var seen = Collections.synchronizedList(new ArrayList<String>());
        runner.withPropertyValues("zmq.sockets.a.type=PUSH", "zmq.sockets.b.type=PULL", "zmq.sockets.b.bind=" + inproc("cust"))
                .withBean(ZmqSocketCustomizer.class, () -> (name, socket) -> {
                    seen.add(name + ":" + socket.type() + ":" + socket.get(SocketOption.LAST_ENDPOINT));
                    socket.set(SocketOption.RCVHWM, 7);
                })
                .run(ctx -> {
                    assertThat(seen).containsExactlyInAnyOrder("a:PUSH:", "b:PULL:");
                    assertThat(ctx.getBean("b", ZmqSocket.class).get(SocketOption.RCVHWM)).isEqualTo(7);
                });
    }

    @Test
    void monitoringCanBeTurnedOffPerSocket() {
        runner.withPropertyValues("zmq.sockets.watched.type=PULL", "zmq.sockets.watched.bind=tcp://127.0.0.1:*",
                "zmq.sockets.quiet.type=PULL", "zmq.sockets.quiet.bind=tcp://127.0.0.1:*", "zmq.sockets.quiet.monitor=false").run(ctx -> {
            var registry = ctx.getBean(ZmqSocketRegistry.class);
            var watched = registry.get("watched").orElseThrow();
            var quiet = registry.get("quiet").orElseThrow();
            try (var a = ctx.getBean(ZmqContext.class).socket(SocketType.PUSH); var b = ctx.getBean(ZmqContext.class).socket(SocketType.PUSH)) {
                a.set(SocketOption.LINGER, 0);
                b.set(SocketOption.LINGER, 0);
                a.connect(watched.boundEndpoints().get(0));
                b.connect(quiet.boundEndpoints().get(0));
                a.send("x");
                b.send("y");
                assertThat(ctx.getBean("watched", ZmqSocket.class).recv(Duration.ofSeconds(5))).isNotNull();
                assertThat(ctx.getBean("quiet", ZmqSocket.class).recv(Duration.ofSeconds(5))).isNotNull();
                dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition(() -> watched.peers().size() == 1, Duration.ofSeconds(5));
                assertThat(quiet.peers()).isEmpty();
            }
        });
    }

    @Test
    void socketsAreClosedWithTheApplication() {
        var sockets = new ArrayList<ZmqSocket>();
        runner.withPropertyValues("zmq.sockets.a.type=PUSH", "zmq.sockets.b.type=DEALER")
                .run(ctx -> sockets.addAll(ctx.getBeansOfType(ZmqSocket.class).values()));
        assertThat(sockets).hasSize(2).allMatch(ZmqSocket::isClosed);
    }

    @Test
    void timeAndSizeOptionsTakeSpringTypes() {
        runner.withPropertyValues("zmq.sockets.s.type=DEALER",
                "zmq.sockets.s.options.reconnect-ivl=250ms", "zmq.sockets.s.options.reconnect_ivl_max=1m",
                "zmq.sockets.s.options.SNDTIMEO=infinite", "zmq.sockets.s.options.rcvtimeo=1500",
                "zmq.sockets.s.options.maxmsgsize=1KB", "zmq.sockets.s.options.sndbuf=64KB",
                "zmq.sockets.s.options.tcp-keepalive-idle=2m", "zmq.sockets.s.options.heartbeat-ivl=1s",
                "zmq.sockets.s.options.routing-id=worker-1", "zmq.sockets.s.options.immediate=true").run(ctx -> {
            var s = ctx.getBean("s", ZmqSocket.class);
            assertThat(s.get(SocketOption.RECONNECT_IVL)).isEqualTo(250);
            assertThat(s.get(SocketOption.RECONNECT_IVL_MAX)).isEqualTo(60_000);
            assertThat(s.get(SocketOption.SNDTIMEO)).isEqualTo(-1);
            assertThat(s.get(SocketOption.RCVTIMEO)).isEqualTo(1500);
            assertThat(s.get(SocketOption.MAXMSGSIZE)).isEqualTo(1024L);
            assertThat(s.get(SocketOption.SNDBUF)).isEqualTo(65_536);
            assertThat(s.get(SocketOption.TCP_KEEPALIVE_IDLE)).isEqualTo(120);
            assertThat(s.get(SocketOption.HEARTBEAT_IVL)).isEqualTo(1000);
            assertThat(s.get(SocketOption.ROUTING_ID)).isEqualTo("worker-1".getBytes(StandardCharsets.UTF_8));
            assertThat(s.get(SocketOption.IMMEDIATE)).isTrue();
        });
    }

    @Test
    void securityOptionsAreRefusedUnderOptionsPointingToTheSecurityBlock() {
        runner.withPropertyValues("zmq.sockets.s.type=DEALER", "zmq.sockets.s.options.plain-username=admin")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).hasMessageContaining("PLAIN_USERNAME")
                            .hasMessageContaining("is not set under options but in the security block");
                    assertThat(dev.zmq.spring.boot.autoconfigure.TestSupport.configurationCause(ctx.getStartupFailure()).action())
                            .contains("use zmq.sockets.s.security instead");
                });
    }

    /** Every writable option of zmq-core can be set from properties (on a socket type that accepts it). */
    @Test
    void everyCoreOptionIsSettableFromProperties() {
        var properties = new ArrayList<String>();
        var checks = new ArrayList<Check>();
        List<SocketOption<?>> writable = SocketOption.all().values().stream().filter(o -> !o.isReadOnly())
                .filter(o -> !SocketSpecValidator.isSecurityOption(o)).toList();
        assertThat(writable).hasSizeGreaterThan(25);
        for (var option : writable) {
            var name = option.name();
            var socket = "s-" + name.toLowerCase(Locale.ROOT).replace('_', '-');
            var type = name.startsWith("XPUB") ? "XPUB" : name.startsWith("REQ_") ? "REQ"
                    : name.startsWith("ROUTER") || name.equals("CONNECT_ROUTING_ID") ? "ROUTER"
                    : name.startsWith("STREAM_") ? "STREAM" : "DEALER";
            properties.add("zmq.sockets." + socket + ".type=" + type);
            String raw;
            Object value;
            switch (SocketOptionValues.kindOf(option)) {
                case BOOLEAN -> { raw = "true"; value = true; }
                case BYTES -> { raw = "id-" + name.length(); value = raw.getBytes(StandardCharsets.UTF_8); }
                case DURATION_MILLIS -> { raw = "2s"; value = 2000; }
                case DURATION_SECONDS -> { raw = "1m"; value = 60; }
                case DATA_SIZE -> { raw = "2KB"; value = option.type() == Long.class ? (Object) 2048L : (Object) 2048; }
                default -> { raw = "1"; value = option.type() == Long.class ? (Object) 1L : (Object) 1; }
            }
            properties.add("zmq.sockets." + socket + ".options." + name.toLowerCase(Locale.ROOT) + "=" + raw);
            checks.add(new Check(socket, option, value));
        }
        runner.withPropertyValues(properties.toArray(String[]::new)).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            for (var check : checks) {
                var actual = ctx.getBean(check.socket(), ZmqSocket.class).get(check.option());
                assertThat(actual).as(check.option().name()).isEqualTo(check.value());
            }
        });
    }

    private record Check(String socket, SocketOption<?> option, Object value) {
    }
}
