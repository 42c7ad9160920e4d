package dev.zmq.spring.boot.autoconfigure.context;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.analyze;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.config.ZmqConfigurationFailureAnalyzer;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;

@Timeout(30)
class ZmqContextAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class));

    @Test
    void defaultContextHasOneIoThreadAndTheDocumentedLingerBound() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(ZmqContext.class).hasSingleBean(ZmqContextLifecycle.class);
            var zmq = ctx.getBean(ZmqContext.class);
            assertThat(zmq.ioThreads()).isEqualTo(1);
            assertThat(zmq.maxLinger()).isEqualTo(ZmqProperties.DEFAULT_LINGER).isEqualTo(Duration.ofSeconds(3));
            assertThat(zmq.ioBusyPoll()).isEqualTo(ZmqContext.defaultIoBusyPoll());
        });
    }

    @Test
    void ioBusyPollIsApplied() {
        runner.withPropertyValues("zmq.context.io-busy-poll=0").run(ctx ->
                assertThat(ctx.getBean(ZmqContext.class).ioBusyPoll()).isEqualTo(Duration.ZERO));
        runner.withPropertyValues("zmq.context.io-busy-poll=75us").run(ctx ->
                assertThat(ctx.getBean(ZmqContext.class).ioBusyPoll()).isEqualTo(Duration.ofNanos(75_000)));
        runner.withBean(ZmqContextCustomizer.class, () -> s -> s.ioBusyPoll(Duration.ofMillis(1))).run(ctx ->
                assertThat(ctx.getBean(ZmqContext.class).ioBusyPoll()).isEqualTo(Duration.ofMillis(1)));
    }

    @Test
    void anIoBusyPollOutOfRangeFailsWithTheProperty() {
        for (var value : new String[] {"-1us", "11ms"}) {
            runner.withPropertyValues("zmq.context.io-busy-poll=" + value).run(ctx -> {
                assertThat(ctx).hasFailed();
                var analysis = analyze(ctx.getStartupFailure());
                assertThat(analysis.getDescription()).contains("zmq.context.io-busy-poll").contains("between 0 (no polling) and 10ms");
                assertThat(analysis.getAction()).contains("Set zmq.context.io-busy-poll to a duration such as 200us");
            });
        }
    }

    @Test
    void contextPropertiesAreApplied() {
        runner.withPropertyValues("zmq.context.io-threads=2", "zmq.context.linger=750ms").run(ctx -> {
            var zmq = ctx.getBean(ZmqContext.class);
            assertThat(zmq.ioThreads()).isEqualTo(2);
            assertThat(zmq.maxLinger()).isEqualTo(Duration.ofMillis(750));
        });
    }

    @Test
    void customizersAdjustTheSettingsInOrder() {
        runner.withPropertyValues("zmq.context.io-threads=2")
                .withBean("first", ZmqContextCustomizer.class, () -> s -> s.ioThreads(s.ioThreads() + 1))
                .withBean("second", ZmqContextCustomizer.class, () -> s -> s.maxLinger(Duration.ofSeconds(1)))
                .run(ctx -> {
                    var zmq = ctx.getBean(ZmqContext.class);
                    assertThat(zmq.ioThreads()).isEqualTo(3);
                    assertThat(zmq.maxLinger()).isEqualTo(Duration.ofSeconds(1));
                });
    }

    @Test
    void anApplicationContextBeanReplacesTheDefault() {
        try (var own = new ZmqContext(1, Duration.ofMillis(100))) {
            runner.withUserConfiguration(OwnContext.class).withBean(ZmqContext.class, () -> own).run(ctx -> {
                assertThat(ctx).hasSingleBean(ZmqContext.class).doesNotHaveBean(ZmqContextLifecycle.class);
                assertThat(ctx.getBean(ZmqContext.class)).isSameAs(own);
            });
        }
    }

    @Test
    void theContextIsClosedWithTheApplication() {
        var seen = new AtomicReference<ZmqContext>();
        runner.run(ctx -> seen.set(ctx.getBean(ZmqContext.class)));
        assertThat(seen.get().isClosed()).isTrue();
    }

    @Test
    void nothingIsConfiguredWithoutZmqCore() {
        runner.withClassLoader(new FilteredClassLoader(ZmqContext.class)).run(ctx ->
                assertThat(ctx).doesNotHaveBean(ZmqContext.class).doesNotHaveBean(ZmqProperties.class));
    }

    @Test
    void zeroIoThreadsFailsWithTheProperty() {
        runner.withPropertyValues("zmq.context.io-threads=0").run(ctx -> {
            assertThat(ctx).hasFailed();
            var analysis = analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("zmq.context.io-threads").contains("at least one I/O thread");
            assertThat(analysis.getAction()).contains("Set zmq.context.io-threads to 1 or more");
        });
    }

    @Test
    void negativeLingerFailsWithTheProperty() {
        runner.withPropertyValues("zmq.context.linger=-1s").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(analyze(ctx.getStartupFailure()).getDescription()).contains("zmq.context.linger");
        });
    }

    @Test
    void theFailureAnalyzerIsRegistered() {
        // instantiate only ours: Boot's own analyzers need constructor arguments
        var analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> { }));
        assertThat(analyzers).hasAtLeastOneElementOfType(ZmqConfigurationFailureAnalyzer.class);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnContext {
        @Bean
        String marker() {
            return "own";
        }
    }
}
