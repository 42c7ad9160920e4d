package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketOption;
import dev.zmq.ZmqSocket;
import dev.zmq.security.CurveKeyPair;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, defects 1 and 7: what a frame header alone makes the server allocate. Hostile peers
 * announce frames they never send; the server's reachable heap (after a full GC) may grow only by
 * a small amount per connection, whatever was announced, and a data frame before the handshake
 * completed is refused at its header instead of being read whole. The socket keeps serving a
 * well-behaved peer throughout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileFrameSizeTest {
    private static final int CONNECTIONS = 300;
    /**
     * Reachable heap per hostile connection: the connection's own state (channel, engine, session,
     * pipe) plus the start of the announced frame. Before the fix a header bought its declared size
     * up to 256 KiB; now at most 1 KiB of body until the bytes arrive.
     */
    private static final long PER_CONNECTION_BOUND = 32 * 1024;
    private static final Duration IO = Duration.ofSeconds(5);

    @Test
    void headersAnnouncingLargeFramesBuyNoMemoryAfterTheHandshake() throws Exception {
        assertHeadersAreCheap(s -> { }, 256 * 1024);
    }

    @Test
    void headersWithinMaxMsgSizeBuyNoMemoryEither() throws Exception {
        assertHeadersAreCheap(s -> s.set(SocketOption.MAXMSGSIZE, 1L << 20), (1 << 20) - 1);
    }

    /**
     * Each hostile peer completes the NULL handshake, sends a PING (answered, which proves the server
     * read that far) and the header of a frame of {@code announced} bytes with 90 bytes of it.
     */
    private void assertHeadersAreCheap(Consumer<ZmqSocket> configure, long announced) throws Exception {
        try (var pull = new ServedPull(configure)) {
            long before = JvmMemory.heapUsedAfterGc();
            var hostile = new ArrayList<RawZmtpClient>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    var c = pull.hostile();
                    hostile.add(c);
                    c.handshake("PUSH", IO);
                    c.write(Zmtp.command("PING", new byte[] {0, 0}), Zmtp.header(Zmtp.FLAG_LONG, announced), new byte[90]);
                    var pong = c.readFrame(IO);
                    assertTrue(pong.isCommand("PONG"), () -> "expected PONG, got " + pong);
                }
                // Two round trips on the same I/O thread: every hostile header read before was handled.
                pull.assertExistingPeerServed("during");
                pull.assertExistingPeerServed("during");
                long grown = JvmMemory.heapUsedAfterGc() - before;
                assertTrue(grown < CONNECTIONS * PER_CONNECTION_BOUND, () -> CONNECTIONS + " peers announcing frames of "
                        + announced + " bytes grew the reachable heap by " + JvmMemory.mib(grown) + " ("
                        + grown / CONNECTIONS + " bytes each, bound " + PER_CONNECTION_BOUND + ")");
            } finally {
                for (var c : hostile) {
                    c.close();
                }
            }
            pull.assertNewPeerServed("after");
        }
    }

    /**
     * A CURVE server before any authentication: a peer's greeting and the header of a HELLO-sized
     * command frame (64,000 bytes announced, 90 sent) buy at most the start of that frame.
     */
    @Test
    void unauthenticatedCurvePeersBuyNoMemoryWithCommandHeaders() throws Exception {
        var keys = CurveKeyPair.generate();
        try (var pull = new ServedPull(s -> curveServer(s, keys), s -> curveClient(s, keys))) {
            long before = JvmMemory.heapUsedAfterGc();
            var hostile = new ArrayList<RawZmtpClient>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    var c = pull.hostile();
                    hostile.add(c);
                    c.write(Zmtp.greeting(3, 0, "CURVE", false), Zmtp.header(Zmtp.FLAG_COMMAND | Zmtp.FLAG_LONG, 64_000),
                            Zmtp.concat(new byte[] {5}, "HELLO".getBytes(StandardCharsets.US_ASCII), new byte[84]));
                    c.readGreeting(IO);
                }
                pull.assertExistingPeerServed("during");
                pull.assertExistingPeerServed("during");
                long grown = JvmMemory.heapUsedAfterGc() - before;
                assertTrue(grown < CONNECTIONS * PER_CONNECTION_BOUND / 2, () -> CONNECTIONS
                        + " unauthenticated CURVE peers announcing 64,000-byte commands grew the reachable heap by "
                        + JvmMemory.mib(grown) + " (" + grown / CONNECTIONS + " bytes each)");
            } finally {
                for (var c : hostile) {
                    c.close();
                }
            }
        }
    }

    /** Defect 7: a data frame before READY is refused at its header, not read whole first. */
    @Test
    void aDataFrameBeforeTheNullHandshakeCompletesIsRefusedAtItsHeader() throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.write(Zmtp.greeting(1), Zmtp.header(Zmtp.FLAG_LONG, 1L << 30), new byte[100]);
            pull.assertSurvived(raw, "after");
        }
    }

    /**
     * A small data frame before READY is the handshake's to refuse too: the decoder's one-call path
     * for such frames, which goes straight to the message exchange, is off until the handshake is done.
     */
    @Test
    void aSmallDataFrameBeforeTheNullHandshakeCompletesIsRefused() throws Exception {
        try (var pull = new ServedPull(); var raw = pull.hostile()) {
            raw.write(Zmtp.greeting(1), Zmtp.frame(0, new byte[] {1, 2, 3}));
            pull.assertSurvived(raw, "after");
        }
    }

    /** Defect 7 on CURVE: an unauthenticated client announcing a 1 GiB data frame is dropped at once. */
    @Test
    void aDataFrameBeforeCurveAuthenticationIsRefusedAtItsHeader() throws Exception {
        var keys = CurveKeyPair.generate();
        try (var pull = new ServedPull(s -> curveServer(s, keys), s -> curveClient(s, keys)); var raw = pull.hostile()) {
            raw.write(Zmtp.greeting(3, 0, "CURVE", false), Zmtp.header(Zmtp.FLAG_LONG, 1L << 30), new byte[100]);
            pull.assertDropped(raw);
            pull.assertExistingPeerServed("after");
        }
    }

    /** A multipart message is bounded as a whole once MAXMSGSIZE is set, not only frame by frame. */
    @Test
    void aNeverEndingMultipartMessageIsCutOffWithMaxMsgSize() throws Exception {
        try (var pull = new ServedPull(s -> {
            s.set(SocketOption.MAXMSGSIZE, 1024L);
            s.set(SocketOption.MAX_MULTIPART_SIZE, 256L * 1024);
        }); var raw = pull.hostile()) {
            raw.handshake("PUSH", IO);
            var frame = Zmtp.frame(Zmtp.FLAG_MORE, new byte[1000]);
            var chunk = new byte[frame.length * 64];
            for (int i = 0; i < 64; i++) {
                System.arraycopy(frame, 0, chunk, i * frame.length, frame.length);
            }
            boolean open = true;
            // 4 MiB of MORE frames, far past the 256 KiB bound: the server must hang up before the end.
            for (int i = 0; i < 64 && open; i++) {
                open = raw.tryWrite(chunk);
            }
            pull.assertSurvived(raw, "after");
        }
    }

    /** The derived default: with MAXMSGSIZE set, a message is bounded even without MAX_MULTIPART_SIZE. */
    @Test
    void emptyFramesForeverAreBoundedByTheDerivedDefault() throws Exception {
        try (var pull = new ServedPull(s -> s.set(SocketOption.MAXMSGSIZE, 16L)); var raw = pull.hostile()) {
            raw.handshake("PUSH", IO);
            var chunk = new byte[2 * 32 * 1024];
            for (int i = 0; i < chunk.length; i += 2) {
                chunk[i] = Zmtp.FLAG_MORE; // an empty frame with MORE, again and again
            }
            boolean open = true;
            // 1 MiB derived bound, 16 bytes per empty frame: 65,536 frames; 2^20 are sent.
            for (int i = 0; i < 32 && open; i++) {
                open = raw.tryWrite(chunk);
            }
            pull.assertSurvived(raw, "after");
        }
    }

    private static void curveClient(ZmqSocket s, CurveKeyPair serverKeys) {
        var own = CurveKeyPair.generate();
        s.set(SocketOption.CURVE_SERVERKEY, serverKeys.publicKey());
        s.set(SocketOption.CURVE_PUBLICKEY, own.publicKey());
        s.set(SocketOption.CURVE_SECRETKEY, own.secretKey());
    }

    private static void curveServer(ZmqSocket s, CurveKeyPair keys) {
        s.set(SocketOption.CURVE_SERVER, true);
        s.set(SocketOption.CURVE_SECRETKEY, keys.secretKey());
    }

}
