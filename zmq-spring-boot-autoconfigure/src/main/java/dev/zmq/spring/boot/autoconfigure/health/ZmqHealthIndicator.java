package dev.zmq.spring.boot.autoconfigure.health;

import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.endpoint.ZmqStateDescriber;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.listener.ZmqMessageListenerContainer;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import java.util.ArrayList;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code zmq}: every socket with its type, endpoints bound and connected, peers
 * connected (from the socket monitor) and last error, and every listener with its state. DOWN when
 * the context is closed, one of its I/O threads stopped on an error ({@link ZmqContext#ioThreadFailures()}),
 * a socket failed to bind, or a listener failed to start; a listener stopped on purpose or not
 * auto-started is not a failure.
 */
public class ZmqHealthIndicator implements HealthIndicator {
    private final ZmqContext context;
    private final ZmqSocketRegistry sockets;
    private final ZmqListenerEndpointRegistry listeners;
    private final ZmqStateDescriber describer;

    public ZmqHealthIndicator(ZmqContext context, ZmqSocketRegistry sockets, ZmqListenerEndpointRegistry listeners) {
        this.context = context;
        this.sockets = sockets;
        this.listeners = listeners;
        this.describer = new ZmqStateDescriber(sockets, listeners);
    }

    @Override
    public Health health() {
        var problems = new ArrayList<String>();
        if (context.isClosed()) {
            problems.add("the ZeroMQ context is closed");
        }
        for (var failure : context.ioThreadFailures()) {
            problems.add("I/O thread stopped, its connections are no longer served (restart the application): " + failure);
        }
        for (var socket : sockets.all()) {
            if (socket.bindFailed()) {
                problems.add("socket '" + socket.name() + "' failed to bind: " + (socket.lastError() != null ? socket.lastError().message() : ""));
            }
        }
        if (listeners != null) {
            for (var container : listeners.getListenerContainers()) {
                if (container.getState() == ZmqMessageListenerContainer.State.FAILED) {
                    problems.add("listener '" + container.getId() + "' failed to start: "
                            + (container.getLastFailure() != null ? container.getLastFailure().getMessage() : ""));
                }
            }
        }
        var builder = problems.isEmpty() ? Health.up() : Health.down().withDetail("problems", problems);
        return builder.withDetail("context", context.isClosed() ? "closed" : "open")
                .withDetail("ioThreads", context.ioThreads())
                .withDetail("sockets", describer.sockets())
                .withDetail("listeners", describer.listeners())
                .build();
    }
}
