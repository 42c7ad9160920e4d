package dev.zmq.spring.boot.autoconfigure.listener;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.configurationCause;
import static dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerEndToEndTests.assertErrorReply;
import static dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerEndToEndTests.client;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.listener.ListenerTestSupport.Inbox;
import dev.zmq.spring.core.ZmqErrorReply;
import dev.zmq.spring.headers.ZmqHeaderFrame;
import dev.zmq.spring.listener.ZmqHandler;
import dev.zmq.spring.listener.ZmqHandlerSelectionException;
import dev.zmq.spring.listener.ZmqHeaders;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.recovery.DeadLetterMessageRecoverer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;

/**
 * A class-level {@code @ZmqListener} whose {@code @ZmqHandler} methods are chosen by payload type, on tcp sockets:
 * JSON, text and binary bodies, the payload-type header, the default handler, and the error path when nothing
 * (or more than one thing) matches.
 */
@Timeout(60)
class ClassLevelListenerTests {

    record Order(String item, int quantity) {
    }

    record Refund(String order, long cents) {
    }

    /** The same shape as {@link Order}: a body of one converts to the other too. */
    record Reservation(String item, int quantity) {
    }

    /** JSON to the record, other UTF-8 text to String, anything else to byte[]. */
    // tag::class-level[]
    @ZmqListener(id = "intake", type = "PULL", bind = "tcp://127.0.0.1:*")
    static class Intake {
        final Inbox inbox;

        Intake(Inbox inbox) {
            this.inbox = inbox;
        }

        @ZmqHandler
        void order(Order order, @Header(ZmqHeaders.LISTENER_ID) String listener) {
            inbox.add("order " + order.item() + " x" + order.quantity() + " via " + listener);
        }

        @ZmqHandler
        void text(String text) {
            inbox.add("text " + text);
        }

        @ZmqHandler
        void binary(byte[] body) {
            inbox.add("binary " + body.length + " bytes, first " + (body[0] & 0xFF));
        }
    }
    // end::class-level[]

    /** A REP service: each handler's return value is the reply; no handler takes binary bodies. */
    @ZmqListener(id = "desk", type = "REP", bind = "tcp://127.0.0.1:*")
    static class Desk {
        @ZmqHandler
        String order(Order order) {
            return "ordered " + order.quantity() + " " + order.item();
        }

        @ZmqHandler
        String text(String text) {
            return text.toUpperCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Three JSON types, two of the same shape: the sender names the type in the header envelope; an unknown type goes
     * to the default handler; an order without the header converts to Order and Reservation, so it is ambiguous
     * and dead-lettered, while a refund without it has one match.
     */
    @ZmqListener(id = "payments", type = "PULL", bind = "tcp://127.0.0.1:*", headers = "true", maxAttempts = "3",
            backoff = "1ms", deadLetter = "failed")
    static class Payments {
        final Inbox inbox;
        final AtomicInteger calls = new AtomicInteger();

        Payments(Inbox inbox) {
            this.inbox = inbox;
        }

        @ZmqHandler
        void order(Order order) {
            calls.incrementAndGet();
            inbox.add("order " + order.item());
        }

        @ZmqHandler
        void refund(Refund refund) {
            calls.incrementAndGet();
            inbox.add("refund " + refund.order() + " " + refund.cents());
        }

        @ZmqHandler
        void reservation(Reservation reservation) {
            calls.incrementAndGet();
            inbox.add("reservation " + reservation.item());
        }

        @ZmqHandler(isDefault = true)
        void other(String body, @Header(ZmqHeaders.PAYLOAD_TYPE) String type) {
            calls.incrementAndGet();
            inbox.add("other " + type + " " + body);
        }
    }

    /** Only JSON orders: text is no match, dead-lettered at once although three attempts are allowed. */
    @ZmqListener(id = "strict", type = "PULL", bind = "tcp://127.0.0.1:*", maxAttempts = "3", backoff = "1ms", deadLetter = "failed")
    static class Strict {
        final AtomicInteger calls = new AtomicInteger();

        @ZmqHandler
        void order(Order order) {
            calls.incrementAndGet();
        }
    }

    /** @SendTo on the class: every handler's result is forwarded. */
    @ZmqListener(id = "forwarding", type = "PULL", bind = "tcp://127.0.0.1:*")
    @SendTo("audit")
    static class Forwarding {
        @ZmqHandler
        String order(Order order) {
            return "audit order " + order.item();
        }

        @ZmqHandler
        String text(String text) {
            return "audit text " + text;
        }
    }

    @ZmqListener(id = "twice", type = "PULL", bind = "tcp://127.0.0.1:*")
    static class SameTypeTwice {
        @ZmqHandler
        void first(Order order) {
        }

        @ZmqHandler
        void second(@org.springframework.messaging.handler.annotation.Payload Order order, @Header(ZmqHeaders.TOPIC) String topic) {
        }
    }

    @ZmqListener(id = "defaults", type = "PULL", bind = "tcp://127.0.0.1:*")
    static class TwoDefaults {
        @ZmqHandler(isDefault = true)
        void first(Order order) {
        }

        @ZmqHandler(isDefault = true)
        void second(String text) {
        }
    }

    static class HandlersWithoutListener {
        @ZmqHandler
        void order(Order order) {
        }
    }

    @ZmqListener(id = "handlerSendTo", type = "PULL", bind = "tcp://127.0.0.1:*")
    static class SendToOnHandler {
        @ZmqHandler
        @SendTo("audit")
        String order(Order order) {
            return order.item();
        }
    }

    private static String[] sockets() {
        return new String[] {"zmq.sockets.failed.type=PUSH", "zmq.sockets.failed.bind=tcp://127.0.0.1:*",
                "zmq.sockets.audit.type=PUSH", "zmq.sockets.audit.bind=tcp://127.0.0.1:*"};
    }

    private static ZmqSocket pullFrom(AssertableApplicationContext ctx, String socket) {
        return client(ctx, SocketType.PULL, ctx.getEnvironment().getProperty("local.zmq." + socket + ".endpoint"));
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonTextAndBinaryBodiesEachReachTheHandlerOfTheirType() {
        ListenerTestSupport.runner().withBean(Intake.class).run(ctx -> {
            var inbox = ctx.getBean(Inbox.class);
            try (var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("local.zmq.intake.endpoint"))) {
                push.send(json("{\"item\":\"tea\",\"quantity\":2}"));
                push.send("hello");
                push.send(new byte[] {(byte) 0xC3, 0x28, 0x00}); // not UTF-8
                push.send(Message.of("key", "{\"item\":\"cake\",\"quantity\":1}")); // the body is the last frame
                // taken before the PUSH (LINGER 0) closes, which would drop what it has not delivered yet
                assertThat(inbox.take()).isEqualTo("order tea x2 via intake");
                assertThat(inbox.take()).isEqualTo("text hello");
                assertThat(inbox.take()).isEqualTo("binary 3 bytes, first 195");
                assertThat(inbox.take()).isEqualTo("order cake x1 via intake");
            }
            var outcomes = ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("intake").getOutcomes();
            awaitCondition(() -> outcomes.succeeded() == 4, Duration.ofSeconds(10));
            assertThat(outcomes.recovered() + outcomes.discarded()).isZero();
        });
    }

    @Test
    void aRepServiceRepliesFromTheChosenHandlerAndAnswersABodyNoHandlerTakesWithBadRequest() {
        ListenerTestSupport.runner().withBean(Desk.class).run(ctx -> {
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.desk.endpoint"))) {
                req.send(json("{\"item\":\"tea\",\"quantity\":3}"));
                assertThat(req.recvString()).isEqualTo("ordered 3 tea");
                req.send("quiet please");
                assertThat(req.recvString()).isEqualTo("QUIET PLEASE");
                req.send(new byte[] {(byte) 0xFF, (byte) 0xFE});
                assertErrorReply(req.recv(), ZmqErrorReply.BAD_REQUEST, "the request could not be converted or validated");
                req.send("still serving");
                assertThat(req.recvString()).isEqualTo("STILL SERVING");
            }
        });
    }

    @Test
    void thePayloadTypeHeaderPicksTheHandlerAnUnknownTypeGoesToTheDefaultAndAnAmbiguousBodyIsDeadLettered() {
        ListenerTestSupport.runner().withBean(Payments.class).withPropertyValues(sockets()).run(ctx -> {
            var inbox = ctx.getBean(Inbox.class);
            var payments = ctx.getBean(Payments.class);
            try (var dead = pullFrom(ctx, "failed");
                 var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("local.zmq.payments.endpoint"))) {
                var order = json("{\"item\":\"tea\",\"quantity\":1}");
                push.send(Message.of(ZmqHeaderFrame.encode(Map.of(ZmqHeaders.PAYLOAD_TYPE, "Reservation")), order));
                push.send(Message.of(ZmqHeaderFrame.encode(Map.of(ZmqHeaders.PAYLOAD_TYPE, Order.class.getName())), order));
                push.send(Message.of(ZmqHeaderFrame.encode(Map.of(ZmqHeaders.PAYLOAD_TYPE, "Coupon")), json("SAVE10")));
                push.send(Message.of(ZmqHeaderFrame.encode(Map.of()), json("{\"order\":\"o-7\",\"cents\":250}")));
                assertThat(inbox.take()).isEqualTo("reservation tea");
                assertThat(inbox.take()).isEqualTo("order tea");
                assertThat(inbox.take()).isEqualTo("other Coupon SAVE10");
                assertThat(inbox.take()).isEqualTo("refund o-7 250");

                push.send(Message.of(ZmqHeaderFrame.encode(Map.of()), order)); // converts to Order and to Reservation
                var letter = dead.recv();
                assertThat(letter).as("a dead letter within 10 s").isNotNull();
                var headers = ZmqHeaderFrame.decode(letter.frame(0));
                assertThat(headers).containsEntry(DeadLetterMessageRecoverer.LISTENER, "payments")
                        .containsEntry(DeadLetterMessageRecoverer.ATTEMPTS, "1")
                        .containsEntry(DeadLetterMessageRecoverer.EXCEPTION, ZmqHandlerSelectionException.class.getName());
                assertThat(headers.get(DeadLetterMessageRecoverer.REASON)).contains("ambiguous payload", "Payments.order(Order)",
                        "Payments.reservation(Reservation)", ZmqHeaders.PAYLOAD_TYPE);
                // the message's content after its header frame, as for any dead letter
                assertThat(letter.frames().subList(1, letter.size())).extracting(String::new).containsExactly(new String(order));
            }
            assertThat(payments.calls).hasValue(4);
            var outcomes = ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("payments").getOutcomes();
            awaitCondition(() -> outcomes.recovered() == 1, Duration.ofSeconds(10));
            assertThat(outcomes.succeeded()).isEqualTo(4);
            assertThat(outcomes.retries()).isZero();
        });
    }

    @Test
    void aBodyNoHandlerTakesIsNotRetriedAndGoesToTheDeadLetterSocket() {
        ListenerTestSupport.runner().withBean(Strict.class).withPropertyValues(sockets()).run(ctx -> {
            var strict = ctx.getBean(Strict.class);
            try (var dead = pullFrom(ctx, "failed");
                 var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("local.zmq.strict.endpoint"))) {
                push.send("not an order");
                var letter = dead.recv();
                assertThat(letter).as("a dead letter within 10 s").isNotNull();
                var headers = ZmqHeaderFrame.decode(letter.frame(0));
                assertThat(headers).containsEntry(DeadLetterMessageRecoverer.ATTEMPTS, "1")
                        .containsEntry(DeadLetterMessageRecoverer.EXCEPTION, ZmqHandlerSelectionException.class.getName());
                assertThat(headers.get(DeadLetterMessageRecoverer.REASON)).contains("no @ZmqHandler", "Strict.order(Order)");
                assertThat(letter.frameString(1)).isEqualTo("not an order");
                push.send(json("{\"item\":\"tea\",\"quantity\":1}"));
                awaitCondition(() -> strict.calls.get() == 1, Duration.ofSeconds(10));
            }
        });
    }

    @Test
    void sendToOnTheClassForwardsTheResultOfEveryHandler() {
        ListenerTestSupport.runner().withBean(Forwarding.class).withPropertyValues(sockets()).run(ctx -> {
            try (var audit = pullFrom(ctx, "audit");
                 var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("local.zmq.forwarding.endpoint"))) {
                push.send(json("{\"item\":\"tea\",\"quantity\":1}"));
                assertThat(audit.recvString()).isEqualTo("audit order tea");
                push.send("hello");
                assertThat(audit.recvString()).isEqualTo("audit text hello");
            }
        });
    }

    @Test
    void twoHandlersOfTheSamePayloadTypeFailStartupNamingBoth() {
        ListenerTestSupport.runner().withBean(SameTypeTwice.class).run(ctx -> {
            assertThat(ctx).hasFailed();
            var cause = configurationCause(ctx.getStartupFailure());
            assertThat(cause.property()).isEqualTo("@ZmqListener on class ClassLevelListenerTests.SameTypeTwice");
            assertThat(cause.problem()).contains("ambiguous @ZmqHandler methods", Order.class.getName());
            assertThat(String.valueOf(cause.value())).contains("SameTypeTwice.first(Order)", "SameTypeTwice.second(Order)");
        });
    }

    @Test
    void twoDefaultHandlersFailStartup() {
        ListenerTestSupport.runner().withBean(TwoDefaults.class).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(configurationCause(ctx.getStartupFailure()).problem()).contains("more than one @ZmqHandler(isDefault = true)");
        });
    }

    @Test
    void handlersWithoutAClassLevelListenerOrWithTheirOwnSendToFailStartup() {
        ListenerTestSupport.runner().withBean(HandlersWithoutListener.class).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(configurationCause(ctx.getStartupFailure()).action()).contains("with @ZmqListener");
        });
        ListenerTestSupport.runner().withBean(SendToOnHandler.class).withPropertyValues(sockets()).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(configurationCause(ctx.getStartupFailure()).action()).contains("Move @SendTo to the class");
        });
    }
}
