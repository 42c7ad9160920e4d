package dev.zmq.spring.boot.autoconfigure.lifecycle;

import dev.zmq.spring.boot.test.ZmqTestEndpointsInitializer;
import dev.zmq.spring.lifecycle.ZmqPhases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.listener.ZmqMessageListenerContainer;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.core.ZmqTemplate;
import dev.zmq.spring.boot.autoconfigure.template.ZmqTemplateAutoConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Shutdown: order of the phases, messages in hand and in queues delivered, bounded by LINGER and the phase timeout. */
@Timeout(60)
class ShutdownTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withInitializer(new ZmqTestEndpointsInitializer()).withConfiguration(AutoConfigurations.of(
            LifecycleAutoConfiguration.class, ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class,
            ZmqListenerAutoConfiguration.class, ZmqTemplateAutoConfiguration.class));

    @Test
    void phasesStopListenersThenTemplateThenSocketsThenContext() {
        assertThat(ZmqPhases.LISTENERS).isGreaterThan(SmartLifecycle.DEFAULT_PHASE - 1024); // before the web server's graceful shutdown
        assertThat(ZmqPhases.TEMPLATE).isLessThan(SmartLifecycle.DEFAULT_PHASE - 2048);     // after the web server stopped
        assertThat(ZmqPhases.TEMPLATE).isGreaterThan(ZmqPhases.SOCKETS);
        assertThat(ZmqPhases.SOCKETS).isGreaterThan(ZmqPhases.CONTEXT);
    }

    // ---------------------------------------------------------------- observed order

    /** Records, at given phases, what is already stopped. */
    static final class Probe implements SmartLifecycle {
        final int phase;
        final String name;
        final List<String> log;
        final Runnable check;
        volatile boolean running;

        Probe(int phase, String name, List<String> log, Runnable check) {
            this.phase = phase;
            this.name = name;
            this.log = log;
            this.check = check;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            check.run();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Probes {
        final List<String> log = new CopyOnWriteArrayList<>();

        @Bean
        List<String> shutdownLog() {
            return log;
        }

        @Bean
        Object listener() {
            return new Object() {
                @ZmqListener(id = "l", type = "PULL", bind = "inproc://probe")
                void on(String s) {
                }
            };
        }

        // Probes look beans up when they stop: a declared dependency would make Spring stop them first.
        @Bean
        Probe afterListeners(BeanFactory beans) {
            return new Probe(ZmqPhases.LISTENERS - 1, "afterListeners", log, () -> log.add("listeners stopped="
                    + beans.getBean(ZmqListenerEndpointRegistry.class).getListenerContainers().stream().noneMatch(ZmqMessageListenerContainer::isRunning)
                    + " socket open=" + !beans.getBean("out", ZmqSocket.class).isClosed()
                    + " context open=" + !beans.getBean(ZmqContext.class).isClosed()));
        }

        @Bean
        Probe afterSockets(BeanFactory beans) {
            return new Probe(ZmqPhases.SOCKETS - 1, "afterSockets", log, () -> log.add("socket closed="
                    + beans.getBean("out", ZmqSocket.class).isClosed() + " context open=" + !beans.getBean(ZmqContext.class).isClosed()));
        }
    }

    @Test
    void shutdownOrderIsListenersSocketsContext() {
        var log = new ArrayList<String>();
        ZmqContext[] context = new ZmqContext[1];
        runner.withUserConfiguration(Probes.class).withPropertyValues("zmq.sockets.out.type=PUSH").run(ctx -> {
            context[0] = ctx.getBean(ZmqContext.class);
            assertThat(ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("l").isRunning()).isTrue();
            @SuppressWarnings("unchecked")
            List<String> shutdownLog = ctx.getBean("shutdownLog", List.class);
            ctx.close();
            log.addAll(shutdownLog);
        });
        assertThat(log).containsExactly("listeners stopped=true socket open=true context open=true",
                "socket closed=true context open=true");
        assertThat(context[0].isClosed()).isTrue();
    }

    // ---------------------------------------------------------------- nothing accepted is lost

    @Test
    void messagesAcceptedBeforeShutdownReachALivePeer() throws Exception {
        try (var peerContext = new ZmqContext(); var peer = peerContext.socket(SocketType.PULL)) {
            var endpoint = peer.bind("tcp://127.0.0.1:*");
            int count = 20_000;
            // A live peer reads while the sender shuts down. A peer that only starts reading after close
            // returns cannot take 4 MB into RCVHWM plus kernel buffers (TCP grows its window only while
            // the application reads), so LINGER would rightly expire and drop the rest.
            var received = CompletableFuture.supplyAsync(() -> {
                for (int i = 0; i < count; i++) {
                    var m = peer.recv(Duration.ofSeconds(20));
                    if (m == null || !m.frameString(0).equals(String.valueOf(i))) {
                        return i;
                    }
                }
                return count;
            });
            runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=" + endpoint,
                    "zmq.sockets.out.options.sndhwm=0").run(ctx -> {
                var template = ctx.getBean(ZmqTemplate.class);
                var body = new byte[200];
                for (int i = 0; i < count; i++) {
                    template.send("out", Message.of(String.valueOf(i).getBytes(), body));
                }
                // everything is accepted (queued); shut down right away
                ctx.close();
            });
            assertThat(received.get(60, TimeUnit.SECONDS)).as("messages received in order").isEqualTo(count);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InHand {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Bean
        Object slowListener() {
            var state = this;
            return new Object() {
                @ZmqListener(id = "slow", type = "REP", bind = "tcp://127.0.0.1:*")
                String on(String request) throws InterruptedException {
                    state.entered.countDown();
                    state.release.await(20, TimeUnit.SECONDS);
                    return "finished:" + request;
                }
            };
        }
    }

    @Test
    void aListenerFinishesTheMessageInHandAndRepliesDuringShutdown() {
        try (var clientContext = new ZmqContext(); var req = clientContext.socket(SocketType.REQ)) {
            req.set(SocketOption.LINGER, 0);
            runner.withUserConfiguration(InHand.class).run(ctx -> {
                var state = ctx.getBean(InHand.class);
                var container = ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("slow");
                req.connect(ctx.getEnvironment().getProperty("local.zmq.slow.endpoint"));
                req.send("job");
                assertThat(state.entered.await(10, TimeUnit.SECONDS)).isTrue();
                var closing = CompletableFuture.runAsync(ctx::close);
                // shutdown is waiting for the message in hand
                TestWait.until(() -> !container.isRunning(), Duration.ofSeconds(5));
                assertThat(closing).isNotDone();
                state.release.countDown();
                closing.get(15, TimeUnit.SECONDS);
                assertThat(container.getSocket().isClosed()).isTrue();
            });
            var reply = req.recv(Duration.ofSeconds(5));
            assertThat(reply).isNotNull();
            assertThat(reply.frameString(0)).isEqualTo("finished:job");
        }
    }

    // ---------------------------------------------------------------- never hangs

    @Test
    void aPeerThatNeverReadsDoesNotDelayShutdownPastLinger() {
        try (var peerContext = new ZmqContext(); var peer = peerContext.socket(SocketType.PULL)) {
            peer.set(SocketOption.RCVHWM, 1);
            var endpoint = peer.bind("tcp://127.0.0.1:*");
            long[] closeMillis = new long[1];
            runner.withPropertyValues("zmq.context.linger=500ms", "zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=" + endpoint,
                    "zmq.sockets.out.options.sndhwm=0").run(ctx -> {
                var template = ctx.getBean(ZmqTemplate.class);
                var body = new byte[64 * 1024];
                for (int i = 0; i < 500; i++) { // ~32 MB: far more than the peer's buffers take while it never reads
                    template.send("out", Message.of(body));
                }
                long start = System.nanoTime();
                ctx.close();
                closeMillis[0] = (System.nanoTime() - start) / 1_000_000;
            });
            // pending output was given its LINGER (not dropped at once), and no more
            assertThat(closeMillis[0]).as("shutdown time in ms").isBetween(300L, 500L + 2_000L);
        }
    }

    @Test
    void anUnreachablePeerDoesNotDelayShutdown() {
        long[] closeMillis = new long[1];
        // a port nobody listens on (bound then released by a throwaway socket)
        String endpoint;
        try (var c = new ZmqContext(); var s = c.socket(SocketType.PULL)) {
            endpoint = s.bind("tcp://127.0.0.1:*");
        }
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=" + endpoint,
                "zmq.sockets.out.options.linger=-1").run(ctx -> {
            var out = ctx.getBean("out", ZmqSocket.class);
            assertThat(out.trySend(Message.of("queued for nobody"))).isTrue();
            long start = System.nanoTime();
            ctx.close();
            closeMillis[0] = (System.nanoTime() - start) / 1_000_000;
        });
        assertThat(closeMillis[0]).as("shutdown time in ms").isLessThan(ZmqContextLingerBound.MILLIS + 2_000);
    }

    @Configuration(proxyBeanMethods = false)
    static class Stuck {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Bean
        Object stuckListener() {
            var state = this;
            return new Object() {
                @ZmqListener(id = "stuck", type = "PULL", bind = "inproc://stuck")
                void on(String request) throws InterruptedException {
                    state.entered.countDown();
                    state.release.await(30, TimeUnit.SECONDS);
                }
            };
        }
    }

    @Test
    void aStuckListenerCannotHoldShutdownPastThePhaseTimeout() {
        runner.withUserConfiguration(Stuck.class).withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=1s").run(ctx -> {
            var state = ctx.getBean(Stuck.class);
            try (var push = ctx.getBean(ZmqContext.class).socket(SocketType.PUSH)) {
                push.set(SocketOption.LINGER, 0);
                push.connect("inproc://stuck");
                push.send("forever");
                assertThat(state.entered.await(10, TimeUnit.SECONDS)).isTrue();
            }
            var zmq = ctx.getBean(ZmqContext.class);
            try {
                long start = System.nanoTime();
                ctx.close();
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(millis).as("shutdown time in ms").isLessThan(1_000 + 5_000);
                assertThat(zmq.isClosed()).isTrue();
            } finally {
                state.release.countDown();
            }
        });
    }

    /** The documented default of zmq.context.linger. */
    static final class ZmqContextLingerBound {
        static final long MILLIS = 3_000;
    }

    static final class TestWait {
        static void until(java.util.function.BooleanSupplier condition, Duration timeout) {
            dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition(condition, timeout);
        }
    }
}
