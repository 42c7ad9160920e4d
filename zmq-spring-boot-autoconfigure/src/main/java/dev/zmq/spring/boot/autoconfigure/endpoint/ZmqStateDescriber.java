package dev.zmq.spring.boot.autoconfigure.endpoint;

import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.listener.ZmqMessageListenerContainer;
import dev.zmq.spring.socket.ManagedSocket;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/** Describes sockets and listeners as plain maps, for the health contributor and the {@code zmq} endpoint. */
public final class ZmqStateDescriber {
    private final ZmqSocketRegistry sockets;
    private final ZmqListenerEndpointRegistry listeners;

    /** @param listeners may be null when listener support is off */
    public ZmqStateDescriber(ZmqSocketRegistry sockets, ZmqListenerEndpointRegistry listeners) {
        this.sockets = sockets;
        this.listeners = listeners;
    }

    public Map<String, Object> sockets() {
        var result = new LinkedHashMap<String, Object>();
        for (var socket : sockets.all()) {
            result.put(socket.name(), describe(socket));
        }
        return result;
    }

    public Map<String, Object> listeners() {
        var result = new LinkedHashMap<String, Object>();
        if (listeners != null) {
            for (var container : listeners.getListenerContainers()) {
                result.put(container.getId(), describe(container));
            }
        }
        return result;
    }

    public static Map<String, Object> describe(ManagedSocket socket) {
        var d = new LinkedHashMap<String, Object>();
        d.put("type", socket.type().name());
        d.put("owner", socket.origin() == ManagedSocket.Origin.CONFIGURATION ? "configuration" : "listener");
        d.put("bound", socket.boundEndpoints());
        d.put("connected", socket.connectEndpoints());
        var addresses = socket.resolvedAddresses();
        if (socket.followsNames() || !addresses.isEmpty()) {
            // endpoints that follow a name: every address behind each name, and which are connected
            d.put("addresses", addresses);
        }
        d.put("peers", socket.peers());
        d.put("security", socket.security());
        if (socket.zapDomain() != null) {
            d.put("zapDomain", socket.zapDomain());
        }
        d.put("closed", socket.isClosed());
        if (socket.bindFailed()) {
            d.put("bindFailed", true);
        }
        var error = socket.lastError();
        if (error != null) {
            d.put("lastError", error.message());
            d.put("lastErrorAt", error.at().toString());
        }
        var stats = socket.stats();
        d.put("messagesSent", stats.messagesSent());
        d.put("messagesReceived", stats.messagesReceived());
        return d;
    }

    public static Map<String, Object> describe(ZmqMessageListenerContainer container) {
        var d = new LinkedHashMap<String, Object>();
        d.put("state", container.getState().name());
        d.put("running", container.isRunning());
        d.put("paused", container.isPaused());
        d.put("autoStartup", container.isAutoStartup());
        d.put("concurrency", container.getConcurrency());
        var socket = container.getSocket();
        if (socket != null) {
            d.put("socket", socket.name());
        }
        d.put("handled", container.getHandledCount());
        if (container.getLastFailure() != null) {
            d.put("lastFailure", container.getLastFailure().getMessage());
        }
        return d;
    }
}
