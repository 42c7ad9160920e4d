package dev.zmq.spring.socket;

import dev.zmq.SocketType;
import dev.zmq.ZmqSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every socket the starter created (configured beans and listeners' inline sockets), by name,
 * for health, metrics, the actuator endpoint and the template.
 */
public class ZmqSocketRegistry {
    private final Map<String, ManagedSocket> sockets = new LinkedHashMap<>();
    private final Map<String, SocketStats> stats = new LinkedHashMap<>();
    private final List<Consumer<SocketStats>> statsListeners = new CopyOnWriteArrayList<>();

    /** Registers (or replaces, after a restart) the socket named {@code socket.name()}. */
    public synchronized void register(ManagedSocket socket) {
        sockets.put(socket.name(), socket);
    }

    /** The counters of {@code name}, created on first use (and announced to stats listeners). */
    public SocketStats stats(String name, SocketType type) {
        SocketStats created;
        synchronized (this) {
            var existing = stats.get(name);
            if (existing != null) {
                return existing;
            }
            created = new SocketStats(name, type);
            stats.put(name, created);
        }
        statsListeners.forEach(l -> l.accept(created));
        return created;
    }

    /** Calls {@code listener} with every existing and future {@link SocketStats}. */
    public void onStats(Consumer<SocketStats> listener) {
        List<SocketStats> existing;
        synchronized (this) {
            statsListeners.add(listener);
            existing = new ArrayList<>(stats.values());
        }
        existing.forEach(listener);
    }

    public synchronized Optional<ManagedSocket> get(String name) {
        return Optional.ofNullable(sockets.get(name));
    }

    /** The managed socket wrapping {@code socket}, if the starter created it. */
    public synchronized Optional<ManagedSocket> find(ZmqSocket socket) {
        return sockets.values().stream().filter(m -> m.socket() == socket).findFirst();
    }

    public synchronized List<ManagedSocket> all() {
        return List.copyOf(sockets.values());
    }

    /** Closes every open socket of {@code origin}. */
    public void closeAll(ManagedSocket.Origin origin) {
        for (var socket : all()) {
            if (socket.origin() == origin && !socket.isClosed()) {
                socket.close();
            }
        }
    }
}
