package dev.zmq.spring.boot.autoconfigure.listener;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.configurationCause;
import static dev.zmq.spring.boot.autoconfigure.TestSupport.inproc;
import static dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerEndToEndTests.client;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.spring.boot.autoconfigure.metrics.ZmqListenerMetrics;
import dev.zmq.spring.boot.autoconfigure.metrics.ZmqMetricsAutoConfiguration;
import dev.zmq.spring.headers.ZmqHeaderFrame;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.listener.ZmqListenerOutcomes;
import dev.zmq.spring.recovery.DeadLetterMessageRecoverer;
import dev.zmq.spring.recovery.ZmqFailedMessage;
import dev.zmq.spring.recovery.ZmqMessageRecoverer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Payload;

/** Retry with back-off, then the recoverer: logging, dead-letter socket, a bean; every message counted once. */
@Timeout(60)
class ZmqListenerRetryTests {

    record Order(String item, int quantity) {
    }

    static final class Recorded implements ZmqMessageRecoverer {
        final BlockingQueue<ZmqFailedMessage> failed = new LinkedBlockingQueue<>();

        @Override
        public void recover(ZmqFailedMessage message) {
            failed.add(message);
        }

        ZmqFailedMessage take() throws InterruptedException {
            var m = failed.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a recovered message within 10 s").isNotNull();
            return m;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        final AtomicInteger flakyCalls = new AtomicInteger();
        final AtomicInteger brokenCalls = new AtomicInteger();
        final AtomicInteger typedCalls = new AtomicInteger();

        @Bean
        Recorded recorded() {
            return new Recorded();
        }

        @Bean
        Object retryListeners() {
            var state = this;
            return new Object() {
                /** Fails twice, then succeeds: three attempts in all. */
                @ZmqListener(id = "flaky", type = "PULL", bind = "${t.flaky}", maxAttempts = "3", backoff = "5ms", maxBackoff = "20ms")
                void flaky(String body) {
                    if (state.flakyCalls.incrementAndGet() < 3) {
                        throw new IllegalStateException("not yet: " + body);
                    }
                }

                @ZmqListener(id = "broken", type = "PULL", bind = "${t.broken}", maxAttempts = "2", backoff = "5ms",
                        recoverer = "recorded")
                void broken(String body) {
                    state.brokenCalls.incrementAndGet();
                    throw new IllegalArgumentException("cannot handle " + body);
                }

                /** A payload that does not convert is not retried, however many attempts are allowed. */
                @ZmqListener(id = "typed", type = "PULL", bind = "${t.typed}", maxAttempts = "5", backoff = "5ms",
                        recoverer = "#{recorded}")
                void typed(@Payload Order order) {
                    state.typedCalls.incrementAndGet();
                }

                @ZmqListener(id = "dead", type = "PULL", bind = "${t.dead}", maxAttempts = "2", backoff = "1ms", deadLetter = "dlq")
                void dead(Message message) {
                    throw new IllegalStateException("out of stock");
                }
            };
        }
    }

    private static ZmqListenerOutcomes outcomes(AssertableApplicationContext ctx, String id) {
        return ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer(id).getOutcomes();
    }

    private static String[] endpoints() {
        return new String[] {"t.flaky=" + inproc("flaky"), "t.broken=" + inproc("broken"), "t.typed=" + inproc("typed"),
                "t.dead=" + inproc("dead"), "zmq.sockets.dlq.type=PUSH", "zmq.sockets.dlq.bind=" + inproc("dlq")};
    }

    @Test
    void aListenerThatRecoversWithinItsAttemptsSucceedsAndTheRetriesAreCounted() {
        ListenerTestSupport.runner().withUserConfiguration(Listeners.class).withPropertyValues(endpoints()).run(ctx -> {
            var state = ctx.getBean(Listeners.class);
            try (var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("t.flaky"))) {
                push.send("one");
                var outcomes = outcomes(ctx, "flaky");
                awaitCondition(() -> outcomes.succeeded() == 1, Duration.ofSeconds(10));
                assertThat(state.flakyCalls).hasValue(3);
                assertThat(outcomes.retries()).isEqualTo(2);
                assertThat(outcomes.recovered()).isZero();
                assertThat(outcomes.discarded()).isZero();
            }
        });
    }

    @Test
    void afterTheLastAttemptTheRecovererBeanGetsTheOriginalFramesTheFailureAndTheAttempts() {
        ListenerTestSupport.runner().withUserConfiguration(Listeners.class).withPropertyValues(endpoints()).run(ctx -> {
            var state = ctx.getBean(Listeners.class);
            var recorded = ctx.getBean(Recorded.class);
            try (var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("t.broken"))) {
                push.send(Message.of("key-1", "payload"));
                var failed = recorded.take();
                assertThat(failed.listenerId()).isEqualTo("broken");
                assertThat(failed.attempts()).isEqualTo(2);
                assertThat(state.brokenCalls).hasValue(2);
                assertThat(failed.failure()).isInstanceOf(IllegalArgumentException.class).hasMessage("cannot handle payload");
                assertThat(failed.message().frames()).extracting(String::new).containsExactly("key-1", "payload");
                var outcomes = outcomes(ctx, "broken");
                awaitCondition(() -> outcomes.recovered() == 1, Duration.ofSeconds(5));
                assertThat(outcomes.succeeded()).isZero();
                assertThat(outcomes.retries()).isEqualTo(1);
            }
        });
    }

    @Test
    void aMessageThatCannotBeConvertedIsNotRetried() {
        ListenerTestSupport.runner().withUserConfiguration(Listeners.class).withPropertyValues(endpoints()).run(ctx -> {
            var recorded = ctx.getBean(Recorded.class);
            try (var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("t.typed"))) {
                push.send("{not json");
                var failed = recorded.take();
                assertThat(failed.listenerId()).isEqualTo("typed");
                assertThat(failed.attempts()).isEqualTo(1);
                assertThat(ctx.getBean(Listeners.class).typedCalls).hasValue(0);
                assertThat(outcomes(ctx, "typed").retries()).isZero();
            }
        });
    }

    @Test
    void aDeadLetterCarriesAHeaderFrameThenTheOriginalFrames() {
        ListenerTestSupport.runner().withUserConfiguration(Listeners.class).withPropertyValues(endpoints()).run(ctx -> {
            var dlq = ctx.getEnvironment().getProperty("zmq.sockets.dlq.bind");
            try (var consumer = client(ctx, SocketType.PULL, dlq);
                 var push = client(ctx, SocketType.PUSH, ctx.getEnvironment().getProperty("t.dead"))) {
                push.send(Message.of("order-7", "{\"item\":\"tea\"}"));
                var letter = consumer.recv(Duration.ofSeconds(10));
                assertThat(letter).as("dead letter").isNotNull();
                assertThat(letter.size()).isEqualTo(3);
                var headers = ZmqHeaderFrame.decode(letter.frame(0));
                assertThat(headers).containsEntry(DeadLetterMessageRecoverer.LISTENER, "dead")
                        .containsEntry(DeadLetterMessageRecoverer.SOCKET, "dead")
                        .containsEntry(DeadLetterMessageRecoverer.ATTEMPTS, "2")
                        .containsEntry(DeadLetterMessageRecoverer.EXCEPTION, IllegalStateException.class.getName())
                        .containsEntry(DeadLetterMessageRecoverer.REASON, "out of stock")
                        .containsKey(DeadLetterMessageRecoverer.TIME);
                assertThat(letter.frameString(1)).isEqualTo("order-7");
                assertThat(letter.frameString(2)).isEqualTo("{\"item\":\"tea\"}");
                var outcomes = outcomes(ctx, "dead");
                awaitCondition(() -> outcomes.recovered() == 1, Duration.ofSeconds(5));
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Defaulted {
        final AtomicInteger calls = new AtomicInteger();

        @Bean
        Object defaulted() {
            var state = this;
            return new Object() {
                @ZmqListener(id = "defaulted", type = "PULL", bind = "${t.defaulted}")
                void fail(String body) {
                    state.calls.incrementAndGet();
                    throw new IllegalStateException("always");
                }
            };
        }
    }

    @Test
    void defaultsComeFromPropertiesAndAFailedDeadLetterIsCountedAsDiscarded() {
        var endpoint = inproc("defaulted");
        ListenerTestSupport.runner().withConfiguration(AutoConfigurations.of(ZmqMetricsAutoConfiguration.class))
                .withBean(SimpleMeterRegistry.class).withUserConfiguration(Defaulted.class)
                .withPropertyValues("t.defaulted=" + endpoint, "zmq.listener.retry.max-attempts=3", "zmq.listener.retry.delay=1ms",
                        "zmq.listener.retry.max-delay=2ms", "zmq.listener.retry.dead-letter=nobody",
                        "zmq.listener.retry.dead-letter-send-timeout=20ms",
                        // a PUSH without any peer: the dead letter finds no room
                        "zmq.sockets.nobody.type=PUSH", "zmq.sockets.nobody.bind=" + inproc("nobody"))
                .run(ctx -> {
                    var meters = ctx.getBean(SimpleMeterRegistry.class);
                    ctx.getBean(ZmqListenerMetrics.class).bindTo(meters);
                    try (var push = client(ctx, SocketType.PUSH, endpoint)) {
                        push.send("a");
                        push.send("b");
                        var outcomes = outcomes(ctx, "defaulted");
                        awaitCondition(() -> outcomes.discarded() == 2, Duration.ofSeconds(10));
                        assertThat(ctx.getBean(Defaulted.class).calls).hasValue(6);
                        assertThat(outcomes.recovered()).isZero();
                        assertThat(meters.get("zmq.listener.messages").tags("listener", "defaulted", "outcome", "discarded")
                                .functionCounter().count()).isEqualTo(2.0);
                        assertThat(meters.get("zmq.listener.messages").tags("listener", "defaulted", "outcome", "succeeded")
                                .functionCounter().count()).isZero();
                        assertThat(meters.get("zmq.listener.retries").tags("listener", "defaulted").functionCounter().count())
                                .isEqualTo(4.0);
                    }
                });
    }

    @Test
    void badRetrySettingsAndUnknownDeadLetterSocketsFailStartupNamingTheSetting() {
        ListenerTestSupport.runner().withUserConfiguration(Defaulted.class)
                .withPropertyValues("t.defaulted=" + inproc("bad"), "zmq.listener.retry.max-attempts=0").run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(configurationCause(ctx.getStartupFailure()).getMessage()).contains("max attempts must be 1 or more");
                });
        ListenerTestSupport.runner().withUserConfiguration(Defaulted.class)
                .withPropertyValues("t.defaulted=" + inproc("bad"), "zmq.listener.retry.dead-letter=missing").run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(configurationCause(ctx.getStartupFailure()).getMessage()).contains("zmq.listener.retry.dead-letter")
                            .contains("missing");
                });
        ListenerTestSupport.runner().withUserConfiguration(Defaulted.class)
                .withPropertyValues("t.defaulted=" + inproc("bad"), "zmq.listener.retry.dead-letter=in",
                        "zmq.sockets.in.type=PULL", "zmq.sockets.in.bind=" + inproc("in")).run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(configurationCause(ctx.getStartupFailure()).getMessage()).contains("cannot send dead letters");
                });
    }

    @Test
    void stoppingSkipsTheRemainingAttemptsAndRecoversTheMessageInHand() {
        var endpoint = inproc("slow");
        ListenerTestSupport.runner().withUserConfiguration(Defaulted.class)
                .withBean("recorder", Recorded.class, Recorded::new)
                .withPropertyValues("t.defaulted=" + endpoint, "zmq.listener.retry.max-attempts=1000", "zmq.listener.retry.delay=20ms",
                        "zmq.listener.retry.multiplier=1")
                .run(ctx -> {
                    var state = ctx.getBean(Defaulted.class);
                    var recorded = ctx.getBean(Recorded.class);
                    try (var push = client(ctx, SocketType.PUSH, endpoint)) {
                        push.send("x");
                        awaitCondition(() -> state.calls.get() >= 2, Duration.ofSeconds(10));
                        ctx.getBean(ZmqListenerEndpointRegistry.class).stop("defaulted");
                        var failed = recorded.take();
                        assertThat(failed.attempts()).isLessThan(1000).isEqualTo(state.calls.get());
                        assertThat(outcomes(ctx, "defaulted").recovered()).isEqualTo(1);
                    }
                });
    }

}
