package dev.zmq.recvinto;

import static dev.zmq.testkit.TaggedFrame.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.security.CurveKeyPair;
import dev.zmq.security.ZapAuthenticator;
import dev.zmq.testkit.Await;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code recv(byte[])} and its variants, zmq_recv's equivalent, between two of our sockets: whole
 * size returned, truncation, frames one per call with hasMore, timeouts, RCVHWM, security
 * mechanisms, and the reuse of the connection's frame arrays, which must never reach an array the
 * application holds (from recvFrame) or the sender's (inproc).
 */
class RecvIntoBufferTest {
    private static final int SOON_MS = (int) Await.SOON.toMillis();

    /** A frame of {@code size} bytes: {@code peer}, then {@code n} as 4 bytes, then filler. */
    private static byte[] numbered(int size, int peer, int n) {
        var f = frame(size, n);
        f[0] = (byte) peer;
        f[1] = (byte) (n >>> 16);
        f[2] = (byte) (n >>> 8);
        f[3] = (byte) n;
        return f;
    }

    private static void assertFrame(byte[] expected, byte[] buffer, int size, String what) {
        assertEquals(expected.length, size, what + ": size");
        assertArrayEquals(expected, Arrays.copyOf(buffer, size), what + ": content");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:*", "ipc"})
    void manyMessagesOfMixedSizesArriveIntactThroughOneReusedBuffer(String transport, @TempDir Path dir) throws Exception {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            String endpoint = transport.equals("ipc")
                    ? "ipc://" + dir.resolve("s") : transport;
            push.set(SocketOption.LINGER, 0);
            push.connect(pull.bind(endpoint));
            pull.set(SocketOption.RCVTIMEO, SOON_MS);
            int[] sizes = {16, 16, 256, 16, 1, 0, 4096, 65536, 65536, 70000, 256, 256};
            var buffer = new byte[70000];
            var sender = new Thread(() -> {
                for (int i = 0; i < 3000; i++) {
                    push.send(frame(sizes[i % sizes.length], i)); // blocks at SNDHWM while the reader catches up
                }
            });
            sender.start();
            for (int i = 0; i < 3000; i++) {
                int n = pull.recv(buffer);
                assertFrame(frame(sizes[i % sizes.length], i), buffer, n, "message " + i);
                assertFalse(pull.hasMore());
            }
            assertEquals(3000, pull.statistics().messagesReceived());
            sender.join();
        }
    }

    @Test
    void aFrameLargerThanTheBufferIsCutAndItsWholeSizeReturned() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            push.set(SocketOption.LINGER, 0);
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            pull.set(SocketOption.RCVTIMEO, SOON_MS);
            push.send(frame(10, 1));
            push.send(frame(3, 2));
            var buffer = new byte[8];
            Arrays.fill(buffer, (byte) -1);
            assertEquals(10, pull.recv(buffer, 2, 4), "the frame's size, not what was copied");
            assertArrayEquals(new byte[] {-1, -1, 31, 32, 33, 34, -1, -1}, buffer, "4 bytes at offset 2, nothing else");
            assertEquals(3, pull.recv(buffer), "the next message is whole: the cut-off rest is gone");
            assertArrayEquals(frame(3, 2), Arrays.copyOf(buffer, 3));
        }
    }

    @Test
    void aMultipartMessageComesOneFramePerCallWithHasMore() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            push.set(SocketOption.LINGER, 0);
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            pull.set(SocketOption.RCVTIMEO, SOON_MS);
            push.send(Message.of("first", "", "third part"));
            push.send("next");
            var buffer = new byte[64];
            assertEquals(5, pull.recv(buffer));
            assertEquals("first", new String(buffer, 0, 5));
            assertTrue(pull.hasMore());
            assertEquals(0, pull.recv(buffer));
            assertTrue(pull.get(SocketOption.RCVMORE));
            assertEquals(10, pull.recv(buffer));
            assertEquals("third part", new String(buffer, 0, 10));
            assertFalse(pull.hasMore());
            assertArrayEquals("next".getBytes(), pull.recvFrame(), "recvFrame and recv(byte[]) share the frame-by-frame state");
        }
    }

    @Test
    void framesReadByRecvFrameAreNeverOverwrittenByLaterMessages() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            push.set(SocketOption.LINGER, 0);
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            pull.set(SocketOption.RCVTIMEO, SOON_MS);
            int total = 20_000;
            for (int i = 0; i < total; i++) {
                push.send(frame(64, i));
            }
            var kept = new ArrayList<byte[]>();
            var buffer = new byte[64];
            for (int i = 0; i < total; i++) {
                if (i % 7 == 0) {
                    kept.add(pull.recvFrame());
                } else {
                    assertFrame(frame(64, i), buffer, pull.recv(buffer), "message " + i);
                }
            }
            for (int k = 0; k < kept.size(); k++) {
                assertArrayEquals(frame(64, k * 7), kept.get(k), "frame " + (k * 7) + " the application kept");
            }
        }
    }

    @Test
    void burstsOfLargeFramesAreDecodedIntoReturnedArraysNeverIntoKeptOnes() throws Exception {
        // The application lets the sender get 500 frames of 64 KiB ahead every 250 frames, then drains
        // them at once, so dozens of arrays go back together (a ring holds 64 of this size) and the
        // next frames are decoded into them; every fifth frame it keeps (recvFrame), which must stay its own.
        int size = 64 * 1024;
        int total = 1_500;
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            push.set(SocketOption.LINGER, 0);
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            pull.set(SocketOption.RCVTIMEO, SOON_MS);
            var sender = new Thread(() -> {
                for (int i = 0; i < total; i++) {
                    push.send(frame(size, i)); // blocks at SNDHWM while the reader waits
                }
            });
            sender.start();
            var kept = new ArrayList<byte[]>();
            var buffer = new byte[size];
            for (int i = 0; i < total; i++) {
                if (i % 250 == 0) {
                    long ahead = Math.min(total, i + 500);
                    Await.until("the sender " + (ahead - i) + " frames ahead", () -> push.statistics().messagesSent() >= ahead);
                }
                if (i % 5 == 0) {
                    kept.add(pull.recvFrame());
                } else {
                    assertFrame(frame(size, i), buffer, pull.recv(buffer), "message " + i);
                }
            }
            sender.join();
            for (int k = 0; k < kept.size(); k++) {
                assertArrayEquals(frame(size, k * 5), kept.get(k), "frame " + (k * 5) + " the application kept");
            }
        }
    }

    @Test
    void theSendersArraysAreUntouchedOverInproc() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            pull.bind("inproc://recvinto");
            push.connect("inproc://recvinto");
            pull.set(SocketOption.RCVTIMEO, SOON_MS);
            var sent = new ArrayList<byte[]>();
            for (int i = 0; i < 2000; i++) {
                var f = frame(32, i);
                sent.add(f);
                push.send(f);
            }
            var buffer = new byte[32];
            for (int i = 0; i < 2000; i++) {
                assertFrame(frame(32, i), buffer, pull.recv(buffer), "message " + i);
            }
            for (int i = 0; i < 2000; i++) {
                assertArrayEquals(frame(32, i), sent.get(i), "sent array " + i);
            }
        }
    }

    @Test
    void severalPeersTcpAndInprocAreFairQueuedIntactAndTheInprocSendersArraysUntouched() throws Exception {
        try (var ctx = new ZmqContext();
             var pull = ctx.socket(SocketType.PULL);
             var tcp = ctx.socket(SocketType.PUSH);
             var inproc = ctx.socket(SocketType.PUSH)) {
            tcp.set(SocketOption.LINGER, 0);
            tcp.connect(pull.bind("tcp://127.0.0.1:*"));
            pull.bind("inproc://several");
            inproc.connect("inproc://several");
            pull.set(SocketOption.RCVTIMEO, SOON_MS);
            int each = 1500; // below the inproc pipe's 2000 (SNDHWM + RCVHWM): sent before anything is read
            var inprocSent = new ArrayList<byte[]>();
            for (int i = 0; i < each; i++) {
                tcp.send(numbered(48, 1, i));
                var f = numbered(48, 2, i);
                inprocSent.add(f);
                inproc.send(f);
            }
            var buffer = new byte[48];
            int nextTcp = 0;
            int nextInproc = 0;
            for (int i = 0; i < 2 * each; i++) {
                var frame = i % 5 == 0 ? pull.recvFrame() : Arrays.copyOf(buffer, pull.recv(buffer));
                if (frame[0] == 1) {
                    assertArrayEquals(numbered(48, 1, nextTcp++), frame, "message " + i + ": the tcp peer's next");
                } else {
                    assertArrayEquals(numbered(48, 2, nextInproc++), frame, "message " + i + ": the inproc peer's next");
                }
            }
            assertEquals(each, nextTcp);
            assertEquals(each, nextInproc);
            for (int i = 0; i < each; i++) {
                assertArrayEquals(numbered(48, 2, i), inprocSent.get(i), "inproc sender's array " + i);
            }
        }
    }

    @Test
    void rcvtimeoAndTimeoutsBehaveAsRecvFrames() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL)) {
            pull.bind("tcp://127.0.0.1:*");
            var buffer = new byte[4];
            pull.set(SocketOption.RCVTIMEO, 0);
            var e = assertThrows(ZmqException.class, () -> pull.recv(buffer));
            assertEquals(ZmqError.EAGAIN, e.error());
            pull.set(SocketOption.RCVTIMEO, 50);
            long start = System.nanoTime();
            e = assertThrows(ZmqException.class, () -> pull.recv(ByteBuffer.allocate(4)));
            assertEquals(ZmqError.EAGAIN, e.error());
            assertTrue(System.nanoTime() - start >= 40_000_000L, "waited for RCVTIMEO");
            assertEquals(-1, pull.recv(buffer, 0, 4, Duration.ZERO));
            assertEquals(-1, pull.recv(buffer, 0, 4, Duration.ofMillis(30)));
            assertThrows(IndexOutOfBoundsException.class, () -> pull.recv(buffer, 2, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> pull.recv(buffer, -1, 1, Duration.ZERO));
        }
    }

    @Test
    void aBlockedReceiverIsWokenByTheNextMessage() throws Exception {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            push.set(SocketOption.LINGER, 0);
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            var result = new java.util.concurrent.CompletableFuture<String>();
            var reader = new Thread(() -> {
                var buffer = new byte[16];
                int n = pull.recv(buffer, 0, 16, Await.SOON);
                result.complete(n < 0 ? "timed out" : new String(buffer, 0, n));
            });
            reader.start();
            Await.parked(reader);
            push.send("wake");
            assertEquals("wake", result.get(Await.SOON.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            reader.join();
        }
    }

    @Test
    void aByteBufferTakesWhatRemainsAndMovesItsPosition() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            push.set(SocketOption.LINGER, 0);
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            pull.set(SocketOption.RCVTIMEO, SOON_MS);
            push.send("hello");
            push.send("world, cut");
            var direct = ByteBuffer.allocateDirect(16);
            direct.position(3);
            assertEquals(5, pull.recv(direct));
            assertEquals(8, direct.position());
            direct.limit(13);
            assertEquals(10, pull.recv(direct), "the whole size; only 5 bytes fitted");
            assertEquals(13, direct.position());
            var bytes = new byte[10];
            direct.get(3, bytes);
            assertEquals("helloworld", new String(bytes));
            assertThrows(java.nio.ReadOnlyBufferException.class, () -> pull.recv(ByteBuffer.allocate(4).asReadOnlyBuffer()));
        }
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"PULL", "PAIR", "DEALER"})
    void rcvhwmStaysExactWhileArraysAreReused(SocketType serverType) {
        SocketType clientType = serverType == SocketType.PULL ? SocketType.PUSH : serverType;
        try (var ctx = new ZmqContext(); var server = ctx.socket(serverType); var client = ctx.socket(clientType)) {
            server.set(SocketOption.RCVHWM, 4);
            client.set(SocketOption.SNDHWM, 4);
            client.set(SocketOption.LINGER, 0);
            client.connect(server.bind("tcp://127.0.0.1:*"));
            int total = 5000;
            for (int i = 0; i < total; i++) {
                client.send(frame(100, i));
            }
            server.set(SocketOption.RCVTIMEO, SOON_MS);
            var buffer = new byte[100];
            for (int i = 0; i < total; i++) {
                assertFrame(frame(100, i), buffer, server.recv(buffer), "message " + i);
                assertTrue(server.statistics().messagesQueued() <= 4, "never more than RCVHWM queued");
            }
            assertEquals(total, server.statistics().messagesReceived());
            assertEquals(100L * total, server.statistics().bytesReceived());
        }
    }

    @Test
    void reqAndRepExchangeThroughTheirBuffers() {
        try (var ctx = new ZmqContext(); var rep = ctx.socket(SocketType.REP); var req = ctx.socket(SocketType.REQ)) {
            req.set(SocketOption.LINGER, 0);
            req.connect(rep.bind("tcp://127.0.0.1:*"));
            rep.set(SocketOption.RCVTIMEO, SOON_MS);
            req.set(SocketOption.RCVTIMEO, SOON_MS);
            var repBuffer = new byte[65536];
            var reqBuffer = new byte[65536];
            for (int i = 0; i < 200; i++) {
                int size = i % 2 == 0 ? 65536 : 16;
                req.send(frame(size, i));
                assertFrame(frame(size, i), repBuffer, rep.recv(repBuffer), "request " + i);
                assertFalse(rep.hasMore(), "the envelope is REP's");
                rep.send(frame(size, i + 1000));
                assertFrame(frame(size, i + 1000), reqBuffer, req.recv(reqBuffer), "reply " + i);
                assertFalse(req.hasMore());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "CURVE"})
    void securedConnectionsDeliverIntactFrames(String mechanism) {
        try (var ctx = new ZmqContext();
             var zap = new ZapAuthenticator().addUser("admin", "s3cret").allowAnyCurveKey(true).start(ctx);
             var pull = ctx.socket(SocketType.PULL);
             var push = ctx.socket(SocketType.PUSH)) {
            if (mechanism.equals("PLAIN")) {
                pull.set(SocketOption.PLAIN_SERVER, true);
                push.set(SocketOption.PLAIN_USERNAME, "admin");
                push.set(SocketOption.PLAIN_PASSWORD, "s3cret");
            } else {
                var server = CurveKeyPair.generate();
                var client = CurveKeyPair.generate();
                pull.set(SocketOption.CURVE_SERVER, true);
                pull.set(SocketOption.CURVE_SECRETKEY, server.secretKey());
                push.set(SocketOption.CURVE_SERVERKEY, server.publicKey());
                push.set(SocketOption.CURVE_PUBLICKEY, client.publicKey());
                push.set(SocketOption.CURVE_SECRETKEY, client.secretKey());
            }
            push.set(SocketOption.LINGER, 0);
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            pull.set(SocketOption.RCVTIMEO, SOON_MS);
            var buffer = new byte[2048];
            for (int i = 0; i < 5000; i++) {
                push.send(frame(i % 3 == 0 ? 2000 : 64, i));
            }
            for (int i = 0; i < 5000; i++) {
                assertFrame(frame(i % 3 == 0 ? 2000 : 64, i), buffer, pull.recv(buffer), mechanism + " message " + i);
            }
        }
    }
}
