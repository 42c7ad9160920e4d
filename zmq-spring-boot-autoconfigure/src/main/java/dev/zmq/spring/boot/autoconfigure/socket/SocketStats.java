package dev.zmq.spring.boot.autoconfigure.socket;

import dev.zmq.Message;
import dev.zmq.SocketType;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic and connection counters of one named socket. They outlive the socket itself (a listener
 * restarted at runtime gets a new socket under the same name), so meters bound to them stay valid.
 *
 * <p>Messages and bytes are counted where the starter sends and receives: listener containers,
 * their replies and {@code ZmqTemplate}. zmq-core has no per-socket statistics yet, so traffic an
 * application sends by calling an injected socket bean directly is not counted.
 */
public final class SocketStats {
    private final String name;
    private final SocketType type;
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder messagesDropped = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final AtomicInteger connectedPeers = new AtomicInteger();

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

    public void sent(Message message) {
        messagesSent.increment();
        bytesSent.add(message.byteSize());
    }

    public void received(Message message) {
        messagesReceived.increment();
        bytesReceived.add(message.byteSize());
    }

    public void dropped() {
        messagesDropped.increment();
    }

    void handshakeFailed() {
        handshakeFailures.increment();
    }

    void reconnecting() {
        reconnects.increment();
    }

    void peers(int count) {
        connectedPeers.set(count);
    }

    public long messagesSent() {
        return messagesSent.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long messagesReceived() {
        return messagesReceived.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long messagesDropped() {
        return messagesDropped.sum();
    }

    public long handshakeFailures() {
        return handshakeFailures.sum();
    }

    public long reconnects() {
        return reconnects.sum();
    }

    public int connectedPeers() {
        return connectedPeers.get();
    }
}
