package dev.zmq.spring.boot.autoconfigure.metrics;

import dev.zmq.spring.boot.autoconfigure.socket.SocketStats;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of every named socket, tagged {@code socket} (its name) and {@code type}:
 * {@code zmq.messages.sent}, {@code zmq.messages.received}, {@code zmq.bytes.sent},
 * {@code zmq.bytes.received}, {@code zmq.messages.dropped} (sends refused at the high-water mark or
 * unroutable, where the starter can see them), {@code zmq.handshake.failures},
 * {@code zmq.reconnects} and the gauge {@code zmq.peers.connected}. Sockets created later (a
 * listener restarted) get their meters when they appear.
 */
public class ZmqMetrics implements MeterBinder {
    private final ZmqSocketRegistry sockets;

    public ZmqMetrics(ZmqSocketRegistry sockets) {
        this.sockets = sockets;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        sockets.onStats(stats -> register(registry, stats));
    }

    private static void register(MeterRegistry registry, SocketStats stats) {
        var tags = Tags.of("socket", stats.name(), "type", stats.type().name());
        counter(registry, "zmq.messages.sent", "Messages sent", null, tags, stats, SocketStats::messagesSent);
        counter(registry, "zmq.messages.received", "Messages received", null, tags, stats, SocketStats::messagesReceived);
        counter(registry, "zmq.bytes.sent", "Bytes sent (frame contents)", "bytes", tags, stats, SocketStats::bytesSent);
        counter(registry, "zmq.bytes.received", "Bytes received (frame contents)", "bytes", tags, stats, SocketStats::bytesReceived);
        counter(registry, "zmq.messages.dropped", "Messages that could not be queued (high-water mark, unroutable)", null, tags,
                stats, SocketStats::messagesDropped);
        counter(registry, "zmq.handshake.failures", "ZMTP handshakes that failed", null, tags, stats, SocketStats::handshakeFailures);
        counter(registry, "zmq.reconnects", "Connection retries", null, tags, stats, SocketStats::reconnects);
        Gauge.builder("zmq.peers.connected", stats, SocketStats::connectedPeers).description("Peers connected (handshake done)")
                .tags(tags).register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, String unit, Tags tags, SocketStats stats,
                                ToDoubleFunction<SocketStats> value) {
        FunctionCounter.builder(name, stats, value).description(description).baseUnit(unit).tags(tags).register(registry);
    }
}
