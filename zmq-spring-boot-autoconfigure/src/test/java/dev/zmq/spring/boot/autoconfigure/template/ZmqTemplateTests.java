package dev.zmq.spring.boot.autoconfigure.template;

import dev.zmq.spring.core.ZmqReplyTimeoutException;
import dev.zmq.spring.core.ZmqSendTimeoutException;
import dev.zmq.spring.core.ZmqTemplate;
import dev.zmq.spring.core.ZmqTemplateException;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.inproc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Timeout(60)
class ZmqTemplateTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class,
            ZmqTemplateAutoConfiguration.class, JacksonAutoConfiguration.class));

    record Quote(String symbol, double price) {
    }

    /** A socket of {@code type} bound to {@code endpoint}, closing at once (LINGER 0). */
    static ZmqSocket sink(AssertableApplicationContext ctx, SocketType type, String endpoint) {
        var s = ctx.getBean(ZmqContext.class).socket(type);
        s.set(SocketOption.LINGER, 0);
        s.bind(endpoint);
        return s;
    }

    @Test
    void templateIsConfiguredAndReplaceable() {
        runner.run(ctx -> assertThat(ctx).hasSingleBean(ZmqTemplate.class));
        runner.withBean("myTemplate", ZmqTemplate.class, () -> null).run(ctx ->
                assertThat(ctx).getBeanNames(ZmqTemplate.class).containsExactly("myTemplate"));
        runner.withClassLoader(new FilteredClassLoader(ZmqContext.class)).run(ctx -> assertThat(ctx).doesNotHaveBean(ZmqTemplate.class));
        runner.withClassLoader(new FilteredClassLoader(org.springframework.messaging.converter.MessageConverter.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(ZmqTemplate.class));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqTemplateAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(ZmqTemplate.class)); // no socket registry
    }

    @Test
    void sendsBytesTextFramesAndConvertedObjects() {
        var endpoint = inproc("out");
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect=" + endpoint,
                "zmq.template.default-socket=out").run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            try (var pull = sink(ctx, SocketType.PULL, endpoint)) {
                template.send("out", "text".getBytes(StandardCharsets.UTF_8));
                assertThat(pull.recv(Duration.ofSeconds(5)).frameString(0)).isEqualTo("text");
                template.send("out", "string");
                assertThat(pull.recv(Duration.ofSeconds(5)).frameString(0)).isEqualTo("string");
                template.sendMultipart("out", "a".getBytes(StandardCharsets.UTF_8), "b".getBytes(StandardCharsets.UTF_8));
                assertThat(pull.recv(Duration.ofSeconds(5))).isEqualTo(Message.of("a", "b"));
                template.convertAndSend(new Quote("EURUSD", 1.5));
                assertThat(pull.recv(Duration.ofSeconds(5)).frameString(0)).isEqualTo("{\"symbol\":\"EURUSD\",\"price\":1.5}");
                template.send(Message.of("default"));
                assertThat(pull.recv(Duration.ofSeconds(5)).frameString(0)).isEqualTo("default");
            }
            var stats = ctx.getBean(ZmqSocketRegistry.class).get("out").orElseThrow().stats();
            assertThat(stats.messagesSent()).isEqualTo(5);
            assertThat(stats.bytesSent()).isEqualTo(4 + 6 + 2 + 31 + 7);
        });
    }

    @Test
    void convertAndSendWithTopicPublishesTopicThenBody() {
        var endpoint = inproc("pub");
        runner.withPropertyValues("zmq.sockets.feed.type=PUB", "zmq.sockets.feed.bind=" + endpoint).run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            try (var sub = ctx.getBean(ZmqContext.class).socket(SocketType.SUB)) {
                sub.subscribe("EUR");
                sub.connect(endpoint);
                Message got = null;
                for (int i = 0; i < 200 && got == null; i++) {
                    template.convertAndSend("feed", "EURUSD", new Quote("EURUSD", 1.25));
                    got = sub.recv(Duration.ofMillis(20));
                }
                assertThat(got).isNotNull();
                assertThat(got.size()).isEqualTo(2);
                assertThat(got.frameString(0)).isEqualTo("EURUSD");
                assertThat(got.frameString(1)).isEqualTo("{\"symbol\":\"EURUSD\",\"price\":1.25}");
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Replier {
        @Bean
        ReplierBean replier() {
            return new ReplierBean();
        }
    }

    static class ReplierBean {
        final CyclicBarrier together = new CyclicBarrier(4);

        @ZmqListener(id = "echo", type = "REP", bind = "inproc://echo")
        String echo(String request) {
            return "echo:" + request;
        }

        @ZmqListener(id = "quotes", type = "REP", bind = "inproc://quotes")
        Quote quote(Quote request) {
            return new Quote(request.symbol(), request.price() * 2);
        }

        /** Answers only when 4 requests are in hand together: proves requests do not serialize. */
        @ZmqListener(id = "slow", type = "REP", bind = "inproc://slow", concurrency = "4")
        String slow(String request) throws Exception {
            together.await(10, TimeUnit.SECONDS);
            return "slow:" + request;
        }

        @ZmqListener(id = "router", type = "ROUTER", bind = "inproc://router")
        String router(String request) {
            return "routed:" + request;
        }
    }

    private ApplicationContextRunner withReplier() {
        return runner.withUserConfiguration(Replier.class).withPropertyValues(
                "zmq.sockets.rpc.type=DEALER", "zmq.sockets.rpc.connect=inproc://echo",
                "zmq.sockets.quotes.type=DEALER", "zmq.sockets.quotes.connect=inproc://quotes",
                "zmq.sockets.slow.type=DEALER", "zmq.sockets.slow.connect=inproc://slow",
                "zmq.sockets.routed.type=DEALER", "zmq.sockets.routed.connect=inproc://router",
                "zmq.sockets.req.type=REQ", "zmq.sockets.req.connect=inproc://echo");
    }

    @Test
    void requestReplyOverDealerAndReq() {
        withReplier().run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            assertThat(template.sendAndReceive("rpc", Message.of("hi")).frameString(0)).isEqualTo("echo:hi");
            assertThat(template.sendAndReceive("req", Message.of("there"), Duration.ofSeconds(5)).frameString(0)).isEqualTo("echo:there");
            assertThat(template.sendAndReceive("routed", Message.of("r")).frameString(0)).isEqualTo("routed:r");
            assertThat(template.convertSendAndReceive("quotes", new Quote("GBP", 2), Quote.class)).isEqualTo(new Quote("GBP", 4));
            assertThat(template.convertSendAndReceive("rpc", "x", String.class)).isEqualTo("echo:x");
            assertThat(template.convertSendAndReceiveAsync("quotes", new Quote("JPY", 3), Quote.class).get(5, TimeUnit.SECONDS))
                    .isEqualTo(new Quote("JPY", 6));
            assertThat(template.sendAndReceiveAsync("req", Message.of("async")).get(5, TimeUnit.SECONDS).frameString(0)).isEqualTo("echo:async");
        });
    }

    @Test
    void concurrentRequestsOnOneDealerDoNotSerialize() {
        withReplier().run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            var futures = new ArrayList<CompletableFuture<Message>>();
            for (int i = 0; i < 4; i++) {
                futures.add(template.sendAndReceiveAsync("slow", Message.of("r" + i), Duration.ofSeconds(15)));
            }
            for (int i = 0; i < 4; i++) {
                assertThat(futures.get(i).get(20, TimeUnit.SECONDS).frameString(0)).isEqualTo("slow:r" + i);
            }
            // and from many threads, each reply reaches its own caller
            var threads = new ArrayList<Thread>();
            var wrong = new java.util.concurrent.ConcurrentLinkedQueue<String>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 25; i++) {
                        var body = "t" + id + "-" + i;
                        var reply = template.sendAndReceive("rpc", Message.of(body)).frameString(0);
                        if (!reply.equals("echo:" + body)) {
                            wrong.add(reply);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (var t : threads) {
                t.join(30_000);
                assertThat(t.isAlive()).isFalse();
            }
            assertThat(wrong).isEmpty();
        });
    }

    @Test
    void aMissingReplyFailsWithAClearTimeout() {
        var silent = inproc("silent");
        runner.withPropertyValues("zmq.sockets.rpc.type=DEALER", "zmq.sockets.rpc.connect=" + silent,
                "zmq.sockets.req.type=REQ", "zmq.sockets.req.connect=" + silent,
                "zmq.template.reply-timeout=300ms").run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            try (var blackHole = sink(ctx, SocketType.ROUTER, silent)) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> template.sendAndReceive("rpc", Message.of("anyone?")))
                        .isInstanceOf(ZmqReplyTimeoutException.class)
                        .hasMessageContaining("No reply on socket 'rpc' within 300 ms")
                        .hasMessageContaining("zmq.template.reply-timeout");
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(elapsedMs).isBetween(250L, 3000L);

                assertThatThrownBy(() -> template.sendAndReceive("rpc", Message.of("x"), Duration.ofMillis(100)))
                        .isInstanceOf(ZmqReplyTimeoutException.class).hasMessageContaining("within 100 ms");

                var future = template.sendAndReceiveAsync("rpc", Message.of("async"), Duration.ofMillis(100));
                assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(ZmqReplyTimeoutException.class);

                assertThatThrownBy(() -> template.sendAndReceive("req", Message.of("req?"), Duration.ofMillis(100)))
                        .isInstanceOf(ZmqReplyTimeoutException.class).hasMessageContaining("'req'");
                // the REQ socket is not wedged: a late reply to the first request is discarded, the next one matches
                var first = recvBody(blackHole, "req?");
                var next = CompletableFuture.supplyAsync(() -> template.sendAndReceive("req", Message.of("again"), Duration.ofSeconds(5)));
                var second = recvBody(blackHole, "again");
                blackHole.send(replyTo(first, "late"));
                blackHole.send(replyTo(second, "fresh"));
                assertThat(next.get(5, TimeUnit.SECONDS).frameString(0)).isEqualTo("fresh");
            }
        });
    }

    /** The next message the ROUTER gets whose body is {@code body} (others are skipped). */
    private static Message recvBody(ZmqSocket router, String body) {
        while (true) {
            var m = router.recv(Duration.ofSeconds(5));
            assertThat(m).as("a request with body " + body).isNotNull();
            if (m.frameString(m.size() - 1).equals(body)) {
                return m;
            }
        }
    }

    private static byte[][] envelope(Message m) {
        return m.frames().subList(0, m.size() - 1).toArray(byte[][]::new);
    }

    /** A ROUTER's answer: the request's envelope (all frames but the body) and a new body. */
    static Message replyTo(Message request, String body) {
        return Message.of(body).prepend(envelope(request));
    }

    @Test
    void misuseIsReportedClearly() {
        runner.withPropertyValues("zmq.sockets.out.type=PUSH").run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            assertThatThrownBy(() -> template.send("nope", "x")).isInstanceOf(ZmqTemplateException.class)
                    .hasMessageContaining("No socket named 'nope'");
            assertThatThrownBy(() -> template.sendAndReceive("out", Message.of("x"))).isInstanceOf(ZmqTemplateException.class)
                    .hasMessageContaining("is a PUSH: request-reply needs a DEALER");
            assertThatThrownBy(() -> template.send(Message.of("x"))).isInstanceOf(ZmqTemplateException.class)
                    .hasMessageContaining("zmq.template.default-socket is not set");
            assertThat(template.sendAndReceiveAsync("nope", Message.of("x"))).isCompletedExceptionally();
        });
    }

    @Test
    void sendTimeoutReportsAFullQueue() {
        runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.options.sndhwm=1",
                "zmq.sockets.out.options.immediate=false", "zmq.template.send-timeout=50ms").run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            // no peer at all: PUSH has nowhere to queue, so the send cannot complete in time
            assertThatThrownBy(() -> template.send("out", "x")).isInstanceOf(ZmqTemplateException.class)
                    .hasMessageContaining("within 50 ms (zmq.template.send-timeout)");
            assertThat(ctx.getBean(ZmqSocketRegistry.class).get("out").orElseThrow().stats().messagesDropped()).isEqualTo(1);
        });
    }

    @Test
    void sendHasABoundedDefaultTimeoutAndThrowsWhenItExpires() {
        runner.withPropertyValues("zmq.sockets.out.type=PUSH").run(ctx -> {
            assertThat(ctx.getBean(dev.zmq.spring.boot.autoconfigure.config.ZmqProperties.class).getTemplate().getSendTimeout())
                    .isEqualTo(Duration.ofSeconds(5));
            var template = ctx.getBean(ZmqTemplate.class);
            // a PUSH with no peer: without a default timeout this send blocked until shutdown
            var send = CompletableFuture.runAsync(() -> template.send("out", "x"));
            assertThatThrownBy(() -> send.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ZmqSendTimeoutException.class)
                    .hasMessageContaining("within 5000 ms (zmq.template.send-timeout)")
                    .hasMessageContaining("the message was not sent");
        });
        runner.withPropertyValues("zmq.sockets.out.type=DEALER", "zmq.template.send-timeout=50ms").run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            assertThatThrownBy(() -> template.sendAndReceive("out", Message.of("x"), Duration.ofSeconds(20)))
                    .isInstanceOf(ZmqSendTimeoutException.class).hasMessageContaining("within 50 ms");
        });
    }

    @Test
    void listenerRegistryIsUntouchedByTemplateUse() {
        withReplier().run(ctx -> assertThat(ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainerIds())
                .containsExactlyInAnyOrder("echo", "quotes", "slow", "router"));
    }
}
