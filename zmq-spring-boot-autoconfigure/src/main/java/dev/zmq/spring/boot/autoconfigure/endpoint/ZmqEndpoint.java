package dev.zmq.spring.boot.autoconfigure.endpoint;

import dev.zmq.ZmqContext;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * Actuator endpoint {@code zmq}: the context, every socket and every listener with its state.
 * {@code POST /actuator/zmq/{listenerId}} with {@code {"action": "stop|start|pause|resume"}}
 * controls a listener (when the endpoint is exposed and write access is allowed).
 */
@Endpoint(id = "zmq")
public class ZmqEndpoint {
    private final ZmqContext context;
    private final ZmqStateDescriber describer;
    private final ZmqListenerEndpointRegistry listeners;

    public ZmqEndpoint(ZmqContext context, ZmqStateDescriber describer, ZmqListenerEndpointRegistry listeners) {
        this.context = context;
        this.describer = describer;
        this.listeners = listeners;
    }

    @ReadOperation
    public Map<String, Object> zmq() {
        var result = new LinkedHashMap<String, Object>();
        result.put("context", Map.of("closed", context.isClosed(), "ioThreads", context.ioThreads(),
                "maxLingerMillis", context.maxLinger().toMillis()));
        result.put("sockets", describer.sockets());
        result.put("listeners", describer.listeners());
        return result;
    }

    @ReadOperation
    public Map<String, Object> listener(@Selector String id) {
        var container = listeners == null ? null : listeners.getListenerContainer(id);
        return container == null ? null : ZmqStateDescriber.describe(container);
    }

    @WriteOperation
    public Map<String, Object> control(@Selector String id, String action) {
        if (listeners == null || listeners.getListenerContainer(id) == null) {
            return null;
        }
        switch (action) {
            case "start" -> listeners.start(id);
            case "stop" -> listeners.stop(id);
            case "pause" -> listeners.pause(id);
            case "resume" -> listeners.resume(id);
            default -> throw new IllegalArgumentException("action must be start, stop, pause or resume, got '" + action + "'");
        }
        return ZmqStateDescriber.describe(listeners.getListenerContainer(id));
    }
}
