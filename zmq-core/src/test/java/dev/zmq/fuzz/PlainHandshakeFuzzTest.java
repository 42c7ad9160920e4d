package dev.zmq.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import dev.zmq.internal.wire.mechanism.PlainClient;
import dev.zmq.internal.wire.mechanism.PlainServer;
import dev.zmq.internal.wire.mechanism.ZapSettings;
import dev.zmq.security.ZapReply;
import dev.zmq.security.ZapServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PLAIN handshake (RFC 24) and ZAP (RFC 27) on both sides of a hostile party. The server,
 * fed any commands, completes only for credentials its ZAP handler accepted; the client completes
 * only after WELCOME then READY; a hostile ZAP handler's reply (any frames) refuses or accepts the
 * peer, never more. Inputs are command bodies each preceded by a two-byte length
 * ({@link FakeHandshake#commands}); seeds are libzmq 4.3's PLAIN commands (scripts/capture-seeds.py).
 */
class PlainHandshakeFuzzTest {
    private static final long ZAP_WAIT_MILLIS = 5_000;
    private static final long HANDSHAKE_ALLOWANCE = 64 * 1024;

    private static ZmqContext goodZap;
    private static ZapServer zapServer;
    private static final AtomicInteger accepted = new AtomicInteger();

    private static ZmqContext hostileZap;
    private static ZmqSocket hostileRouter;
    private static Thread hostileReplier;
    /** The frames the hostile ZAP handler answers the next request with. */
    private static final AtomicReference<List<byte[]>> nextReply = new AtomicReference<>(List.of());

    @BeforeAll
    static void start() {
        goodZap = new ZmqContext();
        zapServer = ZapServer.start(goodZap, request -> {
            if (TestKeys.USER.equals(request.username()) && TestKeys.PASSWORD.equals(request.password())) {
                accepted.incrementAndGet();
                return ZapReply.allow(request.username());
            }
            return ZapReply.deny("wrong user name or password");
        });
        hostileZap = new ZmqContext();
        hostileRouter = hostileZap.socket(SocketType.ROUTER);
        hostileRouter.set(SocketOption.LINGER, 0);
        hostileRouter.bind("inproc://zeromq.zap.01");
        hostileReplier = new Thread(PlainHandshakeFuzzTest::answerHostilely, "fuzz-hostile-zap");
        hostileReplier.setDaemon(true);
        hostileReplier.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        zapServer.close();
        goodZap.close();
        hostileZap.close();
        hostileReplier.join(10_000);
    }

    /** Answers each request with the routing id and the frames of {@link #nextReply}, echoing the request id where the reply has its slot. */
    private static void answerHostilely() {
        try {
            while (true) {
                var request = hostileRouter.recv();
                var frames = new ArrayList<byte[]>();
                frames.add(request.frame(0));
                var reply = nextReply.get();
                for (int i = 0; i < reply.size(); i++) {
                    // frame 2 after the routing id carries the request id: echo it unless the reply is too short to have one
                    frames.add(i == 2 && request.size() > 3 ? request.frame(3) : reply.get(i));
                }
                if (frames.size() > 1) { // a routing id alone is no message
                    hostileRouter.send(Message.of(frames));
                }
            }
        } catch (ZmqException closed) {
            // the context closed
        }
    }

    @FuzzTest(maxDuration = "10s")
    void server(byte[] input) throws Exception {
        int before = accepted.get();
        var handshake = new FakeHandshake(FakeHandshake.zapOf(goodZap));
        var server = new PlainServer(new Metadata().put(Metadata.SOCKET_TYPE, "PULL"), new ZapSettings("", new byte[0]));
        var commands = FakeHandshake.commands(input);
        AllocationBudget.within("PlainServer", HANDSHAKE_ALLOWANCE, input.length, () -> feedServer(server, handshake, commands));
        server.dispose();
        if (server.isComplete()) {
            assertTrue(accepted.get() > before, "the PLAIN server completed a handshake its ZAP handler did not accept");
            assertTrue(handshake.sent.stream().anyMatch(c -> FakeHandshake.is(c, "WELCOME")), "completed without WELCOME");
            assertTrue(FakeHandshake.is(handshake.sent.get(handshake.sent.size() - 1), "READY"), "completed without READY");
            assertTrue(server.peerMetadata() != null);
        }
    }

    private static void feedServer(PlainServer server, FakeHandshake handshake, List<byte[]> commands) throws Exception {
        try {
            for (var command : commands) {
                server.onCommand(command, handshake);
                if (!server.isComplete() && FakeHandshake.is(command, "HELLO")) {
                    // a HELLO that parsed went to the ZAP handler, which must answer
                    assertTrue(handshake.runNextStep(ZAP_WAIT_MILLIS), "no ZAP answer within " + ZAP_WAIT_MILLIS + " ms");
                }
            }
        } catch (ZmtpProtocolException expected) {
            assertFalse(expected.getMessage().isBlank());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void client(byte[] input) throws Exception {
        var handshake = new FakeHandshake(null);
        var client = new PlainClient(new Metadata().put(Metadata.SOCKET_TYPE, "PUSH"), TestKeys.USER, TestKeys.PASSWORD);
        client.start(handshake);
        assertTrue(FakeHandshake.is(handshake.sent.get(0), "HELLO"));
        var commands = FakeHandshake.commands(input);
        var received = new ArrayList<String>();
        AllocationBudget.within("PlainClient", HANDSHAKE_ALLOWANCE, input.length, () -> {
            try {
                for (var command : commands) {
                    client.onCommand(command, handshake);
                    received.add(FakeHandshake.is(command, "WELCOME") ? "WELCOME" : FakeHandshake.is(command, "READY") ? "READY" : "?");
                }
            } catch (ZmtpProtocolException expected) {
                assertFalse(expected.getMessage().isBlank());
            }
        });
        if (client.isComplete()) {
            assertEquals(List.of("WELCOME", "READY"), received.subList(0, 2), "PLAIN client completed out of order: " + received);
            assertEquals(2, handshake.sent.size(), "HELLO and INITIATE only");
            assertTrue(FakeHandshake.is(handshake.sent.get(1), "INITIATE"));
        }
    }

    /**
     * A good client's HELLO answered by a hostile ZAP handler: the input is the reply's frames, each
     * preceded by a two-byte length. The server completes only for a well-formed 200 reply.
     */
    @FuzzTest(maxDuration = "10s")
    void zapReply(byte[] input) throws Exception {
        var reply = FakeHandshake.commands(input);
        nextReply.set(reply);
        var handshake = new FakeHandshake(FakeHandshake.zapOf(hostileZap));
        var server = new PlainServer(new Metadata().put(Metadata.SOCKET_TYPE, "PULL"), new ZapSettings("", new byte[0]));
        var hello = FakeHandshake.commands(helloCommand());
        boolean answered;
        try {
            server.onCommand(hello.get(0), handshake);
            // A reply of fewer than 3 frames has no request id: the ZAP client drops it, the handshake waits (and times out in an engine).
            answered = handshake.runNextStep(reply.size() >= 3 ? ZAP_WAIT_MILLIS : 50);
            if (reply.size() >= 3) {
                assertTrue(answered, "a ZAP reply with a request id was not handed to the handshake");
            }
        } catch (ZmtpProtocolException refused) {
            assertFalse(refused.getMessage().isBlank());
            assertFalse(wellFormedOk(reply), "a well-formed 200 reply refused the peer: " + refused.getMessage());
            return;
        } finally {
            server.dispose();
        }
        if (answered) {
            assertTrue(wellFormedOk(reply), "the handshake went on after a ZAP reply that is not a well-formed 200");
            assertTrue(FakeHandshake.is(handshake.sent.get(0), "WELCOME"));
        } else {
            assertTrue(handshake.sent.isEmpty(), "sent something before ZAP answered");
        }
    }

    private static boolean wellFormedOk(List<byte[]> reply) {
        if (reply.size() != 6 + 1 || reply.get(0).length != 0 || !Arrays.equals(reply.get(1), "1.0".getBytes(StandardCharsets.US_ASCII))
                || !Arrays.equals(reply.get(3), "200".getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        try {
            Metadata.decode(reply.get(6));
            return true;
        } catch (ZmtpProtocolException e) {
            return false;
        }
    }

    private static byte[] helloCommand() {
        var user = TestKeys.USER.getBytes(StandardCharsets.US_ASCII);
        var pass = TestKeys.PASSWORD.getBytes(StandardCharsets.US_ASCII);
        var body = new java.io.ByteArrayOutputStream();
        body.write(5);
        body.writeBytes("HELLO".getBytes(StandardCharsets.US_ASCII));
        body.write(user.length);
        body.writeBytes(user);
        body.write(pass.length);
        body.writeBytes(pass);
        var b = body.toByteArray();
        var framed = new byte[b.length + 2];
        framed[0] = (byte) (b.length >> 8);
        framed[1] = (byte) b.length;
        System.arraycopy(b, 0, framed, 2, b.length);
        return framed;
    }
}
