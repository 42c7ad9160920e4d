package dev.zmq.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import dev.zmq.internal.wire.mechanism.CurveClient;
import dev.zmq.internal.wire.mechanism.CurveServer;
import dev.zmq.internal.wire.mechanism.Mechanism;
import dev.zmq.internal.wire.mechanism.ZapSettings;
import java.util.Arrays;
import dev.zmq.ZmqContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * CURVE (RFC 25/26) between our client and our server with a man in the middle the fuzzer drives:
 * each HELLO, WELCOME, INITIATE, READY and MESSAGE may be passed on, have a byte changed, be cut
 * short, or be replaced by other bytes. Whatever the change, the receiver must refuse it with a
 * {@link ZmtpProtocolException} (CURVE authenticates every byte but HELLO's padding, 8 to 79,
 * which libzmq ignores too); unchanged traffic must get through; heap per input stays within budget.
 */
class CurveHandshakeFuzzTest {
    /** Key agreement and boxes (BigInteger-free X25519 in the JDK, XSalsa20-Poly1305) for one handshake and a few messages. */
    private static final long CURVE_ALLOWANCE = 4 * 1024 * 1024;
    private static final int HELLO_PADDING_FROM = 8;
    private static final int HELLO_PADDING_TO = 80;

    /** A context without a ZAP handler: the server accepts any client that knows its key (libzmq 4.3). */
    private static ZmqContext noZap;

    @BeforeAll
    static void start() {
        noZap = new ZmqContext();
    }

    @AfterAll
    static void stop() {
        noZap.close();
    }

    @FuzzTest(maxDuration = "10s")
    void manInTheMiddle(FuzzedDataProvider data) throws Exception {
        AllocationBudget.within("CURVE handshake", CURVE_ALLOWANCE, data.remainingBytes(), () -> run(data));
    }

    private static void run(FuzzedDataProvider data) throws Exception {
        var clientMetadata = new Metadata().put(Metadata.SOCKET_TYPE, "DEALER").put(Metadata.IDENTITY, data.consumeBytes(8));
        var client = new CurveClient(clientMetadata, TestKeys.key(TestKeys.CLIENT_PUBLIC), TestKeys.key(TestKeys.CLIENT_SECRET),
                TestKeys.key(TestKeys.SERVER_PUBLIC));
        var server = new CurveServer(new Metadata().put(Metadata.SOCKET_TYPE, "ROUTER"), TestKeys.key(TestKeys.SERVER_SECRET),
                new ZapSettings("", new byte[0]));
        var toServer = new FakeHandshake(FakeHandshake.zapOf(noZap));
        var toClient = new FakeHandshake(FakeHandshake.zapOf(noZap));
        try {
            client.start(toServer);
            if (!deliver(data, toServer.sent.get(0), server, toClient, "HELLO")) {
                return;
            }
            if (!deliver(data, toClient.sent.get(0), client, toServer, "WELCOME")) {
                return;
            }
            if (!deliver(data, toServer.sent.get(1), server, toClient, "INITIATE")) {
                return;
            }
            assertTrue(server.isComplete(), "the server did not complete after a faithful INITIATE (no ZAP handler)");
            if (!deliver(data, toClient.sent.get(1), client, toServer, "READY")) {
                return;
            }
            assertTrue(client.isComplete());
            assertEquals("DEALER", server.peerMetadata().getString(Metadata.SOCKET_TYPE));
            assertArrayEquals(clientMetadata.get(Metadata.IDENTITY), server.peerMetadata().get(Metadata.IDENTITY));
            assertEquals("ROUTER", client.peerMetadata().getString(Metadata.SOCKET_TYPE));
            int messages = data.consumeInt(0, 4);
            for (int i = 0; i < messages && data.remainingBytes() > 0; i++) {
                boolean fromClient = data.consumeBoolean();
                var sender = fromClient ? client : server;
                var receiver = fromClient ? server : client;
                var frame = data.consumeBytes(data.consumeInt(0, 600));
                int flags = data.consumeInt(0, 2) == 2 ? FrameFlags.COMMAND : data.consumeBoolean() ? FrameFlags.MORE : 0;
                var wire = sender.codec().encode(frame, flags);
                var tampered = tamper(data, wire, 0, 0);
                try {
                    var opened = receiver.codec().decode(tampered);
                    assertArrayEquals(wire, tampered, "a tampered CURVE MESSAGE opened");
                    assertArrayEquals(frame, opened);
                    assertEquals(flags, receiver.codec().lastFlags());
                } catch (ZmtpProtocolException refused) {
                    if (Arrays.equals(wire, tampered)) {
                        fail("a faithful CURVE MESSAGE was refused: " + refused.getMessage());
                    }
                    return; // a refused message ends the connection
                }
            }
        } finally {
            client.dispose();
            server.dispose();
        }
    }

    /** Passes {@code command}, perhaps tampered with, to {@code receiver}; false if it refused. */
    private static boolean deliver(FuzzedDataProvider data, byte[] command, Mechanism receiver, FakeHandshake replies, String name)
            throws Exception {
        boolean hello = name.equals("HELLO");
        var tampered = tamper(data, command, hello ? HELLO_PADDING_FROM : 0, hello ? HELLO_PADDING_TO : 0);
        try {
            receiver.onCommand(tampered, replies);
        } catch (ZmtpProtocolException refused) {
            assertFalse(refused.getMessage().isBlank());
            if (authenticatedBytesEqual(command, tampered, hello)) {
                fail("a faithful CURVE " + name + " was refused: " + refused.getMessage());
            }
            return false;
        }
        assertTrue(authenticatedBytesEqual(command, tampered, hello), "a tampered CURVE " + name + " was accepted");
        return true;
    }

    private static boolean authenticatedBytesEqual(byte[] original, byte[] tampered, boolean hello) {
        if (!hello) {
            return Arrays.equals(original, tampered);
        }
        return original.length == tampered.length
                && Arrays.equals(original, 0, HELLO_PADDING_FROM, tampered, 0, HELLO_PADDING_FROM)
                && Arrays.equals(original, HELLO_PADDING_TO, original.length, tampered, HELLO_PADDING_TO, tampered.length);
    }

    /** The man in the middle: pass, change one byte, cut, or replace (the fuzzer chooses), outside [skipFrom, skipTo) when changing a byte. */
    private static byte[] tamper(FuzzedDataProvider data, byte[] wire, int skipFrom, int skipTo) {
        return switch (data.consumeInt(0, 7)) {
            case 1 -> {
                var copy = wire.clone();
                int at = data.consumeInt(0, copy.length - 1);
                copy[at] ^= (byte) data.consumeInt(1, 255);
                yield copy;
            }
            case 2 -> Arrays.copyOf(wire, data.consumeInt(0, Math.max(0, wire.length - 1)));
            case 3 -> data.consumeBytes(data.consumeInt(0, 400));
            case 4 -> {
                var copy = wire.clone();
                if (skipTo > skipFrom && copy.length >= skipTo) {
                    copy[data.consumeInt(skipFrom, skipTo - 1)] ^= (byte) data.consumeInt(1, 255);
                }
                yield copy;
            }
            default -> wire;
        };
    }
}
