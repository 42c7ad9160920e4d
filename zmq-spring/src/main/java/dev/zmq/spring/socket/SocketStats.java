package dev.zmq.spring.socket;

import dev.zmq.SocketStatistics;
import dev.zmq.SocketType;
import dev.zmq.ZmqSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic and connection counters of one named socket, read from zmq-core's own per-socket
 * {@link ZmqSocket#statistics() statistics}: every message the socket sends or receives counts,
 * whoever calls it (listener containers, {@code ZmqTemplate}, or application code using an
 * injected socket bean directly), and so do the messages the core drops silently (PUB/XPUB at the
 * high-water mark, ROUTER unroutable, see {@link SocketStatistics}).
 *
 * <p>The counters outlive the socket itself: a listener restarted at runtime gets a new socket
 * under the same name, and the totals of the closed one are kept, so meters bound to this object
 * stay valid and only grow. On top of the core's figures the starter adds what only it sees:
 * sends it gave up on (a listener reply or template send that found no room in time, a send
 * refused as unroutable), counted as dropped, and received messages it could not use (a request
 * without an envelope delimiter), counted as discarded.
 */
public final class SocketStats {
    private final String name;
    private final SocketType type;
    /** The sockets counted live; a socket leaves when closed by the starter, its totals kept in {@link #closed}. */
    private final List<ZmqSocket> sockets = new ArrayList<>(1);
    private SocketStatistics closed = SocketStatistics.NONE;
    private final LongAdder refused = new LongAdder();
    private final LongAdder unusable = new LongAdder();

    public SocketStats(String name, SocketType type) {
        this.name = name;
        this.type = type;
    }

    public String name() {
        return name;
    }

    public SocketType type() {
        return type;
    }

    /** Starts counting {@code socket} under this name (again harmless). */
    public synchronized void attach(ZmqSocket socket) {
        for (var s : sockets) {
            if (s == socket) {
                return;
            }
        }
        sockets.add(socket);
    }

    /** {@code socket} was closed: keep its final totals and stop reading it. */
    public synchronized void detach(ZmqSocket socket) {
        for (int i = 0; i < sockets.size(); i++) {
            if (sockets.get(i) == socket) {
                closed = closed.plus(socket.statistics());
                sockets.remove(i);
                return;
            }
        }
    }

    /** A send the starter gave up on (no room in time, unroutable): the message was not sent. */
    public void refused() {
        refused.increment();
    }

    /** A received message the starter could not use (a request without its envelope). */
    public void unusable() {
        unusable.increment();
    }

    /** The sum of the core's statistics of every socket ever counted under this name. */
    public synchronized SocketStatistics snapshot() {
        var total = closed;
        for (var s : sockets) {
            total = total.plus(s.statistics()); // a closed socket's gauges read 0
        }
        return total;
    }

    public long messagesSent() {
        return snapshot().messagesSent();
    }

    public long bytesSent() {
        return snapshot().bytesSent();
    }

    public long messagesReceived() {
        return snapshot().messagesReceived();
    }

    public long bytesReceived() {
        return snapshot().bytesReceived();
    }

    /** The core's silent drops plus the sends the starter gave up on. */
    public long messagesDropped() {
        return snapshot().messagesDropped() + refused.sum();
    }

    /** Received messages thrown away before use: by the core's pattern, or by the starter. */
    public long messagesDiscarded() {
        return snapshot().messagesDiscarded() + unusable.sum();
    }

    public long messagesQueued() {
        return snapshot().messagesQueued();
    }

    public long handshakeFailures() {
        return snapshot().handshakeFailures();
    }

    public long reconnects() {
        return snapshot().connectRetries();
    }

    public long disconnects() {
        return snapshot().disconnects();
    }

    public int connectedPeers() {
        return snapshot().connectedPeers();
    }
}
