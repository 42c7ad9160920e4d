package dev.zmq.spring.socket;

import dev.zmq.spring.lifecycle.ZmqPhases;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the configured sockets at shutdown, in phase {@link ZmqPhases#SOCKETS}: after listeners
 * and template stopped, before the context closes. Closing returns at once; pending output keeps
 * flushing for up to each socket's LINGER while the context closes.
 */
public class ZmqSocketsLifecycle implements SmartLifecycle {
    private final ZmqSocketRegistry registry;
    private volatile boolean running;

    public ZmqSocketsLifecycle(ZmqSocketRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        registry.closeAll(ManagedSocket.Origin.CONFIGURATION);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return ZmqPhases.SOCKETS;
    }
}
