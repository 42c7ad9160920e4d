package dev.zmq.internal.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The receive's fast path ({@code SocketCore.takeSole}): a socket with one pipe (PULL, DEALER, PAIR)
 * takes a one-frame message from it directly, and switches to the general path, and back, as pipes
 * come and go, a message is read frame by frame, or the socket is closed.
 */
class SoleReceiveTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String recvString(ZmqSocket socket, byte[] buffer) {
        int n = socket.recv(buffer);
        return new String(buffer, 0, n, StandardCharsets.UTF_8);
    }

    private static ZmqSocket receiver(ZmqContext ctx, SocketType type) {
        var socket = ctx.socket(type);
        socket.set(SocketOption.RCVTIMEO, 10_000);
        return socket;
    }

    @Test
    void everyReceiveOfAOneFrameMessageFromTheOnlyPipeCopiesCountsAndGivesTheArrayBack() {
        try (var ctx = new ZmqContext(); var pull = receiver(ctx, SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            var core = (SocketCore) pull;
            push.connect(pull.bind("tcp://127.0.0.1:*"));
            push.send(bytes("whole"));
            push.send(bytes("range"));
            push.send(bytes("cut-off"));
            push.send(bytes("buffer"));
            push.send(bytes("frame"));
            push.send(bytes("message"));
            // There before the first receive: it takes it without waiting, on the fast path.
            Await.until("a message arrived", () -> (pull.get(SocketOption.EVENTS) & SocketCore.POLLIN) != 0);

            var buffer = new byte[16];
            assertEquals("whole", recvString(pull, buffer));
            assertTrue(core.receivesFromSolePipe(), "one pipe: the fast path");
            assertEquals(1, core.pipesHoldingReturnedFrames(), "the frame's array went back to the connection");

            Arrays.fill(buffer, (byte) '.');
            assertEquals(5, pull.recv(buffer, 3, 8));
            assertEquals("...range...", new String(buffer, 0, 11, StandardCharsets.UTF_8), "copied into the range only");

            var small = new byte[3];
            assertEquals(7, pull.recv(small), "the whole size, as zmq_recv");
            assertArrayEquals(bytes("cut"), small);

            var direct = ByteBuffer.allocateDirect(32);
            direct.position(2);
            assertEquals(6, pull.recv(direct));
            assertEquals(8, direct.position(), "the buffer's position moved past the frame");
            var got = new byte[6];
            direct.get(2, got);
            assertArrayEquals(bytes("buffer"), got);

            assertArrayEquals(bytes("frame"), pull.recvFrame());
            assertArrayEquals(bytes("message"), pull.recv().frame(0));

            var stats = pull.statistics();
            assertEquals(6, stats.messagesReceived());
            assertEquals(5 + 5 + 7 + 6 + 5 + 7, stats.bytesReceived());
        }
    }

    @Test
    void aSecondPipeMidStreamIsFairQueuedAndTheFastPathReturnsWhenItLeaves() {
        try (var ctx = new ZmqContext(); var pull = receiver(ctx, SocketType.PULL); var a = ctx.socket(SocketType.PUSH)) {
            var core = (SocketCore) pull;
            pull.bind("inproc://fq");
            a.connect("inproc://fq");
            for (int i = 0; i < 10; i++) {
                a.send(bytes("a"));
            }
            var buffer = new byte[8];
            assertEquals("a", recvString(pull, buffer));
            assertTrue(core.receivesFromSolePipe());

            var b = ctx.socket(SocketType.PUSH);
            b.connect("inproc://fq");
            for (int i = 0; i < 10; i++) {
                b.send(bytes("b"));
            }
            assertFalse(core.receivesFromSolePipe(), "two pipes: the general path");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                got.add(recvString(pull, buffer));
            }
            assertEquals(3, got.stream().filter("b"::equals).count(), "taken in turn from both peers: " + got);
            for (int i = 0; i < 3; i++) {
                assertFalse(got.get(2 * i).equals(got.get(2 * i + 1)), "taken in turn: " + got);
            }

            b.close();
            for (int i = 0; i < 13; i++) { // a's 6 and b's 7 left, b's read after it left
                recvString(pull, buffer);
            }
            Await.until("b's pipe, read empty, is detached", core::receivesFromSolePipe);
            a.send(bytes("again"));
            assertEquals("again", recvString(pull, buffer));
            assertEquals(21, pull.statistics().messagesReceived());
        }
    }

    @Test
    void aPeerThatLeftWithMessagesQueuedIsReadEmptyThenTheNextPeerIsReceivedFrom() {
        try (var ctx = new ZmqContext(); var pull = receiver(ctx, SocketType.PULL)) {
            var core = (SocketCore) pull;
            pull.bind("inproc://gone");
            var first = ctx.socket(SocketType.PUSH);
            first.connect("inproc://gone");
            for (int i = 0; i < 5; i++) {
                first.send(bytes("first" + i));
            }
            var buffer = new byte[16];
            assertEquals("first0", recvString(pull, buffer));
            assertTrue(core.receivesFromSolePipe());
            first.close();
            // Left with messages unread: the pipe departs, read by the general path, which detaches it once empty.
            Await.until("the departed pipe takes the socket off the fast path", () -> !core.receivesFromSolePipe());
            for (int i = 1; i < 5; i++) {
                assertEquals("first" + i, recvString(pull, buffer), "what the peer sent before it left is delivered");
            }
            assertEquals(-1, pull.recv(buffer, 0, buffer.length, java.time.Duration.ZERO), "nothing more");
            assertFalse(core.receivesFromSolePipe(), "no pipe left");

            try (var second = ctx.socket(SocketType.PUSH)) {
                second.connect("inproc://gone");
                second.send(bytes("second"));
                assertEquals("second", recvString(pull, buffer), "received from the new peer, not the old pipe");
                assertTrue(core.receivesFromSolePipe());
            }
        }
    }

    @Test
    void aMultiFrameMessageIsReadFrameByFrameBeforeTheNextMessage() {
        for (var types : List.of(new SocketType[] {SocketType.PULL, SocketType.PUSH},
                new SocketType[] {SocketType.DEALER, SocketType.DEALER}, new SocketType[] {SocketType.PAIR, SocketType.PAIR})) {
            try (var ctx = new ZmqContext(); var in = receiver(ctx, types[0]); var out = ctx.socket(types[1])) {
                var core = (SocketCore) in;
                out.connect(in.bind("tcp://127.0.0.1:*"));
                out.send(bytes("one"));
                out.sendMore(bytes("head"));
                out.sendMore(bytes("middle"));
                out.send(bytes("tail"));
                out.send(bytes("next"));

                var buffer = new byte[16];
                assertEquals("one", recvString(in, buffer), types[0].toString());
                assertTrue(core.receivesFromSolePipe(), types[0].toString());
                assertFalse(in.hasMore());
                assertEquals("head", recvString(in, buffer), types[0].toString());
                assertTrue(in.hasMore());
                var direct = ByteBuffer.allocate(16);
                assertEquals(6, in.recv(direct), types[0].toString());
                assertEquals("middle", new String(direct.array(), 0, 6, StandardCharsets.UTF_8), types[0].toString());
                assertTrue(in.hasMore());
                assertEquals("tail", recvString(in, buffer), types[0].toString());
                assertFalse(in.hasMore());
                assertEquals("next", recvString(in, buffer), types[0].toString());
                assertEquals(3, in.statistics().messagesReceived(), types[0].toString());
            }
        }
    }

    @Test
    void aClosedSocketOrContextFailsTheReceiveWithAMessageQueued() {
        var ctx = new ZmqContext();
        var pull = receiver(ctx, SocketType.PULL);
        var push = ctx.socket(SocketType.PUSH);
        pull.bind("inproc://closed");
        push.connect("inproc://closed");
        push.send(bytes("one"));
        push.send(bytes("two"));
        var buffer = new byte[8];
        assertEquals("one", recvString(pull, buffer));
        assertTrue(((SocketCore) pull).receivesFromSolePipe());
        pull.close();
        var e = assertThrows(ZmqException.class, () -> pull.recv(buffer));
        assertEquals(ZmqError.ENOTSOCK, e.error());

        var pull2 = receiver(ctx, SocketType.PULL);
        pull2.bind("inproc://terminated");
        push.connect("inproc://terminated");
        push.send(bytes("x"));
        var closing = CompletableFuture.runAsync(ctx::close);
        var t = assertThrows(ZmqException.class, () -> {
            for (int i = 0; i < 1_000_000; i++) { // until the context's close is seen; the first may come before it
                pull2.recv(ByteBuffer.allocate(8));
            }
        });
        assertTrue(t.error() == ZmqError.ETERM || t.error() == ZmqError.ENOTSOCK, t.toString());
        push.close();
        pull2.close();
        closing.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void theWriterIsCreditedAndWokenByReceivesOnTheFastPath() throws Exception {
        for (var endpoint : List.of("inproc://credit", "tcp://127.0.0.1:*")) {
            try (var ctx = new ZmqContext(); var pull = receiver(ctx, SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
                pull.set(SocketOption.RCVHWM, 4);
                push.set(SocketOption.SNDHWM, 4);
                push.set(SocketOption.SNDTIMEO, 10_000);
                push.connect(pull.bind(endpoint));
                int count = 5_000;
                var sending = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < count; i++) {
                        push.send(bytes(Integer.toString(i)));
                    }
                });
                var buffer = new byte[8];
                for (int i = 0; i < count; i++) {
                    assertEquals(Integer.toString(i), recvString(pull, buffer), endpoint);
                }
                sending.get(10, TimeUnit.SECONDS);
                assertTrue(((SocketCore) pull).receivesFromSolePipe(), endpoint);
            }
        }
    }
}
