package dev.zmq.spring.boot.autoconfigure.metrics;

import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.listener.ZmqListenerOutcomes;
import dev.zmq.spring.listener.ZmqMessageListenerContainer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import org.springframework.beans.factory.ObjectProvider;

/**
 * What became of the messages each {@code @ZmqListener} accepted, tagged {@code listener} (its id):
 * {@code zmq.listener.messages} with {@code outcome} {@code succeeded}, {@code recovered} (given to
 * the recoverer after the last failed attempt: logged, dead-lettered or the application's) or
 * {@code discarded} (logged and thrown away: malformed, or the recoverer failed), and
 * {@code zmq.listener.retries} (attempts beyond the first). Every accepted message is counted once
 * under exactly one outcome.
 */
public class ZmqListenerMetrics implements MeterBinder {
    private final ObjectProvider<ZmqListenerEndpointRegistry> listeners;

    public ZmqListenerMetrics(ObjectProvider<ZmqListenerEndpointRegistry> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        listeners.ifAvailable(l -> l.onContainer(container -> register(registry, container)));
    }

    private static void register(MeterRegistry registry, ZmqMessageListenerContainer container) {
        var outcomes = container.getOutcomes();
        var tags = Tags.of("listener", container.getId());
        outcome(registry, tags, "succeeded", "Messages the listener handled", outcomes, ZmqListenerOutcomes::succeeded);
        outcome(registry, tags, "recovered", "Messages given to the recoverer after the last failed attempt", outcomes,
                ZmqListenerOutcomes::recovered);
        outcome(registry, tags, "discarded", "Messages logged and thrown away (malformed, or the recoverer failed)", outcomes,
                ZmqListenerOutcomes::discarded);
        FunctionCounter.builder("zmq.listener.retries", outcomes, ZmqListenerOutcomes::retries)
                .description("Listener invocations beyond the first for a message").tags(tags).register(registry);
    }

    private static void outcome(MeterRegistry registry, Tags tags, String outcome, String description, ZmqListenerOutcomes outcomes,
                                ToDoubleFunction<ZmqListenerOutcomes> value) {
        FunctionCounter.builder("zmq.listener.messages", outcomes, value).description(description)
                .tags(tags.and("outcome", outcome)).register(registry);
    }
}
