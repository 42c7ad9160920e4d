package dev.zmq.monitor;

import dev.zmq.testkit.Libzmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketEvent;
import dev.zmq.SocketEvent.Type;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HeartbeatTest {

    /** Greeting plus READY announcing {@code type}: what a peer says before going silent. */
    private static byte[] handshake(String type) {
        var g = new byte[64];
        g[0] = (byte) 0xFF;
        g[8] = 1;
        g[9] = 0x7F;
        g[10] = 3;
        g[11] = 1;
        System.arraycopy("NULL".getBytes(StandardCharsets.US_ASCII), 0, g, 12, 4);
        var name = "Socket-Type".getBytes(StandardCharsets.US_ASCII);
        var value = type.getBytes(StandardCharsets.US_ASCII);
        int bodyLen = 1 + 5 + 1 + name.length + 4 + value.length;
        var out = new byte[64 + 2 + bodyLen];
        System.arraycopy(g, 0, out, 0, 64);
        int p = 64;
        out[p++] = 0x04;
        out[p++] = (byte) bodyLen;
        out[p++] = 5;
        for (byte b : "READY".getBytes(StandardCharsets.US_ASCII)) {
            out[p++] = b;
        }
        out[p++] = (byte) name.length;
        for (byte b : name) {
            out[p++] = b;
        }
        out[p++] = 0;
        out[p++] = 0;
        out[p++] = 0;
        out[p++] = (byte) value.length;
        for (byte b : value) {
            out[p++] = b;
        }
        return out;
    }

    private static SocketEvent await(LinkedBlockingQueue<SocketEvent> events, Type type, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            var e = events.poll(50, TimeUnit.MILLISECONDS);
            if (e != null && e.type() == type) {
                return e;
            }
        }
        return null;
    }

    @Test
    void silentPeerIsDroppedAndTheConnectingSideReconnects() throws Exception {
        var accepted = new ArrayList<Socket>();
        try (var server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); var ctx = new ZmqContext()) {
            var push = ctx.socket(SocketType.PUSH);
            push.set(SocketOption.HEARTBEAT_IVL, 100);
            push.set(SocketOption.HEARTBEAT_TIMEOUT, 300);
            push.set(SocketOption.RECONNECT_IVL, 50);
            var events = new LinkedBlockingQueue<SocketEvent>();
            push.monitor(EnumSet.of(Type.HANDSHAKE_SUCCEEDED, Type.DISCONNECTED), events::add);
            push.connect("tcp://127.0.0.1:" + server.getLocalPort());

            // The peer completes the handshake, then never reads nor writes, but keeps TCP open.
            var silent = server.accept();
            accepted.add(silent);
            silent.getOutputStream().write(handshake("PULL"));
            assertNotNull(await(events, Type.HANDSHAKE_SUCCEEDED, 10));
            var dropped = await(events, Type.DISCONNECTED, 10);
            assertNotNull(dropped, "a silent peer must be disconnected");
            assertTrue(dropped.reason().contains("HEARTBEAT_TIMEOUT"), dropped.reason());

            server.setSoTimeout(10_000);
            var again = server.accept(); // reconnected
            accepted.add(again);
            again.getOutputStream().write(handshake("PULL"));
            assertNotNull(await(events, Type.HANDSHAKE_SUCCEEDED, 10));
        } finally {
            for (var s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void libzmqPingsAreAnsweredAndOurPingsAreAnsweredByLibzmq() throws Exception {
        // libzmq with heartbeats on both ways; nothing else flows for 1.5 s; neither side may drop the other.
        var script = String.join("\n",
                "import zmq, time, sys",
                "c = zmq.Context()",
                "s = c.socket(zmq.PULL)",
                "s.setsockopt(zmq.HEARTBEAT_IVL, 50)",
                "s.setsockopt(zmq.HEARTBEAT_TIMEOUT, 200)",
                "s.setsockopt(zmq.HEARTBEAT_TTL, 500)",
                "m = s.get_monitor_socket(zmq.EVENT_DISCONNECTED)",
                "port = s.bind_to_random_port('tcp://127.0.0.1')",
                "print(port, flush=True)",
                "s.setsockopt(zmq.RCVTIMEO, 10000)",
                "msg = s.recv()",
                "drops = 0",
                "while m.poll(0):",
                "    m.recv_multipart(); drops += 1",
                "print('got', msg.decode(), 'drops', drops, flush=True)",
                "s.close(0); m.close(0); c.term()");
        Libzmq.assumeAvailable();
        var p = new ProcessBuilder(Libzmq.PYTHON, "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var ctx = new ZmqContext()) {
            var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            var port = out.readLine().trim();
            var push = ctx.socket(SocketType.PUSH);
            push.set(SocketOption.HEARTBEAT_IVL, 50);
            push.set(SocketOption.HEARTBEAT_TIMEOUT, 200);
            var events = new LinkedBlockingQueue<SocketEvent>();
            push.monitor(EnumSet.of(Type.DISCONNECTED, Type.HANDSHAKE_SUCCEEDED), events::add);
            push.connect("tcp://127.0.0.1:" + port);
            assertNotNull(await(events, Type.HANDSHAKE_SUCCEEDED, 10));
            // Idle well past both timeouts: only PING/PONG flow.
            assertEquals(null, await(events, Type.DISCONNECTED, 2));
            push.send("still here");
            assertEquals("got still here drops 0", out.readLine());
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
    }
}
