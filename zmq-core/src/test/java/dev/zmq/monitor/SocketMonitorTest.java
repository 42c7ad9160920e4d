package dev.zmq.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import dev.zmq.SocketEvent.Type;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SocketMonitorTest {

    private static SocketEvent awaitType(LinkedBlockingQueue<SocketEvent> events, Type type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            var e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.type() == type) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " event within 10 s");
    }

    @Test
    void listenerSeesTheLifeOfConnectionsOnBothSides() throws Exception {
        try (var ctx = new ZmqContext()) {
            var server = ctx.socket(SocketType.PULL);
            var serverEvents = new LinkedBlockingQueue<SocketEvent>();
            server.monitor(EnumSet.allOf(Type.class), serverEvents::add);
            var ep = server.bind("tcp://127.0.0.1:*");
            assertEquals(ep, awaitType(serverEvents, Type.LISTENING).endpoint());

            var client = ctx.socket(SocketType.PUSH);
            var clientEvents = new LinkedBlockingQueue<SocketEvent>();
            client.monitor(EnumSet.allOf(Type.class), clientEvents::add);
            client.connect(ep);
            var connected = awaitType(clientEvents, Type.CONNECTED);
            assertEquals(ep, connected.endpoint());
            awaitType(clientEvents, Type.HANDSHAKE_SUCCEEDED);
            var accepted = awaitType(serverEvents, Type.ACCEPTED);
            assertTrue(accepted.peerAddress().startsWith("tcp://127.0.0.1:"), accepted.toString());
            awaitType(serverEvents, Type.HANDSHAKE_SUCCEEDED);

            client.close();
            awaitType(clientEvents, Type.MONITOR_STOPPED);
            var disconnected = awaitType(serverEvents, Type.DISCONNECTED);
            assertEquals(ep, disconnected.endpoint());
        }
    }

    @Test
    void reconnectAttemptsAreReported() throws Exception {
        try (var ctx = new ZmqContext()) {
            var probe = ctx.socket(SocketType.PULL);
            var ep = probe.bind("tcp://127.0.0.1:*");
            probe.unbind(ep); // a port nobody listens on
            var client = ctx.socket(SocketType.PUSH);
            client.set(dev.zmq.SocketOption.RECONNECT_IVL, 20);
            var events = new LinkedBlockingQueue<SocketEvent>();
            client.monitor(EnumSet.of(Type.CONNECT_RETRIED), events::add);
            client.connect(ep);
            var retried = awaitType(events, Type.CONNECT_RETRIED);
            assertTrue(retried.value() >= 20, "interval " + retried.value());
        }
    }

    @Test
    void protocolFailureCarriesLibzmqCodeAndReason() throws Exception {
        try (var ctx = new ZmqContext()) {
            var server = ctx.socket(SocketType.PULL);
            var events = new LinkedBlockingQueue<SocketEvent>();
            server.monitor(EnumSet.of(Type.HANDSHAKE_FAILED_PROTOCOL), events::add);
            var ep = server.bind("tcp://127.0.0.1:*");
            int port = Integer.parseInt(ep.substring(ep.lastIndexOf(':') + 1));
            try (var raw = new Socket("127.0.0.1", port)) {
                OutputStream out = raw.getOutputStream();
                var greeting = new byte[64];
                greeting[0] = (byte) 0xFF;
                greeting[8] = 1;
                greeting[9] = 0x7F;
                greeting[10] = 3;
                greeting[11] = 1;
                System.arraycopy("PLAIN".getBytes(StandardCharsets.US_ASCII), 0, greeting, 12, 5);
                out.write(greeting);
                out.flush();
                var failed = awaitType(events, Type.HANDSHAKE_FAILED_PROTOCOL);
                assertEquals(SocketEvent.ProtocolError.ZMTP_MECHANISM_MISMATCH, failed.value());
                assertTrue(failed.reason().contains("PLAIN"), failed.reason());
            }
        }
    }

    @Test
    void libzmqWireFormatOverInprocPair() throws Exception {
        try (var ctx = new ZmqContext()) {
            var server = ctx.socket(SocketType.REP);
            server.monitor("inproc://monitor.rep", Type.LISTENING.code() | Type.ACCEPTED.code());
            var reader = ctx.socket(SocketType.PAIR);
            reader.connect("inproc://monitor.rep");
            var ep = server.bind("tcp://127.0.0.1:*");
            Message listening = reader.recv(Duration.ofSeconds(5));
            assertNotNull(listening);
            assertEquals(2, listening.size());
            var head = ByteBuffer.wrap(listening.frame(0)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(6, listening.frame(0).length);
            assertEquals(Type.LISTENING.code(), head.getShort() & 0xFFFF);
            assertEquals(ep, listening.frameString(1));

            var client = ctx.socket(SocketType.REQ);
            client.connect(ep);
            Message accepted = reader.recv(Duration.ofSeconds(5));
            assertNotNull(accepted);
            assertEquals(Type.ACCEPTED.code(), ByteBuffer.wrap(accepted.frame(0)).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF);

            server.monitor(null, 0);
            // Events not in the mask (e.g. MONITOR_STOPPED here) are not sent; the PAIR is closed.
            assertEquals(null, reader.recv(Duration.ofMillis(200)));
        }
    }
}
