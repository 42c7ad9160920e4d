package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The control group of the bad-input tests: streams that look unusual but are legal ZMTP must be
 * accepted, so that strict parsing does not cost interoperability.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LegalVariantsTest {
    private static final Duration T = Duration.ofSeconds(5);
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> legalStreams() {
        var oddProperties = new LinkedHashMap<String, byte[]>();
        oddProperties.put("X-Custom", new byte[300]);
        oddProperties.put("socket-type", "PUSH".getBytes(StandardCharsets.US_ASCII)); // names are case-insensitive
        oddProperties.put("Identity", "ignored-by-pull".getBytes(StandardCharsets.US_ASCII));
        oddProperties.put("Resource", new byte[0]);
        var readyBody = Zmtp.concat(new byte[] {5}, "READY".getBytes(StandardCharsets.US_ASCII),
                Zmtp.properties(java.util.Map.of("Socket-Type", "PUSH".getBytes(StandardCharsets.US_ASCII))));
        return Stream.of(
                Arguments.of("ZMTP 3.0 greeting", Zmtp.concat(Zmtp.greeting(0), Zmtp.ready("PUSH"), Zmtp.message("abc"))),
                Arguments.of("higher major version", Zmtp.concat(Zmtp.greeting(4, 0, "NULL", false), Zmtp.ready("PUSH"), Zmtp.message("abc"))),
                Arguments.of("odd but valid properties", Zmtp.concat(Zmtp.greeting(1), Zmtp.ready(oddProperties), Zmtp.message("abc"))),
                Arguments.of("READY in a long command frame", Zmtp.concat(Zmtp.greeting(1),
                        Zmtp.header(Zmtp.FLAG_COMMAND | Zmtp.FLAG_LONG, readyBody.length), readyBody, Zmtp.message("abc"))),
                Arguments.of("small body in a long frame", Zmtp.concat(Zmtp.greeting(1), Zmtp.ready("PUSH"),
                        Zmtp.header(Zmtp.FLAG_LONG, 3), ABC)),
                Arguments.of("PING before the message", Zmtp.concat(Zmtp.greeting(1), Zmtp.ready("PUSH"),
                        Zmtp.command("PING", new byte[] {0, 0}), Zmtp.message("abc"))),
                Arguments.of("one byte per write", Zmtp.concat(Zmtp.greeting(1), Zmtp.ready("PUSH"), Zmtp.message("abc"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("legalStreams")
    void isAccepted(String name, byte[] stream) throws Exception {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL);
             var raw = RawZmtpClient.connect(pull.bind("tcp://127.0.0.1:*"))) {
            if (name.startsWith("one byte")) {
                for (byte b : stream) {
                    raw.write(new byte[] {b});
                }
            } else {
                raw.write(stream);
            }
            var m = pull.recv(T);
            assertNotNull(m, "a legal stream was not delivered: " + name);
            assertArrayEquals(ABC, m.frame(m.size() - 1));
            assertFalse(raw.awaitClosedByPeer(Duration.ofMillis(200)), "a legal peer was dropped: " + name);
        }
    }

    @Test
    void emptyAndBoundarySizedFramesArriveIntact() throws Exception {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL);
             var raw = RawZmtpClient.connect(pull.bind("tcp://127.0.0.1:*"))) {
            raw.handshake("PUSH", T);
            var sizes = List.of(0, 1, 255, 256, 65_536, 1 << 20);
            var frames = sizes.stream().map(n -> {
                var f = new byte[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (byte) (i * 31 + n);
                }
                return f;
            }).toArray(byte[][]::new);
            raw.write(Zmtp.message(frames));
            var m = pull.recv(T);
            assertNotNull(m);
            assertEquals(sizes.size(), m.size());
            for (int i = 0; i < frames.length; i++) {
                assertArrayEquals(frames[i], m.frame(i), "frame of " + sizes.get(i) + " octets");
            }
        }
    }

    @Test
    void zmtp10PeerLargeFrameArrivesIntact() throws Exception {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL);
             var raw = RawZmtpClient.connect(pull.bind("tcp://127.0.0.1:*"))) {
            var body = new byte[(1 << 20) + 3]; // beyond the decoder's first allocation, so it must grow
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) (i * 7);
            }
            // ZMTP 1.0 (RFC 13): an empty identity frame (length 1: just the flags), then one frame
            // with an 8-octet length that counts the flags octet.
            raw.write(new byte[] {0x01, 0x00});
            var frame = Zmtp.concat(new byte[] {(byte) 0xFF}, ByteBuffer.allocate(8).putLong(body.length + 1L).array(), new byte[] {0}, body);
            for (int off = 0; off < frame.length; off += 100_000) {
                raw.write(java.util.Arrays.copyOfRange(frame, off, Math.min(frame.length, off + 100_000)));
            }
            var m = pull.recv(T);
            assertNotNull(m, "the ZMTP 1.0 frame was not delivered");
            assertArrayEquals(body, m.frame(0));
        }
    }

    @Test
    void pingIsAnsweredWithPongEchoingTheContext() throws Exception {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL);
             var raw = RawZmtpClient.connect(pull.bind("tcp://127.0.0.1:*"))) {
            raw.handshake("PUSH", T);
            var context = "ctx-1234".getBytes(StandardCharsets.US_ASCII);
            raw.write(Zmtp.command("PING", ByteBuffer.allocate(2 + context.length).putShort((short) 0).put(context).array()));
            var pong = raw.readFrame(T);
            assertTrue(pong.isCommand("PONG"), () -> "expected PONG, got " + pong);
            assertArrayEquals(context, pong.commandData());
        }
    }
}
