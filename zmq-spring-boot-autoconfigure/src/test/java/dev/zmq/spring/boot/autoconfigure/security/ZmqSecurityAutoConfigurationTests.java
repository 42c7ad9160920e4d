package dev.zmq.spring.boot.autoconfigure.security;

import dev.zmq.spring.security.ZmqZapServer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.SocketOption;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.security.CurveKeyPair;
import dev.zmq.security.ZapAuthenticator;
import dev.zmq.security.ZapHandler;
import dev.zmq.security.ZapReply;
import dev.zmq.security.ZapRequest;
import dev.zmq.security.ZapServer;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextLifecycle;
import dev.zmq.spring.lifecycle.ZmqPhases;
import dev.zmq.spring.socket.ZmqSocketsLifecycle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** When the authenticator and the ZAP server exist, what replaces them, and when they start and stop. */
@Timeout(30)
class ZmqSecurityAutoConfigurationTests {
    private static final CurveKeyPair SERVER = SecurityTestSupport.curveKeys();
    private static final String[] CURVE_SERVER = {"zmq.sockets.api.type=ROUTER", "zmq.sockets.api.bind=tcp://127.0.0.1:*",
            "zmq.sockets.api.security.curve.role=server", "zmq.sockets.api.security.curve.secret-key=" + SERVER.secretKeyZ85(),
            "zmq.security.zap.curve.allow-any=true"};

    private final ApplicationContextRunner runner = SecurityTestSupport.runner();

    @Test
    void nothingWithoutSecuredSockets() {
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=tcp://127.0.0.1:1",
                "zmq.sockets.cli.type=DEALER", "zmq.sockets.cli.security.plain.role=client", "zmq.sockets.cli.security.plain.username=u",
                "zmq.sockets.cli.security.plain.password=p").run(ctx -> {
            assertThat(ctx).hasNotFailed().doesNotHaveBean(ZapHandler.class).doesNotHaveBean(ZmqZapServer.class);
            assertThat(ctx.getBean("cli", ZmqSocket.class).get(SocketOption.MECHANISM)).isEqualTo("PLAIN");
        });
    }

    @Test
    void aServerSocketBringsTheAuthenticatorAndTheZapServer() {
        runner.withPropertyValues(CURVE_SERVER).run(ctx -> {
            assertThat(ctx).hasSingleBean(ZapAuthenticator.class).hasSingleBean(ZmqZapServer.class);
            var zap = ctx.getBean(ZmqZapServer.class);
            assertThat(zap.handler()).isSameAs(ctx.getBean(ZapAuthenticator.class));
            assertThat(zap.isRunning()).isTrue();
            var api = ctx.getBean("api", ZmqSocket.class);
            assertThat(api.get(SocketOption.MECHANISM)).isEqualTo("CURVE");
            assertThat(api.get(SocketOption.CURVE_SERVER)).isTrue();
        });
    }

    @Test
    void enabledTrueCreatesTheAuthenticatorWithoutServerSocketsAndEnabledFalseNothing() {
        runner.withPropertyValues("zmq.security.zap.enabled=true", "zmq.security.zap.plain.users.ops=pw").run(ctx -> {
            assertThat(ctx).hasSingleBean(ZapAuthenticator.class);
            assertThat(ctx.getBean(ZmqZapServer.class).isRunning()).isTrue();
            var request = new ZapRequest("", "10.1.2.3", null, "PLAIN", List.of("ops".getBytes(), "pw".getBytes()));
            assertThat(ctx.getBean(ZapAuthenticator.class).authenticate(request).userId()).isEqualTo("ops");
        });
        runner.withPropertyValues(CURVE_SERVER).withPropertyValues("zmq.security.zap.enabled=false").run(ctx -> {
            // libzmq's rule: a CURVE server without ZAP handler accepts any client that knows its key (a warning is logged)
            assertThat(ctx).hasNotFailed().doesNotHaveBean(ZapHandler.class).doesNotHaveBean(ZmqZapServer.class);
            var api = ctx.getBean("api", ZmqSocket.class);
            assertThat(api.get(SocketOption.CURVE_SERVER)).isTrue();
            var anyone = SecurityTestSupport.curveKeys();
            try (var peers = new ZmqContext(); var client = peers.socket(dev.zmq.SocketType.DEALER)) {
                client.set(SocketOption.LINGER, 0);
                client.set(SocketOption.CURVE_PUBLICKEY, anyone.publicKey());
                client.set(SocketOption.CURVE_SECRETKEY, anyone.secretKey());
                client.set(SocketOption.CURVE_SERVERKEY, SERVER.publicKey());
                client.connect(api.get(SocketOption.LAST_ENDPOINT));
                client.send("hello");
                var received = api.recv(java.time.Duration.ofSeconds(10));
                assertThat(received).isNotNull();
                assertThat(received.frameString(1)).isEqualTo("hello");
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHandler {
        @Bean
        ZapHandler ownHandler() {
            return request -> ZapReply.allow("own");
        }
    }

    @Test
    void aZapHandlerBeanIsRunEvenWithoutServerSockets() {
        runner.withUserConfiguration(OwnHandler.class).run(ctx -> {
            assertThat(ctx).doesNotHaveBean(ZapAuthenticator.class);
            var zap = ctx.getBean(ZmqZapServer.class);
            assertThat(zap.handler()).isSameAs(ctx.getBean("ownHandler"));
            assertThat(zap.isRunning()).isTrue();
            // the context's ZAP endpoint is taken by it
            var other = org.assertj.core.api.Assertions.catchThrowable(() -> ZapServer.start(ctx.getBean(ZmqContext.class), r -> null));
            assertThat(other).isInstanceOf(dev.zmq.ZmqException.class);
        });
    }

    @Test
    void domainsLimitWhatIsAnswered() {
        runner.withPropertyValues("zmq.security.zap.enabled=true", "zmq.security.zap.domains=api,admin").run(ctx -> {
            var zap = ctx.getBean(ZmqZapServer.class);
            assertThat(zap.domains()).containsExactlyInAnyOrder("api", "admin");
            assertThat(zap.serves("api")).isTrue();
            assertThat(zap.serves("")).isFalse();
            assertThat(zap.serves(null)).isFalse();
        });
        runner.withPropertyValues("zmq.security.zap.enabled=true").run(ctx -> assertThat(ctx.getBean(ZmqZapServer.class).serves("any")).isTrue());
    }

    /** Records, when each socket bean is ready (bound), whether the ZAP server was already running. */
    static class ZapStateAtSocketCreation implements BeanPostProcessor {
        final Map<String, Boolean> seen = new java.util.concurrent.ConcurrentHashMap<>();
        private final BeanFactory beanFactory;

        ZapStateAtSocketCreation(BeanFactory beanFactory) {
            this.beanFactory = beanFactory;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
            if (bean instanceof ZmqSocket) {
                seen.put(name, beanFactory.getBeanProvider(ZmqZapServer.class).getIfAvailable().isRunning());
            }
            return bean;
        }
    }

    @Test
    void zapStartsBeforeTheSocketsBindAndStopsAfterTheyClose() {
        runner.withPropertyValues(CURVE_SERVER).withBean(ZapStateAtSocketCreation.class).run(ctx -> {
            assertThat(ctx.getBean(ZapStateAtSocketCreation.class).seen).containsEntry("api", true);
            var zap = ctx.getBean(ZmqZapServer.class);
            assertThat(zap.getPhase()).isEqualTo(ZmqPhases.ZAP)
                    .isLessThan(ctx.getBean(ZmqSocketsLifecycle.class).getPhase())
                    .isGreaterThan(ctx.getBean(ZmqContextLifecycle.class).getPhase());
            var api = ctx.getBean("api", ZmqSocket.class);
            var stopped = new CopyOnWriteArrayList<String>();
            ctx.getBeanFactory().registerSingleton("stopWatcher", new org.springframework.context.SmartLifecycle() {
                @Override
                public void start() {
                }

                @Override
                public void stop() {
                }

                @Override
                public boolean isRunning() {
                    return true;
                }

                @Override
                public int getPhase() {
                    return ZmqPhases.ZAP - 1; // stops right after the ZAP server
                }

                @Override
                public void stop(Runnable callback) {
                    stopped.add("socket closed=" + api.isClosed() + ", zap running=" + zap.isRunning());
                    callback.run();
                }
            });
            ctx.close();
            assertThat(stopped).containsExactly("socket closed=true, zap running=false");
        });
    }
}
