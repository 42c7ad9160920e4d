package dev.zmq.robustness;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;

/**
 * Run by {@link HostileResourceTest} in a child JVM with {@code -XX:MaxDirectMemorySize=2m}: the
 * direct memory is taken (all but a few KiB) before 20 PUSH sockets connect to a PULL. Connections
 * must still be made and serve (their buffers fall back to the heap instead of failing or stalling
 * in the JDK's reservation loop), and go on serving once the memory is free again. Before, the
 * engines' 64 KiB direct buffers failed and a connecting socket whose engine failed never
 * reconnected. Prints {@code OK ...} or {@code FAIL: why}.
 */
public final class DirectStarvedConnectProbe {
    private static final int SOCKETS = 20;

    private DirectStarvedConnectProbe() {
    }

    public static void main(String[] args) throws Exception {
        var server = new ZmqContext(1, Duration.ofSeconds(1));
        var clients = new ZmqContext(1, Duration.ofSeconds(1));
        var pull = server.socket(SocketType.PULL);
        var endpoint = pull.bind("tcp://127.0.0.1:*");
        var hog = hogDirectMemory();
        long free = maxDirect() - JvmMemory.directUsed();
        var pushes = new ArrayList<ZmqSocket>();
        long start = System.nanoTime();
        for (int i = 0; i < SOCKETS; i++) {
            var push = clients.socket(SocketType.PUSH);
            push.set(SocketOption.LINGER, 0);
            push.set(SocketOption.RECONNECT_IVL, 100);
            push.connect(endpoint);
            pushes.add(push);
        }
        int starved = deliverFromEach(pushes, pull, "starved");
        long starvedMillis = (System.nanoTime() - start) / 1_000_000;
        hog.clear();
        int freed = deliverFromEach(pushes, pull, "freed");
        var summary = SOCKETS + " sockets, " + free / 1024 + " KiB of direct memory free: " + starved + " delivered in "
                + starvedMillis + " ms; after it was freed: " + freed;
        if (starved != SOCKETS || freed != SOCKETS) {
            Probes.fail(summary);
        }
        clients.close();
        server.close();
        Probes.pass(summary);
    }

    private static int deliverFromEach(ArrayList<ZmqSocket> pushes, ZmqSocket pull, String label) {
        for (int i = 0; i < pushes.size(); i++) {
            pushes.get(i).send(Message.of(label + i), Duration.ofSeconds(10));
        }
        var seen = new java.util.HashSet<String>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (seen.size() < pushes.size() && System.nanoTime() < deadline) {
            var m = pull.recv(Duration.ofMillis(200));
            if (m != null && m.frameString(0).startsWith(label)) {
                seen.add(m.frameString(0));
            }
        }
        return seen.size();
    }

    /** Takes direct memory in 16 KiB pieces until less than 32 KiB is left. */
    private static ArrayList<ByteBuffer> hogDirectMemory() {
        var hog = new ArrayList<ByteBuffer>();
        long max = maxDirect();
        while (JvmMemory.directUsed() + 48 * 1024 <= max) {
            hog.add(ByteBuffer.allocateDirect(16 * 1024));
        }
        return hog;
    }

    private static long maxDirect() {
        var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        return Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
    }
}
