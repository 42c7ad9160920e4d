package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One hostile peer per test against a bound PULL: the hostile connection must be dropped (the raw
 * client reads EOF), the drop logged at DEBUG with the peer's address, nothing thrown into the
 * application thread, and the socket must keep serving a well-behaved peer connected before and
 * accept a new one after.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest {
    private static final Duration T = Duration.ofSeconds(5);

    // ---- malformed greetings ------------------------------------------------------------------

    @Test
    void garbageInsteadOfGreeting() throws Exception {
        var garbage = new byte[128];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0x5A; // not the 0xFF of a ZMTP 3.x signature
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.tryWrite(garbage);
            pull.assertSurvived(raw, "garbage");
        }
    }

    /**
     * Since the engine detects ZMTP 1.0 peers (whose first octet is a frame length) an HTTP request
     * is not malformed from its first octet: 'G' announces a 71-octet frame. It must still be dropped,
     * once its bytes make no sense or at the latest at HANDSHAKE_IVL, and never be delivered.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: localhost:5555\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"})
    void httpRequestInsteadOfGreeting(String request) throws Exception {
        try (var pull = new ServedPull(s -> s.set(SocketOption.HANDSHAKE_IVL, 1000)); var raw = pull.hostile()) {
            raw.tryWrite(request.getBytes(StandardCharsets.US_ASCII));
            pull.assertSurvived(raw, "http");
        }
    }

    /**
     * Octet 0 set to 0x00 is neither a ZMTP 3.x signature nor a ZMTP 1.0 frame length (which counts
     * the flags octet, so is at least 1); octet 9 set to 0x7E clears the bit that marks ZMTP 2.0+.
     */
    @ParameterizedTest(name = "octet {0} corrupted")
    @ValueSource(ints = {0, 9})
    void greetingWithWrongSignature(int octet) throws Exception {
        var greeting = Zmtp.greeting(1);
        greeting[octet] = (byte) (octet == 0 ? 0x00 : 0x7E);
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.tryWrite(greeting, Zmtp.ready("PUSH"));
            pull.assertSurvived(raw, "signature");
        }
    }

    @ParameterizedTest(name = "mechanism {0}")
    @ValueSource(strings = {"PLAIN", "CURVE", "FOO", "null"})
    void greetingWithAMechanismTheSocketDoesNotUse(String mechanism) throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.tryWrite(Zmtp.greeting(3, 1, mechanism, false), Zmtp.ready("PUSH"));
            pull.assertSurvived(raw, "mechanism");
        }
    }

    @Test
    void silentPeerIsDroppedAfterHandshakeInterval() throws Exception {
        try (var pull = new ServedPull(s -> s.set(SocketOption.HANDSHAKE_IVL, 300)); var raw = pull.hostile()) {
            raw.write(java.util.Arrays.copyOf(Zmtp.greeting(1), 20)); // a third of a greeting, then nothing
            pull.assertSurvived(raw, "silent");
        }
    }

    @Test
    void tricklingPeerIsDroppedAtHandshakeIntervalNotKeptAliveByEachByte() throws Exception {
        try (var pull = new ServedPull(s -> s.set(SocketOption.HANDSHAKE_IVL, 500)); var raw = pull.hostile()) {
            int port = raw.localPort();
            var stream = Zmtp.concat(Zmtp.greeting(1), Zmtp.ready("PUSH"));
            long start = System.nanoTime();
            boolean closed = false;
            // One octet every 50 ms: the whole handshake would take 4.5 s. The read timeout paces the trickle.
            for (int i = 0; i < stream.length && !closed; i++) {
                closed = !raw.tryWrite(new byte[] {stream[i]}) || raw.awaitClosedByPeer(Duration.ofMillis(50));
            }
            var took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(closed, "a peer trickling its handshake was never dropped");
            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "dropped only after " + took.toMillis() + " ms with HANDSHAKE_IVL 500 ms");
            pull.assertDropLogged(port);
            pull.assertExistingPeerServed("trickle");
        }
    }

    // ---- handshake ------------------------------------------------------------------------------

    @ParameterizedTest(name = "peer announces {0}")
    @ValueSource(strings = {"PULL", "REP", "PAIR", "BOGUS"})
    void readyWithIncompatibleSocketTypeGetsErrorThenClose(String peerType) throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.sendGreetingAndReady(peerType);
            assertEquals("NULL", raw.readGreeting(T).mechanism());
            int port = raw.localPort();
            var frames = raw.readFramesUntilClosed(T);
            var errors = frames.stream().filter(f -> f.isCommand("ERROR")).toList();
            assertEquals(1, errors.size(), () -> "expected one ERROR command before the close, got " + frames);
            assertFalse(errors.get(0).errorReason().isBlank(), "the ERROR command carries no reason");
            assertTrue(frames.get(frames.size() - 1).isCommand("ERROR"), () -> "ERROR must be the last thing sent: " + frames);
            assertTrue(frames.stream().allMatch(Zmtp.Frame::isCommand), () -> "data sent to a rejected peer: " + frames);
            pull.assertDropLogged(port);
            pull.assertExistingPeerServed("type");
            pull.assertNewPeerServed("type");
        }
    }

    @Test
    void peerSuppliedBytesAreNeitherEchoedRawInTheErrorReasonNorInTheLog() throws Exception {
        // A Socket-Type carrying a forged log line and an ANSI escape sequence.
        var type = "PULL\n2030-01-01 INFO forged line \u001b[31m".getBytes(StandardCharsets.ISO_8859_1);
        type = Zmtp.concat(type, new byte[] {(byte) 0xFF, 0x00});
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.write(Zmtp.greeting(1), Zmtp.ready(java.util.Map.of("Socket-Type", type)));
            raw.readGreeting(T);
            int port = raw.localPort();
            var frames = raw.readFramesUntilClosed(T);
            for (var f : frames) {
                if (f.isCommand("ERROR")) {
                    var reason = f.errorReason();
                    assertTrue(reason.chars().allMatch(c -> c >= 0x20 && c <= 0x7E),
                            () -> "the ERROR reason is not printable ASCII (RFC 23: VCHAR): " + reason.replace("\n", "\\n").replace("\u001b", "\\e"));
                }
            }
            pull.assertDropLogged(port);
            var records = pull.logs().mentioning("127.0.0.1:" + port);
            assertTrue(records.stream().noneMatch(r -> r.chars().anyMatch(c -> c < 0x20 || c == 0x7F)),
                    () -> "control characters from the peer reached the log (log forging): "
                            + records.stream().map(r -> r.replace("\n", "\\n").replace("\u001b", "\\e")).toList());
        }
    }

    @Test
    void readyWithoutSocketType() throws Exception {
        var props = new LinkedHashMap<String, byte[]>();
        props.put("Identity", "x".getBytes(StandardCharsets.US_ASCII));
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.write(Zmtp.greeting(1), Zmtp.ready(props));
            pull.assertSurvived(raw, "no-type");
        }
    }

    @Test
    void readyWithPropertyLongerThanTheCommand() throws Exception {
        // name "Socket-Type", then a value length of 1000 for a 4-octet value.
        var data = Zmtp.concat(new byte[] {11}, "Socket-Type".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 0, 0x03, (byte) 0xE8}, "PUSH".getBytes(StandardCharsets.US_ASCII));
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.tryWrite(Zmtp.greeting(1), Zmtp.command("READY", data));
            pull.assertSurvived(raw, "bad-property");
        }
    }

    @Test
    void unexpectedCommandInsteadOfReady() throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.tryWrite(Zmtp.greeting(1), Zmtp.command("HELLO", new byte[8]));
            pull.assertSurvived(raw, "hello");
        }
    }

    @Test
    void errorCommandFromPeerDuringHandshake() throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.tryWrite(Zmtp.greeting(1), Zmtp.error("go away"));
            pull.assertSurvived(raw, "peer-error");
        }
    }

    @Test
    void dataFrameBeforeHandshakeCompletes() throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            // The message must not reach the application: ServedPull checks nothing else arrived.
            raw.tryWrite(Zmtp.greeting(1), Zmtp.message("smuggled"), Zmtp.ready("PUSH"), Zmtp.message("smuggled-2"));
            pull.assertSurvived(raw, "early-data");
        }
    }

    // ---- framing after the handshake -----------------------------------------------------------

    @ParameterizedTest(name = "flags 0x{0}")
    @ValueSource(strings = {"08", "10", "20", "40", "80", "F8", "09", "0C"})
    void frameWithReservedFlagBits(String hexFlags) throws Exception {
        int flags = Integer.parseInt(hexFlags, 16);
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.handshake("PUSH", T);
            raw.tryWrite(new byte[] {(byte) flags, 3, 'b', 'a', 'd'}, Zmtp.message("after"));
            pull.assertSurvived(raw, "flags");
        }
    }

    @ParameterizedTest(name = "command body {0}")
    @ValueSource(strings = {"", "00", "0a4142", "0552454144", "0452452144", "ff"})
    void malformedCommandBodyAfterHandshake(String hexBody) throws Exception {
        // empty body, zero-length name, name longer than the body, truncated name, non-letter in the name
        var body = java.util.HexFormat.of().parseHex(hexBody);
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.handshake("PUSH", T);
            raw.tryWrite(Zmtp.header(Zmtp.FLAG_COMMAND, body.length), body, Zmtp.message("after"));
            pull.assertSurvived(raw, "bad-command");
        }
    }

    @Test
    void unknownCommandAfterHandshake() throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.handshake("PUSH", T);
            raw.tryWrite(Zmtp.command("FOOBAR", new byte[] {1, 2, 3}), Zmtp.message("after"));
            pull.assertSurvived(raw, "unknown-command");
        }
    }

    @Test
    void frameLargerThanMaxMsgSizeIsRefusedFromItsHeader() throws Exception {
        try (var pull = new ServedPull(s -> s.set(SocketOption.MAXMSGSIZE, 1024L)); var raw = pull.hostile()) {
            raw.handshake("PUSH", T);
            // Only the header of a 1 GiB frame: a server that waits for (or allocates) the body
            // instead of judging the header never closes within the deadline.
            raw.write(Zmtp.header(Zmtp.FLAG_LONG, 1L << 30));
            int port = raw.localPort();
            pull.assertDropped(raw, Duration.ofSeconds(2));
            pull.assertDropLogged(port);
            pull.assertExistingPeerServed("maxmsgsize");
            pull.assertNewPeerServed("maxmsgsize");
        }
    }

    @Test
    void maxMsgSizeIsInclusiveAndAlsoAppliesToShortFrames() throws Exception {
        try (var pull = new ServedPull(s -> s.set(SocketOption.MAXMSGSIZE, 100L)); var raw = pull.hostile()) {
            raw.handshake("PUSH", T);
            raw.write(Zmtp.message(new byte[100]));
            var atLimit = pull.nextMessage();
            assertEquals(100, atLimit.frame(0).length, "a frame of exactly MAXMSGSIZE must be delivered");
            raw.tryWrite(Zmtp.message(new byte[101]));
            pull.assertSurvived(raw, "maxmsgsize-short");
        }
    }

    @ParameterizedTest(name = "announced size {0}")
    @ValueSource(longs = {1L << 31, Long.MIN_VALUE, -1L, Long.MAX_VALUE})
    void dataFrameLengthBeyondWhatJavaCanHold(long size) throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.handshake("PUSH", T);
            raw.write(Zmtp.header(Zmtp.FLAG_LONG, size));
            pull.assertSurvived(raw, "huge-data");
        }
    }

    @ParameterizedTest(name = "announced size {0}")
    @ValueSource(longs = {1L << 31, Long.MIN_VALUE, -1L})
    void commandFrameLengthBeyondWhatJavaCanHold(long size) throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.handshake("PUSH", T);
            raw.write(Zmtp.header(Zmtp.FLAG_COMMAND | Zmtp.FLAG_LONG, size));
            pull.assertSurvived(raw, "huge-command");
        }
    }

    @Test
    void hugeCommandDuringHandshake() throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.write(Zmtp.greeting(1), Zmtp.header(Zmtp.FLAG_COMMAND | Zmtp.FLAG_LONG, 1L << 40));
            pull.assertSurvived(raw, "huge-ready");
        }
    }

    // ---- peers that vanish -----------------------------------------------------------------------

    @Test
    void peerVanishesMidFrame() throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.handshake("PUSH", T);
            raw.write(new byte[] {0x00, 10, 'h', 'a', 'l', 'f'}); // 4 of 10 body octets
            raw.shutdownOutput();
            pull.assertSurvived(raw, "mid-frame");
        }
    }

    @Test
    void peerVanishesMidMessageAndItsFirstFramesAreNotDelivered() throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.handshake("PUSH", T);
            // A complete first frame with MORE, then half of the second: nothing may be delivered.
            raw.write(Zmtp.frame(Zmtp.FLAG_MORE, "part-1".getBytes(StandardCharsets.US_ASCII)), new byte[] {0x00, 6, 'p', 'a'});
            raw.shutdownOutput();
            pull.assertSurvived(raw, "mid-message");
        }
    }

    @Test
    void peerResetsMidFrameAndHandshake() throws Exception {
        try (var pull = new ServedPull()) {
            var ports = new ArrayList<Integer>();
            for (int cut : new int[] {5, 40, 64, 70}) {
                var raw = pull.hostile();
                ports.add(raw.localPort());
                var stream = Zmtp.concat(Zmtp.greeting(1), Zmtp.ready("PUSH"), Zmtp.message(new byte[300]));
                raw.write(java.util.Arrays.copyOf(stream, cut));
                raw.abort(); // RST, no FIN: the server only sees the error on its next read
            }
            var mid = pull.hostile();
            ports.add(mid.localPort());
            mid.handshake("PUSH", T);
            mid.write(Zmtp.header(Zmtp.FLAG_LONG, 10_000), new byte[100]);
            mid.abort();
            for (int port : ports) {
                pull.assertDropLogged(port);
            }
            pull.assertExistingPeerServed("reset");
            pull.assertNewPeerServed("reset");
        }
    }

    @Test
    void manyStalledConnectionsDoNotBlockOtherPeers() throws Exception {
        var stalled = new ArrayList<RawZmtpClient>();
        try (var pull = new ServedPull()) {
            try {
                for (int i = 0; i < 50; i++) {
                    var raw = pull.hostile();
                    stalled.add(raw);
                    var stream = Zmtp.concat(Zmtp.greeting(1), Zmtp.ready("PUSH"), Zmtp.header(0, 200), new byte[50]);
                    raw.write(java.util.Arrays.copyOf(stream, i % 2 == 0 ? 30 : stream.length)); // half a greeting or half a frame
                }
                pull.assertExistingPeerServed("stalled");
                pull.assertNewPeerServed("stalled");
                for (var raw : stalled) {
                    assertFalse(raw.awaitClosedByPeer(Duration.ofMillis(1)),
                            "a slow but valid peer was dropped before HANDSHAKE_IVL");
                }
            } finally {
                for (var raw : stalled) {
                    raw.close();
                }
            }
            pull.assertExistingPeerServed("stalled-closed");
        }
    }

    @Test
    void hostilePeerAmongGoodOnesDoesNotDisturbTheirMessages() throws Exception {
        try (var pull = new ServedPull(); var good = pull.hostile(); var bad = pull.hostile()) {
            good.handshake("PUSH", T);
            bad.handshake("PUSH", T);
            good.sendMessage("good-1");
            assertEquals("good-1", pull.nextMessage().frameString(0));
            bad.tryWrite(new byte[] {0x40, 1, 'x'});
            pull.assertDropped(bad);
            good.sendMessage("good-2");
            assertEquals("good-2", pull.nextMessage().frameString(0));
            assertFalse(good.awaitClosedByPeer(Duration.ofMillis(200)), "the good raw peer was dropped along with the bad one");
            pull.assertExistingPeerServed("mixed");
        }
    }
}
