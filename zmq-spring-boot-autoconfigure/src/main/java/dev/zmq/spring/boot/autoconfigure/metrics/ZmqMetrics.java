package dev.zmq.spring.boot.autoconfigure.metrics;

import dev.zmq.spring.socket.SocketStats;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of every named socket, tagged {@code socket} (its name) and {@code type}, read
 * from zmq-core's per-socket statistics (see {@link dev.zmq.SocketStatistics} for exactly what each
 * counts), so they include all the socket's traffic, also what the application sends or receives
 * through an injected socket bean directly:
 * <ul>
 *   <li>{@code zmq.messages.sent}, {@code zmq.messages.received}: whole messages accepted by a send /
 *       returned by a receive, however many frames;</li>
 *   <li>{@code zmq.bytes.sent}, {@code zmq.bytes.received}: frame contents of those messages;</li>
 *   <li>{@code zmq.messages.dropped}: accepted messages the socket did not queue (a PUB/XPUB
 *       subscriber at its high-water mark, one per subscriber; ROUTER unroutable; CONFLATE), plus
 *       sends the starter gave up on (a listener reply or template send with no room in time);</li>
 *   <li>{@code zmq.messages.discarded}: received messages thrown away before the application saw
 *       them (unsubscribed topics, stray REQ replies, requests without an envelope);</li>
 *   <li>{@code zmq.handshake.failures}, {@code zmq.reconnects} (connection retries),
 *       {@code zmq.disconnects} (connections that ended on their own);</li>
 *   <li>gauges {@code zmq.peers.connected} and {@code zmq.messages.queued} (waiting to be written).</li>
 * </ul>
 * Sockets created later (a listener restarted) get their meters when they appear; a restarted
 * listener's socket keeps counting on the same meters, which only grow.
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
        counter(registry, "zmq.messages.dropped", "Messages accepted but not queued for a peer (high-water mark, unroutable), or given up by the starter",
                null, tags, stats, SocketStats::messagesDropped);
        counter(registry, "zmq.messages.discarded", "Messages received but thrown away before the application saw them", null, tags,
                stats, SocketStats::messagesDiscarded);
        counter(registry, "zmq.handshake.failures", "ZMTP handshakes that failed", null, tags, stats, SocketStats::handshakeFailures);
        counter(registry, "zmq.reconnects", "Connection retries", null, tags, stats, SocketStats::reconnects);
        counter(registry, "zmq.disconnects", "Connections that ended on their own", null, tags, stats, SocketStats::disconnects);
        Gauge.builder("zmq.peers.connected", stats, SocketStats::connectedPeers).description("Peers connected (handshake done)")
                .tags(tags).register(registry);
        Gauge.builder("zmq.messages.queued", stats, SocketStats::messagesQueued).description("Messages waiting to be written to peers")
                .tags(tags).register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, String unit, Tags tags, SocketStats stats,
                                ToDoubleFunction<SocketStats> value) {
        FunctionCounter.builder(name, stats, value).description(description).baseUnit(unit).tags(tags).register(registry);
    }
}
