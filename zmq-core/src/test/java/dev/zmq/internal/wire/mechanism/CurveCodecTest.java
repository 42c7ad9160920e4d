package dev.zmq.internal.wire.mechanism;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zmq.SocketEvent;
import dev.zmq.internal.crypto.NaclBox;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CURVE MESSAGE commands after the handshake: the bytes on the wire (checked against a box built
 * with {@link NaclBox}, as RFC 26 lays it out), both ways of encoding (an array of its own, or
 * straight into an output buffer), and the receiver's checks: nonce order, authentication, size.
 */
@Timeout(20)
class CurveCodecTest {
    private final Random random = new Random(3);
    private final byte[] key = new byte[32];
    private final CurveCodec client;
    private final CurveCodec server;

    CurveCodecTest() {
        random.nextBytes(key);
        // As after a handshake: the client's next nonce follows its INITIATE's, the server's its READY's.
        client = new CurveCodec(key, false, 3, 1);
        server = new CurveCodec(key, true, 2, 2);
    }

    private byte[] randomBytes(int n) {
        var b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The MESSAGE command as RFC 26 describes it, built from NaclBox with the whole 24-byte nonce. */
    private byte[] expectedMessage(String prefix, long nonce, int payloadFlags, byte[] frame) throws Exception {
        var n = new byte[NaclBox.NONCE_BYTES];
        System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, n, 0, 16);
        CurveCodec.putLong(n, 16, nonce);
        var plain = new byte[1 + frame.length];
        plain[0] = (byte) payloadFlags;
        System.arraycopy(frame, 0, plain, 1, frame.length);
        var box = new NaclBox().seal(key, n, plain);
        var out = new byte[16 + box.length];
        System.arraycopy(new byte[] {7, 'M', 'E', 'S', 'S', 'A', 'G', 'E'}, 0, out, 0, 8);
        CurveCodec.putLong(out, 8, nonce);
        System.arraycopy(box, 0, out, 16, box.length);
        return out;
    }

    @Test
    void messagesAreRfc26BoxesUnderIncreasingNonces() throws Exception {
        var a = randomBytes(64);
        var b = randomBytes(0);
        var c = randomBytes(300);
        assertArrayEquals(expectedMessage("CurveZMQMESSAGEC", 3, 1, a), client.encode(a, FrameFlags.MORE));
        assertArrayEquals(expectedMessage("CurveZMQMESSAGEC", 4, 0, b), client.encode(b, 0));
        assertArrayEquals(expectedMessage("CurveZMQMESSAGEC", 5, 2, c), client.encode(c, FrameFlags.COMMAND));
        assertArrayEquals(expectedMessage("CurveZMQMESSAGES", 2, 0, a), server.encode(a, 0));
        assertEquals(16 + 16 + 1 + 64, client.encodedLength(64));
    }

    @Test
    void theLastNonceIsNeverUsedAndNothingIsSealedAfterIt() throws Exception {
        var last = new CurveCodec(key, false, -3, 1); // 2^64 - 3: two nonces left before the last
        var frame = randomBytes(10);
        assertArrayEquals(expectedMessage("CurveZMQMESSAGEC", -3, 0, frame), last.encode(frame, 0));
        assertArrayEquals(expectedMessage("CurveZMQMESSAGEC", -2, 0, frame), last.encode(frame, 0));
        var out = new byte[64];
        Arrays.fill(out, (byte) 0x5A);
        for (int i = 0; i < 2; i++) { // refused, and refused again: the counter does not wrap to 0
            assertThrows(IllegalStateException.class, () -> last.encode(frame, 0, out, 0));
            assertArrayEquals(filled(64, 0x5A), out, "nothing written");
        }
    }

    private static byte[] filled(int n, int value) {
        var b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void encodingIntoABufferWritesTheSameBytes() throws Exception {
        for (var out : new ByteBuffer[] {ByteBuffer.allocate(4096), ByteBuffer.allocateDirect(4096)}) {
            var sender = new CurveCodec(key, false, 10, 1);
            out.put((byte) 0x77); // something already in the buffer stays
            long nonce = 10;
            for (int size : new int[] {64, 0, 1, 300, 64, 2000}) {
                var frame = randomBytes(size);
                int before = out.position();
                sender.encode(frame, FrameFlags.MORE, out);
                assertEquals(sender.encodedLength(size), out.position() - before);
                var written = new byte[out.position() - before];
                out.get(before, written);
                assertArrayEquals(expectedMessage("CurveZMQMESSAGEC", nonce++, 1, frame), written, (out.isDirect() ? "direct" : "heap") + ", " + size);
            }
            assertEquals((byte) 0x77, out.get(0));
            var full = ByteBuffer.allocate(client.encodedLength(10) - 1);
            assertThrows(java.nio.BufferOverflowException.class, () -> client.encode(new byte[10], 0, full));
        }
    }

    @Test
    void roundTripsFramesAndFlags() throws Exception {
        var heap = ByteBuffer.allocate(1024);
        for (int i = 0; i < 100; i++) {
            var frame = randomBytes(random.nextInt(200));
            int flags = i % 3 == 0 ? FrameFlags.MORE : i % 3 == 1 ? 0 : FrameFlags.COMMAND;
            byte[] wire;
            if (i % 2 == 0) {
                wire = client.encode(frame, flags);
            } else {
                heap.clear();
                client.encode(frame, flags, heap);
                wire = Arrays.copyOf(heap.array(), heap.position());
            }
            assertArrayEquals(frame, server.decode(wire));
            assertEquals(flags, server.lastFlags());
        }
        var reply = randomBytes(64);
        assertArrayEquals(reply, client.decode(server.encode(reply, 0)));
    }

    @Test
    void opensFramesIntoArraysGivenBackWhenOneHasTheSize() throws Exception {
        var givenBack = new byte[64];
        Arrays.fill(givenBack, (byte) 0x5A);
        var asked = new java.util.ArrayList<Integer>();
        var offered = new java.util.ArrayDeque<byte[]>(java.util.List.of(givenBack));
        server.reuseArraysFrom(size -> {
            asked.add(size);
            var next = offered.peek();
            return next != null && next.length == size ? offered.poll() : null;
        });
        var first = randomBytes(64);
        var opened = server.decode(client.encode(first, FrameFlags.MORE));
        assertSame(givenBack, opened, "opened into the array given back");
        assertArrayEquals(first, opened);
        assertEquals(FrameFlags.MORE, server.lastFlags());
        var second = randomBytes(64);
        var again = server.decode(client.encode(second, 0));
        assertNotSame(givenBack, again, "none left: a new array");
        assertArrayEquals(second, again);
        assertArrayEquals(first, givenBack, "the first frame's array is the application's now");
        assertArrayEquals(new byte[0], server.decode(client.encode(new byte[0], 0)));
        assertEquals(java.util.List.of(64, 64), asked, "an empty frame takes no array");
    }

    @Test
    void sealedIntoAnArrayAtAnOffsetAndOpenedFromTheMiddleOfAnother() throws Exception {
        // As the engine does: sealed into the encoder's stage among other frames, opened from the
        // decoder's run of bytes. A twin codec (same key and nonces) gives the expected bytes.
        var twin = new CurveCodec(key, false, 3, 1);
        var run = new byte[8192];
        Arrays.fill(run, (byte) 0x5A);
        var frames = new java.util.ArrayList<byte[]>();
        var starts = new java.util.ArrayList<Integer>();
        int p = 3;
        for (int i = 0; i < 30; i++) {
            var frame = randomBytes(i == 0 ? 0 : random.nextInt(200));
            int flags = i % 3 == 0 ? FrameFlags.MORE : i % 3 == 1 ? 0 : FrameFlags.COMMAND;
            client.encode(frame, flags, run, p);
            var expected = twin.encode(frame, flags);
            assertEquals(expected.length, client.encodedLength(frame.length));
            assertArrayEquals(expected, Arrays.copyOfRange(run, p, p + expected.length), "frame " + i);
            frames.add(frame);
            starts.add(p);
            p += expected.length + 1; // a byte of something else between frames
        }
        assertThrows(IndexOutOfBoundsException.class, () -> client.encode(new byte[10], 0, new byte[20], 0));
        for (int i = 0; i < frames.size(); i++) {
            int start = starts.get(i);
            int len = client.encodedLength(frames.get(i).length);
            assertArrayEquals(frames.get(i), server.decode(run, start, len), "frame " + i);
            assertEquals(i % 3 == 0 ? FrameFlags.MORE : i % 3 == 1 ? 0 : FrameFlags.COMMAND, server.lastFlags());
        }
        // A range that does not start with MESSAGE, or is too short for one, is refused.
        var next = client.encode(new byte[5], 0);
        var shifted = new byte[next.length + 4];
        System.arraycopy(next, 0, shifted, 4, next.length);
        assertEquals(SocketEvent.ProtocolError.ZMTP_UNEXPECTED_COMMAND,
                assertThrows(ZmtpProtocolException.class, () -> server.decode(shifted, 3, next.length)).code());
        assertEquals(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE,
                assertThrows(ZmtpProtocolException.class, () -> server.decode(shifted, 4, 32)).code());
        assertArrayEquals(new byte[5], server.decode(shifted, 4, next.length));
    }

    @Test
    void sealedIntoDirectBuffersOfEverySize() throws Exception {
        // A direct buffer has no array: the frame is sealed in this thread's scratch and copied in,
        // up to frames larger than the scratch kept per thread.
        var twin = new CurveCodec(key, false, 3, 1);
        for (int size : new int[] {0, 64, 16 * 1024 - 33, 16 * 1024, 20_000, 300_000, 64}) {
            var frame = randomBytes(size);
            var out = ByteBuffer.allocateDirect(client.encodedLength(size) + 10);
            out.position(7);
            client.encode(frame, FrameFlags.MORE, out);
            assertEquals(7 + client.encodedLength(size), out.position());
            var wire = new byte[client.encodedLength(size)];
            out.get(7, wire);
            assertArrayEquals(twin.encode(frame, FrameFlags.MORE), wire, "size " + size);
            assertArrayEquals(frame, server.decode(wire));
        }
    }

    @Test
    void replayedOrReorderedMessagesAreRefused() throws Exception {
        var first = client.encode(randomBytes(10), 0);
        var second = client.encode(randomBytes(10), 0);
        server.decode(second);
        var replay = assertThrows(ZmtpProtocolException.class, () -> server.decode(second));
        assertEquals(SocketEvent.ProtocolError.ZMTP_INVALID_SEQUENCE, replay.code());
        var reordered = assertThrows(ZmtpProtocolException.class, () -> server.decode(first));
        assertEquals(SocketEvent.ProtocolError.ZMTP_INVALID_SEQUENCE, reordered.code());

        // A nonce raised by an attacker does not open (it is part of the box's nonce).
        var raised = client.encode(randomBytes(10), 0);
        CurveCodec.putLong(raised, 8, CurveCodec.getLong(raised, 8) + 1);
        assertEquals(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC, assertThrows(ZmtpProtocolException.class, () -> server.decode(raised)).code());
    }

    @Test
    void tamperedMessagesAreRefusedAndDoNotAdvanceTheNonce() throws Exception {
        var frame = randomBytes(64);
        var wire = client.encode(frame, 0);
        for (int i = 16; i < wire.length; i++) {
            var bad = wire.clone();
            bad[i] ^= 0x10;
            var e = assertThrows(ZmtpProtocolException.class, () -> server.decode(bad), "flipped byte " + i);
            assertEquals(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC, e.code());
        }
        // The genuine message still opens: a forgery did not consume its nonce.
        assertArrayEquals(frame, server.decode(wire));
    }

    @Test
    void malformedMessagesAreRefused() {
        var tooShort = Arrays.copyOf(client.encode(new byte[0], 0), 32);
        assertEquals(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE,
                assertThrows(ZmtpProtocolException.class, () -> server.decode(tooShort)).code());
        var notMessage = client.encode(new byte[5], 0);
        notMessage[1] = 'm';
        assertEquals(SocketEvent.ProtocolError.ZMTP_UNEXPECTED_COMMAND,
                assertThrows(ZmtpProtocolException.class, () -> server.decode(notMessage)).code());
    }

    @Test
    void everyRefusedFrameIsReportedToTheListenerBeforeItIsThrown() throws Exception {
        var heard = new java.util.ArrayList<ZmtpProtocolException>();
        server.reportFailuresTo(heard::add);
        var first = client.encode(randomBytes(10), 0);
        var second = client.encode(randomBytes(10), 0);
        server.open(second, 0, second.length);
        assertArrayEquals(java.util.List.of().toArray(), heard.toArray(), "an opened frame is no failure");
        var tampered = client.encode(randomBytes(10), 0);
        tampered[tampered.length - 1] ^= 1;
        var tooShort = Arrays.copyOf(client.encode(new byte[0], 0), 32);
        var notMessage = client.encode(new byte[5], 0);
        notMessage[1] = 'm';
        var thrown = new java.util.ArrayList<ZmtpProtocolException>();
        for (var wire : java.util.List.of(first, tampered, tooShort, notMessage)) {
            thrown.add(assertThrows(ZmtpProtocolException.class, () -> server.open(wire, 0, wire.length)));
        }
        assertEquals(thrown, heard, "each exception thrown, heard first");
        assertEquals(java.util.List.of(SocketEvent.ProtocolError.ZMTP_INVALID_SEQUENCE, SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC,
                SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE, SocketEvent.ProtocolError.ZMTP_UNEXPECTED_COMMAND),
                heard.stream().map(ZmtpProtocolException::code).toList());
    }

    @Test
    void wipedCodecRefusesToSealOrOpen() {
        var wire = client.encode(new byte[5], 0);
        client.wipe();
        server.wipe();
        assertThrows(IllegalStateException.class, () -> client.encode(new byte[5], 0));
        assertThrows(IllegalStateException.class, () -> client.encode(new byte[5], 0, ByteBuffer.allocate(100)));
        assertThrows(IllegalStateException.class, () -> server.decode(wire));
    }
}
