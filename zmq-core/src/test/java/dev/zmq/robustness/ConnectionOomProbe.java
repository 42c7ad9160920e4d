package dev.zmq.robustness;

import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Run by {@link HostileOutOfMemoryTest} in a child JVM with a 64 MiB heap: a peer (no MAXMSGSIZE
 * set, so the frame is legal) really sends the bytes of a 1 GiB frame. The frame's buffer grows with
 * them until the heap is exhausted; the OutOfMemoryError must cost that connection only: it is
 * closed (its buffer let go), counted in {@code internalErrors}, and the socket goes on serving the
 * peer connected before and a new one. Prints {@code OK ...} or {@code FAIL: why}.
 */
public final class ConnectionOomProbe {
    private ConnectionOomProbe() {
    }

    public static void main(String[] args) throws Exception {
        var ctx = new ZmqContext(1, Duration.ofSeconds(1));
        var peers = new ZmqContext(1, Duration.ofSeconds(1));
        var pull = ctx.socket(SocketType.PULL);
        List<SocketEvent> disconnects = new CopyOnWriteArrayList<>();
        pull.monitor(Set.of(SocketEvent.Type.DISCONNECTED), disconnects::add);
        var endpoint = pull.bind("tcp://127.0.0.1:*");
        var good = peers.socket(SocketType.PUSH);
        good.set(SocketOption.LINGER, 0);
        good.connect(endpoint);
        if (!Probes.roundTrip(good, pull, "before")) {
            Probes.fail("no delivery even before the test");
        }
        var hostile = RawZmtpClient.connect(endpoint);
        hostile.handshake("PUSH", Duration.ofSeconds(5));
        hostile.write(Zmtp.header(Zmtp.FLAG_LONG, 1L << 30));
        var chunk = new byte[64 * 1024];
        var writer = new Thread(() -> {
            for (long sent = 0; sent < (1L << 30); sent += chunk.length) {
                if (!hostile.tryWrite(chunk)) {
                    return;
                }
            }
        }, "hostile-writer");
        writer.setDaemon(true);
        writer.start();
        boolean dropped = hostile.awaitClosedByPeer(Duration.ofSeconds(30));
        hostile.close();
        boolean servedOld = Probes.roundTrip(good, pull, "after");
        boolean servedNew;
        try (var fresh = peers.socket(SocketType.PUSH)) {
            fresh.set(SocketOption.LINGER, 1000);
            fresh.connect(endpoint);
            servedNew = Probes.roundTrip(fresh, pull, "new");
        }
        var stats = pull.statistics();
        var summary = "dropped: " + dropped + ", served after: " + servedOld + ", new peer served: " + servedNew
                + ", internalErrors " + stats.internalErrors() + ", ioThreadFailures " + stats.ioThreadFailures()
                + ", disconnect reasons " + disconnects.stream().map(SocketEvent::reason).toList();
        if (!dropped || !servedOld || !servedNew || stats.internalErrors() != 1 || stats.ioThreadFailures() != 0
                || disconnects.stream().noneMatch(e -> e.reason().contains("OutOfMemoryError"))) {
            Probes.fail(summary);
        }
        peers.close();
        ctx.close();
        Probes.pass(summary);
    }
}
