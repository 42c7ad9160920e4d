package dev.zmq.spring.lifecycle;

import org.springframework.context.SmartLifecycle;

/**
 * The {@link SmartLifecycle} phases of the starter's parts. Spring starts phases in ascending
 * order and stops them in descending order, each stop phase bounded by
 * {@code spring.lifecycle.timeout-per-shutdown-phase}:
 * <ol>
 *   <li>{@link #LISTENERS} stop first (like spring-kafka's containers): no new message is taken,
 *       messages in hand finish and their replies are sent;</li>
 *   <li>the web server's graceful shutdown and stop run next ({@code DEFAULT_PHASE - 1024},
 *       {@code - 2048}), so HTTP requests still in flight can use the template and sockets;</li>
 *   <li>{@link #TEMPLATE}: pending requests fail, reply readers stop;</li>
 *   <li>{@link #SOCKETS}: every socket closes; pending output keeps flushing for up to its LINGER;</li>
 *   <li>{@link #ZAP}: the ZAP authenticator stops, once no socket can ask it any more;</li>
 *   <li>{@link #CONTEXT}: the context closes, waiting for that flush (bounded by each socket's LINGER
 *       and, for an infinite LINGER, by {@code zmq.context.linger}).</li>
 * </ol>
 * Sockets declared in configuration are bound and connected when their beans are created, before
 * any phase starts, so a bind failure stops startup before anything runs; the ZAP authenticator is
 * started before the first socket that needs it binds or connects.
 */
public final class ZmqPhases {
    public static final int LISTENERS = SmartLifecycle.DEFAULT_PHASE - 100;
    public static final int TEMPLATE = SmartLifecycle.DEFAULT_PHASE - 3000;
    public static final int SOCKETS = SmartLifecycle.DEFAULT_PHASE - 3100;
    public static final int ZAP = SmartLifecycle.DEFAULT_PHASE - 3150;
    public static final int CONTEXT = SmartLifecycle.DEFAULT_PHASE - 3200;

    private ZmqPhases() {
    }
}
