package dev.zmq.spring.boot.autoconfigure.listener;

import dev.zmq.spring.core.ZmqErrorReply;
import dev.zmq.spring.listener.ZmqHeaders;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.listener.ZmqListenerErrorHandler;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.inproc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.listener.ListenerTestSupport.Inbox;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.validation.annotation.Validated;

/** Listeners on real sockets: argument resolution, replies, conversion, errors, forwarding. */
@Timeout(60)
class ZmqListenerEndToEndTests {

    static ZmqSocket client(AssertableApplicationContext ctx, SocketType type, String endpoint) {
        var socket = ctx.getBean(ZmqContext.class).socket(type);
        socket.set(SocketOption.LINGER, 0);
        socket.set(SocketOption.RCVTIMEO, 10_000);
        socket.connect(endpoint);
        return socket;
    }

    /** {@code reply} is an error reply {@code [0xFF 'Z' 'E' 1, code, message]}. */
    static void assertErrorReply(Message reply, String code, String message) {
        assertThat(ZmqErrorReply.isErrorReply(reply)).as("error reply %s", reply).isTrue();
        assertThat(reply.frame(0)).containsExactly(0xFF - 256, 'Z', 'E', 1);
        assertThat(reply.frameString(1)).isEqualTo(code);
        assertThat(reply.frameString(2)).isEqualTo(message);
    }

    // ---------------------------------------------------------------- PULL: raw argument types

    @Configuration(proxyBeanMethods = false)
    static class PullListeners {
        @Bean
        PullBean pullBean(Inbox inbox) {
            return new PullBean(inbox);
        }
    }

    static class PullBean {
        final Inbox inbox;

        PullBean(Inbox inbox) {
            this.inbox = inbox;
        }

        @ZmqListener(id = "bytes", type = "PULL", bind = "${t.bytes}")
        void bytes(byte[] body) {
            inbox.add("bytes:" + new String(body, StandardCharsets.UTF_8));
        }

        @ZmqListener(id = "text", type = "pull", bind = "${t.text}")
        void text(String body, @Header(ZmqHeaders.LISTENER_ID) String id, @Header(ZmqHeaders.SOCKET_TYPE) SocketType type) {
            inbox.add(id + ":" + type + ":" + body);
        }

        @ZmqListener(id = "core", type = "PULL", bind = "${t.core}")
        void core(Message message, List<byte[]> frames, org.springframework.messaging.Message<byte[]> spring) {
            inbox.add(message.size() + "/" + frames.size() + "/" + new String(frames.get(0), StandardCharsets.UTF_8) + "/"
                    + new String(spring.getPayload(), StandardCharsets.UTF_8) + "/" + spring.getHeaders().get(ZmqHeaders.FRAME_COUNT));
        }
    }

    @Test
    void pullListenersReceiveBytesTextAndWholeMessages() {
        var bytes = inproc("bytes");
        var text = inproc("text");
        var core = inproc("core");
        ListenerTestSupport.runner().withUserConfiguration(PullListeners.class)
                .withPropertyValues("t.bytes=" + bytes, "t.text=" + text, "t.core=" + core).run(ctx -> {
                    var inbox = ctx.getBean(Inbox.class);
                    try (var a = client(ctx, SocketType.PUSH, bytes); var b = client(ctx, SocketType.PUSH, text);
                         var c = client(ctx, SocketType.PUSH, core)) {
                        a.send("one");
                        assertThat(inbox.take()).isEqualTo("bytes:one");
                        b.send("two");
                        assertThat(inbox.take()).isEqualTo("text:PULL:two");
                        c.send(Message.of("head", "middle", "body"));
                        assertThat(inbox.take()).isEqualTo("3/3/head/body/3");
                    }
                });
    }

    @Test
    void emptyMessagesReachListenersAsEmptyBodies() {
        var bytes = inproc("bytes");
        var text = inproc("text");
        var core = inproc("core");
        ListenerTestSupport.runner().withUserConfiguration(PullListeners.class)
                .withPropertyValues("t.bytes=" + bytes, "t.text=" + text, "t.core=" + core).run(ctx -> {
                    var inbox = ctx.getBean(Inbox.class);
                    try (var a = client(ctx, SocketType.PUSH, bytes); var b = client(ctx, SocketType.PUSH, text)) {
                        a.send(new byte[0]);
                        assertThat(inbox.take()).isEqualTo("bytes:");
                        b.send("");
                        assertThat(inbox.take()).isEqualTo("text:PULL:");
                    }
                });
    }

    // ---------------------------------------------------------------- REP over tcp, JSON, validation, errors

    record Order(@NotBlank String item, @Positive int quantity) {
    }

    record Confirmation(String item, int quantity, String status) {
    }

    @Configuration(proxyBeanMethods = false)
    static class RepListeners {
        @Bean
        RepBean repBean() {
            return new RepBean();
        }
    }

    static class RepBean {
        @ZmqListener(id = "upper", type = "REP", bind = "tcp://127.0.0.1:*")
        String upper(String request) {
            if (request.equals("boom")) {
                throw new IllegalStateException("boom requested");
            }
            return request.toUpperCase();
        }

        @ZmqListener(id = "orders", type = "REP", bind = "tcp://127.0.0.1:*")
        Confirmation order(@Validated @Payload Order order) {
            return new Confirmation(order.item(), order.quantity(), "accepted");
        }

        @ZmqListener(id = "silent", type = "REP", bind = "tcp://127.0.0.1:*")
        void silent(String request) {
        }
    }

    @Test
    void repListenerRepliesAndSurvivesExceptions() {
        ListenerTestSupport.runner().withUserConfiguration(RepListeners.class).run(ctx -> {
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.upper.endpoint"))) {
                req.send("hello");
                assertThat(req.recvString()).isEqualTo("HELLO");
                req.send("boom");
                assertErrorReply(req.recv(), ZmqErrorReply.INTERNAL, "the listener failed");
                req.send("again");
                assertThat(req.recvString()).isEqualTo("AGAIN");
            }
            var container = ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("upper");
            assertThat(container.isRunning()).isTrue();
            assertThat(container.getSocket().lastError().message()).contains("boom requested");
        });
    }

    @Test
    void repListenerConvertsJsonAndValidates() {
        ListenerTestSupport.runner().withUserConfiguration(RepListeners.class).run(ctx -> {
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.orders.endpoint"))) {
                req.send("{\"item\":\"book\",\"quantity\":2}");
                assertThat(req.recvString()).isEqualTo("{\"item\":\"book\",\"quantity\":2,\"status\":\"accepted\"}");
                req.send("{\"item\":\"\",\"quantity\":-1}");
                assertErrorReply(req.recv(), ZmqErrorReply.BAD_REQUEST, "the request could not be converted or validated");
                req.send("not json");
                assertErrorReply(req.recv(), ZmqErrorReply.BAD_REQUEST, "the request could not be converted or validated");
                req.send("{\"item\":\"pen\",\"quantity\":1}");
                assertThat(req.recvString()).contains("\"pen\"");
            }
        });
    }

    @Test
    void repListenerReturningNothingStillAnswers() {
        ListenerTestSupport.runner().withUserConfiguration(RepListeners.class).run(ctx -> {
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.silent.endpoint"))) {
                req.send("x");
                var reply = req.recv();
                assertThat(reply.size()).isEqualTo(1);
                assertThat(reply.first()).isEmpty();
            }
        });
    }

    // ---------------------------------------------------------------- asynchronous return values

    @Configuration(proxyBeanMethods = false)
    static class AsyncListeners {
        @Bean
        AsyncBean asyncBean() {
            return new AsyncBean();
        }
    }

    static class AsyncBean {
        @ZmqListener(id = "future", type = "REP", bind = "tcp://127.0.0.1:*")
        java.util.concurrent.CompletableFuture<String> future(String request) {
            if (request.equals("fail")) {
                return java.util.concurrent.CompletableFuture.failedFuture(new IllegalArgumentException("no " + request));
            }
            if (request.equals("never")) {
                return new java.util.concurrent.CompletableFuture<>();
            }
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> "later " + request);
        }

        @ZmqListener(id = "stage", type = "REP", bind = "tcp://127.0.0.1:*")
        java.util.concurrent.CompletionStage<Confirmation> stage(String item) {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> new Confirmation(item, 1, "async"));
        }

        @ZmqListener(id = "mono", type = "REP", bind = "tcp://127.0.0.1:*")
        reactor.core.publisher.Mono<String> mono(String request) {
            return reactor.core.publisher.Mono.fromCallable(() -> "mono " + request)
                    .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic());
        }
    }

    @Test
    void asyncReturnValuesAreAwaitedAndTheirValueIsTheReply() {
        ListenerTestSupport.runner().withUserConfiguration(AsyncListeners.class)
                .withPropertyValues("zmq.listener.async-reply-timeout=300ms", "zmq.listener.error-reply.include-message=true").run(ctx -> {
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.future.endpoint"))) {
                req.send("hello");
                assertThat(req.recvString()).isEqualTo("later hello");
                req.send("fail");
                assertErrorReply(req.recv(), ZmqErrorReply.INTERNAL, "IllegalArgumentException: no fail");
                req.send("never");
                var timeout = req.recv();
                assertThat(ZmqErrorReply.isErrorReply(timeout)).as("error reply %s", timeout).isTrue();
                assertThat(timeout.frameString(1)).isEqualTo(ZmqErrorReply.TIMEOUT);
                assertThat(timeout.frameString(2)).startsWith("TimeoutException")
                        .contains("did not complete within 300 ms (zmq.listener.async-reply-timeout)");
                req.send("again");
                assertThat(req.recvString()).isEqualTo("later again");
            }
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.stage.endpoint"))) {
                req.send("book");
                assertThat(req.recvString()).isEqualTo("{\"item\":\"book\",\"quantity\":1,\"status\":\"async\"}");
            }
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.mono.endpoint"))) {
                req.send("hi");
                assertThat(req.recvString()).isEqualTo("mono hi");
            }
        });
    }

    // ---------------------------------------------------------------- custom error handler by bean name

    @Configuration(proxyBeanMethods = false)
    static class CustomErrorHandler {
        @Bean
        ZmqListenerErrorHandler politeErrors() {
            return (message, exception) -> "sorry: " + exception.getCause().getMessage() + " (" + exception.listenerId() + ")";
        }

        @Bean
        Failing failing() {
            return new Failing();
        }
    }

    static class Failing {
        @ZmqListener(id = "failing", type = "REP", bind = "tcp://127.0.0.1:*", errorHandler = "politeErrors")
        String handle(String request) {
            throw new IllegalArgumentException("cannot " + request);
        }
    }

    @Test
    void aNamedErrorHandlerDecidesTheErrorReply() {
        ListenerTestSupport.runner().withUserConfiguration(CustomErrorHandler.class).run(ctx -> {
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.failing.endpoint"))) {
                req.send("fly");
                assertThat(req.recvString()).isEqualTo("sorry: cannot fly (failing)");
            }
        });
    }

    // ---------------------------------------------------------------- ROUTER: envelope and routing id

    @Configuration(proxyBeanMethods = false)
    static class RouterListeners {
        @Bean
        RouterBean routerBean() {
            return new RouterBean();
        }
    }

    static class RouterBean {
        @ZmqListener(id = "router", type = "ROUTER", bind = "tcp://127.0.0.1:*")
        String route(String body, @Header(ZmqHeaders.ROUTING_ID) String routingId, @Header(ZmqHeaders.ROUTING_ID) byte[] rawId) {
            return routingId + "|" + rawId.length + "|" + body;
        }
    }

    @Test
    void routerListenerRepliesToEachPeerWithItsEnvelope() {
        ListenerTestSupport.runner().withUserConfiguration(RouterListeners.class).run(ctx -> {
            var endpoint = ctx.getEnvironment().getProperty("local.zmq.router.endpoint");
            var context = ctx.getBean(ZmqContext.class);
            try (var d1 = context.socket(SocketType.DEALER); var d2 = context.socket(SocketType.DEALER);
                 var req = context.socket(SocketType.REQ)) {
                d1.set(SocketOption.ROUTING_ID, "alice".getBytes(StandardCharsets.UTF_8));
                d2.set(SocketOption.ROUTING_ID, "bob".getBytes(StandardCharsets.UTF_8));
                req.set(SocketOption.ROUTING_ID, "carol".getBytes(StandardCharsets.UTF_8));
                for (var s : List.of(d1, d2, req)) {
                    s.set(SocketOption.LINGER, 0);
                    s.connect(endpoint);
                }
                d1.send(Message.of("from-alice"));
                d2.send(Message.of("from-bob"));
                req.send("from-carol");
                assertThat(d1.recv(Duration.ofSeconds(10)).frameString(0)).isEqualTo("alice|5|from-alice");
                assertThat(d2.recv(Duration.ofSeconds(10)).frameString(0)).isEqualTo("bob|3|from-bob");
                assertThat(req.recv(Duration.ofSeconds(10)).frameString(0)).isEqualTo("carol|5|from-carol");
                // a DEALER that sends REQ-style (delimiter then body) gets the delimiter back too
                d1.send(Message.of(new byte[0], "enveloped".getBytes(StandardCharsets.UTF_8)));
                var reply = d1.recv(Duration.ofSeconds(10));
                assertThat(reply.size()).isEqualTo(2);
                assertThat(reply.first()).isEmpty();
                assertThat(reply.frameString(1)).isEqualTo("alice|5|enveloped");
            }
        });
    }

    // ---------------------------------------------------------------- SUB: topic header, peer address

    @Configuration(proxyBeanMethods = false)
    static class SubListeners {
        @Bean
        SubBean subBean(Inbox inbox) {
            return new SubBean(inbox);
        }
    }

    static class SubBean {
        final Inbox inbox;

        SubBean(Inbox inbox) {
            this.inbox = inbox;
        }

        @ZmqListener(id = "prices", type = "SUB", connect = "${t.feed}", topics = {"EUR", "GBP"})
        void price(@Header(ZmqHeaders.TOPIC) String topic, String body, @Header(name = ZmqHeaders.PEER_ADDRESS, required = false) String peer) {
            inbox.add(topic + "=" + body + "@" + "127.0.0.1".equals(peer));
        }
    }

    @Test
    void subListenerSeesTopicsAndThePeerAddress() {
        try (var feedContext = new ZmqContext(); var pub = feedContext.socket(SocketType.PUB)) {
            pub.set(SocketOption.LINGER, 0);
            var endpoint = pub.bind("tcp://127.0.0.1:*");
            ListenerTestSupport.runner().withUserConfiguration(SubListeners.class).withPropertyValues("t.feed=" + endpoint).run(ctx -> {
                var inbox = ctx.getBean(Inbox.class);
                Object first = null;
                for (int i = 0; i < 500 && first == null; i++) {
                    pub.send(Message.of("USDJPY", "150"));
                    pub.send(Message.of("EURUSD", "1.08"));
                    first = inbox.items.poll(20, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                assertThat(first).isEqualTo("EURUSD=1.08@true");
                inbox.items.clear();
                pub.send(Message.of("USDCHF", "0.9"));
                pub.send(Message.of("GBPUSD", "1.27"));
                var next = inbox.take();
                while (next.equals("EURUSD=1.08@true")) {
                    next = inbox.take();
                }
                assertThat(next).isEqualTo("GBPUSD=1.27@true");
                // a single-frame message: the topic is the subscription that matched
                pub.send(Message.of("GBP single"));
                assertThat(inbox.take()).isEqualTo("GBP=GBP single@true");
            });
        }
    }

    // ---------------------------------------------------------------- configured socket and @SendTo

    @Configuration(proxyBeanMethods = false)
    static class ForwardingListeners {
        @Bean
        Forwarder forwarder() {
            return new Forwarder();
        }
    }

    static class Forwarder {
        @ZmqListener(socket = "jobs")
        @SendTo("results")
        String work(String job) {
            return "done:" + job;
        }
    }

    @Test
    void configuredSocketListenerForwardsWithSendTo() {
        var jobs = inproc("jobs");
        var results = inproc("results");
        ListenerTestSupport.runner().withUserConfiguration(ForwardingListeners.class).withPropertyValues(
                "zmq.sockets.jobs.type=PULL", "zmq.sockets.jobs.bind=" + jobs,
                "zmq.sockets.results.type=PUSH", "zmq.sockets.results.connect=" + results).run(ctx -> {
            var registry = ctx.getBean(ZmqListenerEndpointRegistry.class);
            assertThat(registry.getListenerContainerIds()).containsExactly("forwarder.work");
            assertThat(registry.getListenerContainer("forwarder.work").ownsSocket()).isFalse();
            try (var sink = ctx.getBean(ZmqContext.class).socket(SocketType.PULL);
                 var source = client(ctx, SocketType.PUSH, jobs)) {
                sink.bind(results);
                source.send("j1");
                assertThat(sink.recv(Duration.ofSeconds(10)).frameString(0)).isEqualTo("done:j1");
            }
        });
    }

    // ---------------------------------------------------------------- many replies in flight

    @Test
    void repliesNeverCrossBetweenConcurrentRequesters() {
        ListenerTestSupport.runner().withUserConfiguration(RepListeners.class).run(ctx -> {
            var endpoint = ctx.getEnvironment().getProperty("local.zmq.upper.endpoint");
            var clients = new ArrayList<Thread>();
            var failures = new java.util.concurrent.ConcurrentLinkedQueue<String>();
            for (int c = 0; c < 4; c++) {
                int id = c;
                clients.add(new Thread(() -> {
                    try (var req = client(ctx, SocketType.REQ, endpoint)) {
                        for (int i = 0; i < 25; i++) {
                            req.send("c" + id + "-" + i);
                            var reply = req.recvString();
                            if (!reply.equals(("c" + id + "-" + i).toUpperCase())) {
                                failures.add(reply);
                            }
                        }
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }));
            }
            clients.forEach(Thread::start);
            for (var t : clients) {
                t.join(30_000);
                assertThat(t.isAlive()).isFalse();
            }
            assertThat(failures).isEmpty();
            assertThat(ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("upper").getHandledCount()).isEqualTo(100);
        });
    }
}
