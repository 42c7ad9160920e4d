package dev.zmq.spring.boot.autoconfigure.health;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import java.lang.reflect.Field;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Issue 16, defect 3: when one of the context's I/O threads stops for good, its connections are no
 * longer served, so the {@code zmq} health contributor is DOWN and names the thread, although the
 * context is still open and every socket still exists.
 */
@Timeout(60)
class ZmqHealthIoThreadFailureTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class,
            ZmqHealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class));

    @Test
    void downWhenAnIoThreadStoppedOnAnError() {
        runner.withPropertyValues("zmq.sockets.server.type=PULL", "zmq.sockets.server.bind=tcp://127.0.0.1:*").run(ctx -> {
            var zmq = ctx.getBean(ZmqContext.class);
            var indicator = (HealthIndicator) ctx.getBean(HealthContributorRegistry.class).getContributor("zmq");
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            assertThat(zmq.ioThreadFailures()).isEmpty();

            closeSelectorOfFirstIoThread(zmq);

            awaitCondition(() -> !zmq.ioThreadFailures().isEmpty(), Duration.ofSeconds(10));
            var health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("context", "open");
            assertThat((List<?>) health.getDetails().get("problems")).singleElement().asString()
                    .contains("I/O thread stopped").contains("zmq-io-").contains("ClosedSelectorException");
        });
    }

    /**
     * The one failure no peer can cause, as zmq-core's own IoThreadFailureTest induces it: the I/O
     * thread's selector is closed under it, so its next select fails. There is no public handle on an
     * I/O thread, so this reaches in by field name (ZmqContext.core, ContextCore.ioThreads,
     * IoThread.selector) without naming any zmq-core internal type.
     */
    private static void closeSelectorOfFirstIoThread(ZmqContext zmq) throws Exception {
        Object core = field(zmq, "core");
        Object firstThread = java.lang.reflect.Array.get(field(core, "ioThreads"), 0);
        ((Selector) field(firstThread, "selector")).close();
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
    }
}
