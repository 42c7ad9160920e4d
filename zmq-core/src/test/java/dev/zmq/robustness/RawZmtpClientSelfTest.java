package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Proves the raw client speaks correct ZMTP by talking to JeroMQ, an independent implementation:
 * if these pass, a failure of the robustness tests is the engine's, not the helper's.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RawZmtpClientSelfTest {
    private static final Duration T = Duration.ofSeconds(5);

    @Test
    void handshakesWithJeromqPullAndDeliversShortAndLongFrames() throws Exception {
        try (var ctx = new ZContext(); var raw = bindAndConnect(ctx, SocketType.PULL)) {
            var pull = raw.jeromq;
            var props = raw.client.handshake("PUSH", T);
            assertArrayEquals("PULL".getBytes(StandardCharsets.US_ASCII), props.get("socket-type"));

            var big = "x".repeat(300);
            raw.client.sendMessage("hello", "world").sendMessage(big);

            assertEquals("hello", pull.recvStr());
            assertTrue(pull.hasReceiveMore());
            assertEquals("world", pull.recvStr());
            assertFalse(pull.hasReceiveMore());
            assertEquals(big, pull.recvStr());
        }
    }

    @Test
    void readsMultiFrameAndLongMessagesFromJeromqPush() throws Exception {
        try (var ctx = new ZContext(); var raw = bindAndConnect(ctx, SocketType.PUSH)) {
            var props = raw.client.handshake("PULL", T);
            assertArrayEquals("PUSH".getBytes(StandardCharsets.US_ASCII), props.get("socket-type"));

            var big = "y".repeat(1000);
            raw.jeromq.sendMore("a");
            raw.jeromq.send("b");
            raw.jeromq.send(big);

            assertEquals(List.of("a", "b"), raw.client.readMessage(T));
            assertEquals(List.of(big), raw.client.readMessage(T));
        }
    }

    @Test
    void announcesPropertiesThatJeromqRouterUnderstands() throws Exception {
        try (var ctx = new ZContext(); var raw = bindAndConnect(ctx, SocketType.ROUTER)) {
            var props = new LinkedHashMap<String, byte[]>();
            props.put("Socket-Type", "DEALER".getBytes(StandardCharsets.US_ASCII));
            props.put("Identity", "raw-id".getBytes(StandardCharsets.US_ASCII));
            raw.client.write(Zmtp.greeting(1), Zmtp.ready(props));
            assertEquals("NULL", raw.client.readGreeting(T).mechanism());
            assertTrue(raw.client.readFrame(T).isCommand("READY"));

            raw.client.sendMessage("ping");
            assertEquals("raw-id", raw.jeromq.recvStr());
            assertEquals("ping", raw.jeromq.recvStr());

            raw.jeromq.sendMore("raw-id");
            raw.jeromq.send("pong");
            assertEquals(List.of("pong"), raw.client.readMessage(T));
        }
    }

    @Test
    void seesJeromqCloseAConnectionWithABadSignature() throws Exception {
        try (var ctx = new ZContext(); var raw = bindAndConnect(ctx, SocketType.PULL)) {
            var greeting = Zmtp.greeting(1);
            greeting[0] = 0x00; // a ZMTP 1.0 peer would start with a length; 0 is not valid there either
            greeting[9] = 0x00;
            raw.client.tryWrite(greeting, new byte[64]);
            assertTrue(raw.client.awaitClosedByPeer(T), "JeroMQ kept a connection with a bad signature open");
        }
    }

    @Test
    void detectsThatAPeerKeepsTheConnectionOpen() throws Exception {
        try (var ctx = new ZContext(); var raw = bindAndConnect(ctx, SocketType.PULL)) {
            raw.client.handshake("PUSH", T);
            assertFalse(raw.client.awaitClosedByPeer(Duration.ofMillis(300)),
                    "a healthy connection must not look closed");
        }
    }

    @Test
    void buildsFramesAsTheAbnfSays() {
        assertArrayEquals(new byte[] {0x04, 0x06, 0x05, 'E', 'R', 'R', 'O', 'R'}, Zmtp.command("ERROR", new byte[0]));
        assertArrayEquals(new byte[] {0x01, 0x01, 'a', 0x00, 0x00}, Zmtp.message(new byte[] {'a'}, new byte[0]));
        var longFrame = Zmtp.frame(0, new byte[256]);
        assertEquals(9 + 256, longFrame.length);
        assertEquals(Zmtp.FLAG_LONG, longFrame[0]);
        assertEquals(1, longFrame[7]);
        assertEquals(0, longFrame[8]);
        var greeting = Zmtp.Greeting.parse(Zmtp.greeting(1));
        assertEquals(new Zmtp.Greeting(3, 1, "NULL", false), greeting);
        var ready = Zmtp.ready("PUSH");
        assertArrayEquals(new byte[] {0x04, 26, 5, 'R', 'E', 'A', 'D', 'Y', 11}, java.util.Arrays.copyOf(ready, 9));
        var parsed = new Zmtp.Frame(ready[0], java.util.Arrays.copyOfRange(ready, 2, ready.length));
        assertArrayEquals("PUSH".getBytes(StandardCharsets.US_ASCII), Zmtp.parseProperties(parsed.commandData()).get("socket-type"));
        assertEquals("bad type", new Zmtp.Frame(Zmtp.FLAG_COMMAND, java.util.Arrays.copyOfRange(Zmtp.error("bad type"), 2, 17)).errorReason());
    }

    /** A JeroMQ socket bound on an ephemeral port and a raw client connected to it. */
    private record Pair(ZMQ.Socket jeromq, RawZmtpClient client) implements AutoCloseable {
        @Override
        public void close() throws java.io.IOException {
            client.close();
        }
    }

    private static Pair bindAndConnect(ZContext ctx, SocketType type) throws Exception {
        var socket = ctx.createSocket(type);
        socket.setReceiveTimeOut((int) T.toMillis());
        socket.setSendTimeOut((int) T.toMillis());
        assertTrue(socket.bind("tcp://127.0.0.1:*"));
        var endpoint = socket.getLastEndpoint();
        assertNotNull(endpoint);
        return new Pair(socket, RawZmtpClient.connect(endpoint));
    }
}
