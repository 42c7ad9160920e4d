package dev.zmq.spring.listener;

import dev.zmq.spring.lifecycle.ZmqPhases;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.context.SmartLifecycle;

/**
 * Every {@code @ZmqListener} container, by id: starts them with the application (those with
 * auto-startup), stops them first at shutdown (in parallel, each finishing its messages in hand),
 * and lets the application stop, start, pause and resume them at runtime, like spring-kafka's
 * {@code KafkaListenerEndpointRegistry}.
 */
public class ZmqListenerEndpointRegistry implements SmartLifecycle {
    private final Map<String, ZmqMessageListenerContainer> containers = new LinkedHashMap<>();
    private final List<Consumer<ZmqMessageListenerContainer>> containerListeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    /** Calls {@code listener} with every container registered so far and with each one registered later (meters use it). */
    public void onContainer(Consumer<ZmqMessageListenerContainer> listener) {
        List<ZmqMessageListenerContainer> existing;
        synchronized (this) {
            containerListeners.add(listener);
            existing = List.copyOf(containers.values());
        }
        existing.forEach(listener);
    }

    /** Adds a container; ids are unique. */
    public synchronized void registerListenerContainer(ZmqMessageListenerContainer container) {
        if (containers.containsKey(container.getId())) {
            throw new IllegalStateException("Another @ZmqListener already has the id '" + container.getId() + "': ids must be unique");
        }
        containers.put(container.getId(), container);
        containerListeners.forEach(l -> l.accept(container));
        if (running && container.isAutoStartup()) {
            container.start();
        }
    }

    /** The container with that id, or null. */
    public synchronized ZmqMessageListenerContainer getListenerContainer(String id) {
        return containers.get(id);
    }

    public synchronized Set<String> getListenerContainerIds() {
        return Set.copyOf(containers.keySet());
    }

    public synchronized Collection<ZmqMessageListenerContainer> getListenerContainers() {
        return List.copyOf(containers.values());
    }

    public void start(String id) {
        require(id).start();
    }

    /** Stops the container, waiting until its messages in hand are handled and its socket released. */
    public void stop(String id) {
        require(id).stop();
    }

    public void pause(String id) {
        require(id).pause();
    }

    public void resume(String id) {
        require(id).resume();
    }

    private ZmqMessageListenerContainer require(String id) {
        var container = getListenerContainer(id);
        if (container == null) {
            throw new IllegalArgumentException("No @ZmqListener with id '" + id + "'; known ids: " + getListenerContainerIds());
        }
        return container;
    }

    @Override
    public void start() {
        for (var container : getListenerContainers()) {
            if (container.isAutoStartup()) {
                container.start();
            }
        }
        running = true;
    }

    @Override
    public void stop() {
        getListenerContainers().forEach(ZmqMessageListenerContainer::stop);
        running = false;
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        var active = new ArrayList<ZmqMessageListenerContainer>();
        for (var container : getListenerContainers()) {
            if (container.isRunning()) {
                active.add(container);
            }
        }
        if (active.isEmpty()) {
            callback.run();
            return;
        }
        var remaining = new AtomicInteger(active.size());
        for (var container : active) {
            container.stop(() -> {
                if (remaining.decrementAndGet() == 0) {
                    callback.run();
                }
            });
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return ZmqPhases.LISTENERS;
    }
}
