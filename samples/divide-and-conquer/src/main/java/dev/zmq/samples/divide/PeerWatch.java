package dev.zmq.samples.divide;

import dev.zmq.SocketEvent;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.socket.ZmqSocketCustomizer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Prints every peer that connects to or leaves a socket, and lets the ventilator wait for its
 * workers. As a {@link ZmqSocketCustomizer} it attaches its monitor before the socket binds or
 * connects, so not even the first connection can be missed.
 */
@Component
public class PeerWatch implements ZmqSocketCustomizer {
    private final Map<String, Set<String>> peers = new ConcurrentHashMap<>();
    private final Object changed = new Object();
    private long lastChange = System.nanoTime();

    @Override
    public void customize(String socketName, ZmqSocket socket) {
        peers.put(socketName, ConcurrentHashMap.newKeySet());
        socket.monitor(EnumSet.of(SocketEvent.Type.HANDSHAKE_SUCCEEDED, SocketEvent.Type.DISCONNECTED),
                event -> onEvent(socketName, event));
    }

    private void onEvent(String socketName, SocketEvent event) {
        var address = event.peerAddress() != null ? event.peerAddress() : event.endpoint();
        var set = peers.get(socketName);
        boolean connected = event.type() == SocketEvent.Type.HANDSHAKE_SUCCEEDED;
        synchronized (changed) {
            if (!(connected ? set.add(address) : set.remove(address))) {
                return; // a connection that failed before its handshake: nothing changed
            }
            lastChange = System.nanoTime();
            changed.notifyAll();
        }
        System.out.println(socketName + ": " + address + (connected ? " connected" : " disconnected")
                + " (" + set.size() + (set.size() == 1 ? " peer)" : " peers)"));
    }

    /** Peers of {@code socketName} whose handshake is done. */
    public int peerCount(String socketName) {
        var set = peers.get(socketName);
        return set == null ? 0 : set.size();
    }

    /**
     * Waits until {@code socketName} has at least {@code minimum} peers and no peer has come or
     * gone for {@code settle}.
     */
    public void awaitPeers(String socketName, int minimum, Duration settle) throws InterruptedException {
        synchronized (changed) {
            while (true) {
                long quietNanos = System.nanoTime() - lastChange;
                if (peerCount(socketName) >= minimum && quietNanos >= settle.toNanos()) {
                    return;
                }
                long waitMillis = peerCount(socketName) < minimum ? 1000 : (settle.toNanos() - quietNanos) / 1_000_000 + 1;
                changed.wait(waitMillis);
            }
        }
    }
}
