package dev.zmq.spring.boot.autoconfigure.listener;

import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.listener.DefaultZmqListenerContainerFactory;
import dev.zmq.spring.recovery.ZmqListenerRetry;
import io.micrometer.observation.ObservationRegistry;

/**
 * Applies {@code zmq.listener.*} (and {@code spring.threads.virtual.enabled}) to a
 * {@link DefaultZmqListenerContainerFactory}, as Boot's {@code ConcurrentKafkaListenerContainerFactoryConfigurer}:
 * an application declaring a second factory calls {@link #configure} to start from the same defaults.
 */
public class ZmqListenerContainerFactoryConfigurer {
    private final ZmqProperties.Listener properties;
    private final boolean virtualThreads;
    private final ObservationRegistry observationRegistry;

    public ZmqListenerContainerFactoryConfigurer(ZmqProperties.Listener properties, boolean virtualThreads,
                                                 ObservationRegistry observationRegistry) {
        this.properties = properties;
        this.virtualThreads = virtualThreads;
        this.observationRegistry = observationRegistry;
    }

    /** Sets concurrency, poll timeout, auto-startup, async-reply timeout, observations, virtual threads, retry, dead letters and error replies. */
    public void configure(DefaultZmqListenerContainerFactory factory) {
        factory.setConcurrency(properties.getConcurrency());
        factory.setPollTimeout(properties.getPollTimeout());
        factory.setAutoStartup(properties.isAutoStartup());
        factory.setAsyncReplyTimeout(properties.getAsyncReplyTimeout());
        factory.setObservationEnabled(properties.isObservationEnabled());
        factory.setObservationRegistry(observationRegistry);
        factory.setVirtualThreads(virtualThreads);
        var retry = properties.getRetry();
        factory.setRetry(new ZmqListenerRetry(retry.getMaxAttempts(), retry.getDelay(), retry.getMultiplier(), retry.getMaxDelay()));
        factory.setDeadLetter(retry.getDeadLetter());
        factory.setDeadLetterSendTimeout(retry.getDeadLetterSendTimeout());
        factory.setErrorReplyIncludesMessage(properties.getErrorReply().isIncludeMessage());
        factory.setBatchSize(properties.getBatchSize());
    }
}
