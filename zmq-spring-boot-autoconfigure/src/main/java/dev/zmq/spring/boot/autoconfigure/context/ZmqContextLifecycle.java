package dev.zmq.spring.boot.autoconfigure.context;

import dev.zmq.ZmqContext;
import dev.zmq.spring.lifecycle.ZmqPhases;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the auto-configured context last ({@link ZmqPhases#CONTEXT}), on a thread of its own so
 * that Spring's per-phase shutdown timeout applies. {@code ZmqContext.close()} is itself bounded:
 * it waits at most each socket's LINGER (an infinite one bounded by {@code zmq.context.linger}).
 */
public class ZmqContextLifecycle implements SmartLifecycle {
    private static final Log LOG = LogFactory.getLog(ZmqContextLifecycle.class);

    private final ZmqContext context;
    private volatile boolean running;

    public ZmqContextLifecycle(ZmqContext context) {
        this.context = context;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        context.close();
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        var closer = new Thread(() -> {
            long start = System.nanoTime();
            try {
                context.close();
                LOG.debug("ZeroMQ context closed in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            } catch (RuntimeException e) {
                LOG.warn("Closing the ZeroMQ context failed", e);
            } finally {
                callback.run();
            }
        }, "zmq-context-close");
        closer.setDaemon(true);
        closer.start();
    }

    @Override
    public boolean isRunning() {
        return running && !context.isClosed();
    }

    @Override
    public int getPhase() {
        return ZmqPhases.CONTEXT;
    }
}
