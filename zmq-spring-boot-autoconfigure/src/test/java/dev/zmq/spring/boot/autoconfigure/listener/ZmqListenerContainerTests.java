package dev.zmq.spring.boot.autoconfigure.listener;

import dev.zmq.spring.listener.DefaultZmqListenerContainerFactory;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.listener.ZmqMessageListenerContainer;
import dev.zmq.spring.listener.ZmqThreads;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.analyze;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.inproc;
import static dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerEndToEndTests.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zmq.SocketType;
import dev.zmq.spring.boot.autoconfigure.listener.ListenerTestSupport.Inbox;
import dev.zmq.spring.listener.ZmqMessageListenerContainer.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Containers: concurrency, registry control, auto-startup, placeholders, threads, and annotation mistakes. */
@Timeout(60)
class ZmqListenerContainerTests {

    // ---------------------------------------------------------------- concurrency

    @Configuration(proxyBeanMethods = false)
    static class Concurrent {
        @Bean
        Workers workers() {
            return new Workers();
        }
    }

    static class Workers {
        final CyclicBarrier repBarrier = new CyclicBarrier(4);
        final CyclicBarrier pullBarrier = new CyclicBarrier(3);
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        /** Answers only once 4 requests are being handled at the same time. */
        @ZmqListener(id = "rep4", type = "REP", bind = "tcp://127.0.0.1:*", concurrency = "${t.rep-concurrency}")
        String rep(String request) throws Exception {
            threads.add(Thread.currentThread().getName());
            repBarrier.await(10, TimeUnit.SECONDS);
            return "re:" + request;
        }

        @ZmqListener(id = "pull3", type = "PULL", bind = "${t.pull}", concurrency = "3")
        void pull(String job, Inbox inbox) {
        }
    }

    @Test
    void repWithConcurrencyHandlesRequestsInParallelAndRoutesEachReply() {
        ListenerTestSupport.runner().withUserConfiguration(Concurrent.class)
                .withPropertyValues("t.rep-concurrency=4", "t.pull=" + inproc("p")).run(ctx -> {
                    var container = ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("rep4");
                    assertThat(container.getConcurrency()).isEqualTo(4);
                    // concurrent REP requests are spread over a ROUTER the container owns
                    assertThat(container.getSocket().type()).isEqualTo(SocketType.ROUTER);
                    var endpoint = ctx.getEnvironment().getProperty("local.zmq.rep4.endpoint");
                    var replies = new ConcurrentHashMap<Integer, String>();
                    var clients = new ArrayList<Thread>();
                    for (int i = 0; i < 4; i++) {
                        int id = i;
                        clients.add(new Thread(() -> {
                            try (var req = client(ctx, SocketType.REQ, endpoint)) {
                                req.send("r" + id);
                                replies.put(id, req.recvString());
                            }
                        }));
                    }
                    clients.forEach(Thread::start);
                    for (var t : clients) {
                        t.join(20_000);
                    }
                    assertThat(replies).containsEntry(0, "re:r0").containsEntry(1, "re:r1").containsEntry(2, "re:r2").containsEntry(3, "re:r3");
                    assertThat(ctx.getBean(Workers.class).threads).hasSize(4).allMatch(n -> n.startsWith("zmq-listener-rep4-"));
                });
    }

    // ---------------------------------------------------------------- registry: pause, resume, stop, start

    @Configuration(proxyBeanMethods = false)
    static class Controllable {
        @Bean
        ControlledBean controlled(Inbox inbox) {
            return new ControlledBean(inbox);
        }
    }

    static class ControlledBean {
        final Inbox inbox;

        ControlledBean(Inbox inbox) {
            this.inbox = inbox;
        }

        @ZmqListener(id = "${t.id}", type = "PULL", bind = "${t.endpoint}")
        void on(String body) {
            inbox.add(body);
        }

        @ZmqListener(id = "lazy", type = "PULL", bind = "${t.lazy}", autoStartup = "${t.lazy-start:false}")
        void lazy(String body) {
            inbox.add("lazy:" + body);
        }
    }

    @Test
    void registryPausesResumesStopsAndStartsById() {
        ListenerTestSupport.runner().withUserConfiguration(Controllable.class)
                .withPropertyValues("t.id=controlled", "t.endpoint=tcp://127.0.0.1:*", "t.lazy=" + inproc("lazy")).run(ctx -> {
                    var registry = ctx.getBean(ZmqListenerEndpointRegistry.class);
                    var inbox = ctx.getBean(Inbox.class);
                    assertThat(registry.getListenerContainerIds()).containsExactlyInAnyOrder("controlled", "lazy");
                    var container = registry.getListenerContainer("controlled");
                    try (var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("local.zmq.controlled.endpoint"))) {
                        push.send("1");
                        assertThat(inbox.take()).isEqualTo("1");

                        registry.pause("controlled");
                        assertThat(container.isPaused()).isTrue();
                        assertThat(container.getState()).isEqualTo(State.PAUSED);
                        push.send("2");
                        assertThat(inbox.items.poll(300, TimeUnit.MILLISECONDS)).as("nothing handled while paused").isNull();
                        registry.resume("controlled");
                        assertThat(inbox.take()).isEqualTo("2");

                        registry.stop("controlled");
                        assertThat(container.isRunning()).isFalse();
                        assertThat(container.getState()).isEqualTo(State.STOPPED);
                        assertThat(container.getSocket().isClosed()).isTrue();

                    }
                    registry.start("controlled");
                    assertThat(container.getState()).isEqualTo(State.RUNNING);
                    // the container bound a new socket: a new peer reaches it
                    try (var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("local.zmq.controlled.endpoint"))) {
                        push.send("3");
                        assertThat(inbox.take()).isEqualTo("3");
                    }
                    assertThatThrownBy(() -> registry.pause("nope")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("controlled");
                });
    }

    @Test
    void autoStartupFalseLeavesTheContainerStoppedUntilAsked() {
        var lazy = inproc("lazy");
        ListenerTestSupport.runner().withUserConfiguration(Controllable.class)
                .withPropertyValues("t.id=c", "t.endpoint=" + inproc("x"), "t.lazy=" + lazy).run(ctx -> {
                    var registry = ctx.getBean(ZmqListenerEndpointRegistry.class);
                    var container = registry.getListenerContainer("lazy");
                    assertThat(container.isAutoStartup()).isFalse();
                    assertThat(container.isRunning()).isFalse();
                    assertThat(container.getState()).isEqualTo(State.CREATED);
                    registry.start("lazy");
                    try (var push = client(ctx, SocketType.PUSH, lazy)) {
                        push.send("now");
                        assertThat(ctx.getBean(Inbox.class).take()).isEqualTo("lazy:now");
                    }
                });
    }

    @Test
    void listenerDefaultsComeFromProperties() {
        ListenerTestSupport.runner().withUserConfiguration(Controllable.class)
                .withPropertyValues("t.id=c", "t.endpoint=" + inproc("x"), "t.lazy=" + inproc("y"), "t.lazy-start=",
                        "zmq.listener.auto-startup=false", "zmq.listener.concurrency=2", "zmq.listener.poll-timeout=250ms").run(ctx -> {
                    var registry = ctx.getBean(ZmqListenerEndpointRegistry.class);
                    assertThat(registry.getListenerContainers()).allSatisfy(c -> {
                        assertThat(c.isRunning()).isFalse();
                        assertThat(c.getConcurrency()).isEqualTo(2);
                        assertThat(c.getPollTimeout()).isEqualTo(Duration.ofMillis(250));
                    });
                });
    }

    // ---------------------------------------------------------------- threads

    @Test
    void workersAreVirtualOnlyWhenAskedAndAvailable() throws Exception {
        var platform = ZmqThreads.factory("p-", false).newThread(() -> { });
        assertThat(isVirtual(platform)).isFalse();
        assertThat(platform.getName()).isEqualTo("p-0");
        var maybeVirtual = ZmqThreads.factory("v-", true).newThread(() -> { });
        assertThat(isVirtual(maybeVirtual)).isEqualTo(Runtime.version().feature() >= 21);
        assertThat(ZmqThreads.virtualThreadsAvailable()).isEqualTo(Runtime.version().feature() >= 21);
    }

    @Test
    void virtualThreadsPropertyReachesTheFactory() {
        ListenerTestSupport.runner().withPropertyValues("spring.threads.virtual.enabled=true").run(ctx ->
                assertThat(ctx.getBean(DefaultZmqListenerContainerFactory.class).isVirtualThreads())
                        .isEqualTo(Runtime.version().feature() >= 21));
    }

    private static boolean isVirtual(Thread thread) throws Exception {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- annotation mistakes fail startup

    @Configuration(proxyBeanMethods = false)
    static class UnknownSocket {
        @Bean
        Object unknownSocket() {
            return new Object() {
                @ZmqListener(socket = "missing")
                void on(String s) {
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PushListener {
        @Bean
        Object pushListener() {
            return new Object() {
                @ZmqListener(type = "PUSH", bind = "inproc://x")
                void on(String s) {
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BothSocketAndType {
        @Bean
        Object both() {
            return new Object() {
                @ZmqListener(socket = "a", type = "PULL")
                void on(String s) {
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ConfiguredRepConcurrent {
        @Bean
        Object rep() {
            return new Object() {
                @ZmqListener(socket = "server", concurrency = "2")
                String on(String s) {
                    return s;
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadInlineEndpoint {
        @Bean
        Object bad() {
            return new Object() {
                @ZmqListener(type = "PULL", bind = "tcp://*:notaport")
                void on(String s) {
                }
            };
        }
    }

    @Test
    void annotationMistakesFailStartupNamingTheAttribute() {
        var runner = ListenerTestSupport.runner();
        runner.withUserConfiguration(UnknownSocket.class).run(ctx -> {
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("@ZmqListener on").contains("socket").contains("there is no socket named 'missing'");
            assertThat(analysis.getAction()).contains("zmq.sockets.missing");
        });
        runner.withUserConfiguration(PushListener.class).run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getDescription()).contains("attribute type").contains("cannot receive on a PUSH socket"));
        runner.withUserConfiguration(BothSocketAndType.class).run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getDescription()).contains("either a configured socket or an inline one"));
        runner.withUserConfiguration(ConfiguredRepConcurrent.class)
                .withPropertyValues("zmq.sockets.server.type=REP", "zmq.sockets.server.bind=inproc://srv").run(ctx ->
                        assertThat(analyze(ctx.getStartupFailure()).getAction()).contains("make zmq.sockets.server a ROUTER"));
        runner.withUserConfiguration(BadInlineEndpoint.class).run(ctx ->
                assertThat(analyze(ctx.getStartupFailure()).getDescription()).contains("attribute bind[0]").contains("'notaport' is not a port number"));
    }

    @Test
    void aStoppedContainerDoesNotHoldTheApplicationContext() {
        var endpoint = inproc("ctl");
        var containers = new ArrayList<ZmqMessageListenerContainer>();
        ListenerTestSupport.runner().withUserConfiguration(Controllable.class)
                .withPropertyValues("t.id=c", "t.endpoint=" + endpoint, "t.lazy=" + inproc("l"))
                .run(ctx -> containers.addAll(ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainers()));
        assertThat(containers).hasSize(2);
        awaitCondition(() -> containers.stream().noneMatch(ZmqMessageListenerContainer::isRunning), Duration.ofSeconds(5));
        assertThat(containers.get(0).getSocket().isClosed()).isTrue();
    }
}
