package dev.zmq.internal.socket;

import dev.zmq.Message;
import dev.zmq.MulticastStatistics;
import dev.zmq.ResolvedAddress;
import dev.zmq.SocketEvent;
import dev.zmq.SocketStatistics;
import dev.zmq.internal.pipe.DropCounter;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A socket's counters for {@link SocketStatistics}. Traffic and drops are plain fields, updated and
 * read with the socket's lock held (which every send, receive and delivery already takes), so
 * counting costs no extra synchronization; connection events come from I/O threads without the
 * lock and are rare, so they are {@link LongAdder}s.
 */
final class SocketCounters {
    /** Messages dropped or discarded by the pattern, the pipes and the connections; lock held. */
    final DropCounter drops = new DropCounter();
    private long messagesSent;
    private long bytesSent;
    private long messagesReceived;
    private long bytesReceived;
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder connectRetries = new LongAdder();
    private final LongAdder disconnects = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    private final LongAdder ioThreadFailures = new LongAdder();

    /**
     * Lock held: a Message, or a one-frame message sent as its bare frame ({@code send(byte[])}). The test
     * here, not in the caller: C1 does not inline this into the send path (too much stack), so
     * the path's compile units stay as small as before.
     */
    void sent(Object message) {
        messagesSent++;
        bytesSent += message instanceof byte[] frame ? frame.length : ((Message) message).byteSize();
    }

    /** Lock held. */
    void received(Message message) {
        messagesReceived++;
        bytesReceived += message.byteSize();
    }

    /** A one-frame message of {@code bytes} read without a Message ({@code recvFrame}). */
    void receivedFrame(int bytes) {
        messagesReceived++;
        bytesReceived += bytes;
    }

    /** Counts the monitor events that statistics count. Any thread. */
    void event(SocketEvent.Type type) {
        // Tests, not a switch: a switch on another class's enum is a class of its own (its
        // $SwitchMap), loaded at a connecting socket's first event, inside a latency tool's window.
        if (type == SocketEvent.Type.HANDSHAKE_FAILED_NO_DETAIL || type == SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL
                || type == SocketEvent.Type.HANDSHAKE_FAILED_AUTH) {
            handshakeFailures.increment();
        } else if (type == SocketEvent.Type.CONNECT_RETRIED) {
            connectRetries.increment();
        } else if (type == SocketEvent.Type.DISCONNECTED) {
            disconnects.increment();
        }
    }

    /** A connection was closed because its handling threw. Any thread. */
    void internalError() {
        internalErrors.increment();
    }

    /** An I/O thread of the context stopped for good. Any thread. */
    void ioThreadFailed() {
        ioThreadFailures.increment();
    }

    /** Lock held: the counters with what the socket knows of its peers now. */
    SocketStatistics snapshot(long queued, int connected, List<ResolvedAddress> resolved, MulticastStatistics multicast) {
        return new SocketStatistics(messagesSent, bytesSent, messagesReceived, bytesReceived,
                drops.outbound(), drops.inbound(), queued, connected, handshakeFailures.sum(), connectRetries.sum(),
                disconnects.sum(), internalErrors.sum(), ioThreadFailures.sum(), resolved, multicast);
    }
}
