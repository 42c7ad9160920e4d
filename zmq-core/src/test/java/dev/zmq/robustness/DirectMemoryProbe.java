package dev.zmq.robustness;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;

/**
 * Run in a child JVM with a small {@code -XX:MaxDirectMemorySize} by {@link ResourceExhaustionTest}:
 * opens more connections than the direct memory allows buffers for, closes them, and checks that
 * the server released every one (file descriptors back to where they were), kept serving, and
 * closes in bounded time. Prints {@code OK} or {@code FAIL: why} and exits 0 or 1.
 */
public final class DirectMemoryProbe {
    private DirectMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        int connections = Integer.parseInt(args[0]);
        var os = (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var ctx = new ZmqContext(1, Duration.ofSeconds(1));
        var pull = ctx.socket(SocketType.PULL);
        var endpoint = pull.bind("tcp://127.0.0.1:*");
        var push = ctx.socket(SocketType.PUSH);
        push.set(SocketOption.LINGER, 0);
        push.connect(endpoint);
        if (!Probes.roundTrip(push, pull, "before")) {
            Probes.fail("no delivery even before the test");
        }
        long fdsBefore = os.getOpenFileDescriptorCount();
        var clients = new ArrayList<RawZmtpClient>();
        int greeted = 0;
        for (int i = 0; i < connections; i++) {
            var c = RawZmtpClient.connect(endpoint);
            clients.add(c);
            if (c.awaitPeerActivity(Duration.ofMillis(300))) {
                greeted++;
            }
        }
        for (var c : clients) {
            c.close();
        }
        boolean released = Await.holdsWithin(() -> {
            System.gc(); // let the buffers of closed connections go, as a long-running server would
            return os.getOpenFileDescriptorCount() <= fdsBefore + 2;
        }, Duration.ofSeconds(10));
        long leaked = os.getOpenFileDescriptorCount() - fdsBefore;
        boolean served = Probes.roundTrip(push, pull, "after");
        long start = System.nanoTime();
        ctx.close();
        long closeMillis = (System.nanoTime() - start) / 1_000_000;
        var summary = connections + " connections, " + greeted + " greeted, " + leaked + " fds still open, served after: "
                + served + ", close took " + closeMillis + " ms";
        if (!released || !served || closeMillis > 3_000) {
            Probes.fail(summary);
        }
        Probes.pass(summary);
    }
}
