package dev.zmq.spring.boot.autoconfigure.listener;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.configurationCause;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.inproc;
import static dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerEndToEndTests.client;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.recovery.ZmqFailedMessage;
import dev.zmq.spring.recovery.ZmqMessageRecoverer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Batch listeners get the messages available now, up to the batch size, converted; failures recover each message. */
@Timeout(60)
class BatchListenerTests {

    record Order(String item, int quantity) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Batches {
        final List<List<Order>> orders = new CopyOnWriteArrayList<>();
        final List<List<String>> frames = new CopyOnWriteArrayList<>();
        final List<ZmqFailedMessage> recovered = new CopyOnWriteArrayList<>();
        final List<Integer> failingCalls = new CopyOnWriteArrayList<>();

        @Bean
        ZmqMessageRecoverer recorder() {
            return recovered::add;
        }

        @Bean
        Object batchListeners() {
            var state = this;
            return new Object() {
                @ZmqListener(id = "orders", socket = "orders-in", batch = "true", batchSize = "3", autoStartup = "false")
                void orders(List<Order> batch) {
                    state.orders.add(List.copyOf(batch));
                }

                @ZmqListener(id = "raw", type = "PULL", bind = "${t.raw}", batch = "true")
                void raw(List<Message> batch) {
                    var seen = new ArrayList<String>();
                    batch.forEach(m -> seen.add(m.size() + ":" + m.frameString(m.size() - 1)));
                    state.frames.add(seen);
                }

                @ZmqListener(id = "failing", socket = "failing-in", batch = "true", maxAttempts = "2", backoff = "1ms",
                        autoStartup = "false")
                void failing(List<String> batch) {
                    state.failingCalls.add(batch.size());
                    throw new IllegalStateException("batch of " + batch.size() + " refused");
                }
            };
        }
    }

    private static String[] properties() {
        var orders = inproc("orders");
        var failing = inproc("failing");
        return new String[] {"t.orders=" + orders, "t.raw=" + inproc("raw"), "t.failing=" + failing,
                "zmq.sockets.orders-in.type=PULL", "zmq.sockets.orders-in.bind=" + orders,
                "zmq.sockets.failing-in.type=PULL", "zmq.sockets.failing-in.bind=" + failing};
    }

    @Test
    void messagesWaitingAreDeliveredInBatchesUpToTheSizeAndConverted() {
        ListenerTestSupport.runner().withUserConfiguration(Batches.class).withPropertyValues(properties()).run(ctx -> {
            var state = ctx.getBean(Batches.class);
            try (var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("t.orders"))) {
                for (int i = 1; i <= 7; i++) {
                    push.send("{\"item\":\"i" + i + "\",\"quantity\":" + i + "}");
                }
                // the seven wait in the listener's socket; started now, it takes them in batches of at most three
                ctx.getBean(ZmqListenerEndpointRegistry.class).start("orders");
                awaitCondition(() -> state.orders.stream().mapToInt(List::size).sum() == 7, Duration.ofSeconds(10));
                assertThat(state.orders).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 3));
                assertThat(state.orders).as("messages already waiting come together").anySatisfy(batch -> assertThat(batch.size()).isGreaterThan(1));
                assertThat(state.orders.stream().flatMap(List::stream).map(Order::item).toList())
                        .containsExactly("i1", "i2", "i3", "i4", "i5", "i6", "i7");
                assertThat(state.orders.get(0).get(0)).isEqualTo(new Order("i1", 1));
                var outcomes = ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("orders").getOutcomes();
                // counted once the listener returned, after it recorded the batch: wait for it as for recovered() below
                awaitCondition(() -> outcomes.succeeded() == 7, Duration.ofSeconds(5));
                assertThat(outcomes.succeeded()).isEqualTo(7);
            }
        });
    }

    @Test
    void aBatchOfOneIsAListToo() {
        ListenerTestSupport.runner().withUserConfiguration(Batches.class).withPropertyValues(properties()).run(ctx -> {
            var state = ctx.getBean(Batches.class);
            try (var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("t.raw"))) {
                push.send(Message.of("key", "value"));
                awaitCondition(() -> !state.frames.isEmpty(), Duration.ofSeconds(10));
                assertThat(state.frames.get(0)).containsExactly("2:value");
            }
        });
    }

    @Test
    void aFailedBatchIsRetriedWholeThenEachMessageIsRecovered() {
        ListenerTestSupport.runner().withUserConfiguration(Batches.class).withPropertyValues(properties()).run(ctx -> {
            var state = ctx.getBean(Batches.class);
            try (var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("t.failing"))) {
                push.send("a");
                push.send("b");
                ctx.getBean(ZmqListenerEndpointRegistry.class).start("failing");
                awaitCondition(() -> state.recovered.size() == 2, Duration.ofSeconds(10));
                assertThat(state.recovered).extracting(f -> f.message().frameString(0)).containsExactly("a", "b");
                assertThat(state.recovered).allSatisfy(f -> {
                    assertThat(f.attempts()).isEqualTo(2);
                    assertThat(f.failure()).hasMessageStartingWith("batch of");
                });
                var outcomes = ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("failing").getOutcomes();
                awaitCondition(() -> outcomes.recovered() == 2, Duration.ofSeconds(5));
                // each batch was called twice; its retry is counted once
                assertThat(state.failingCalls.size()).isEqualTo(2 * (int) outcomes.retries());
            }
        });
    }

    @Test
    void aReplyingSocketCannotBeABatchListener() {
        ListenerTestSupport.runner().withUserConfiguration(RepBatch.class).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(configurationCause(ctx.getStartupFailure()).getMessage()).contains("cannot take them in batches");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class RepBatch {
        @Bean
        Object repBatch() {
            return new Object() {
                @ZmqListener(id = "rep", type = "REP", bind = "inproc://rep-batch", batch = "true")
                void rep(List<String> batch) {
                }
            };
        }
    }
}
