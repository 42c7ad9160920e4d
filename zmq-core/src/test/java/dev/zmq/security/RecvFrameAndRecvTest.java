package dev.zmq.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * recvFrame and recv reading the same connection in turn: recvFrame returns each frame (one-frame
 * messages come without a Message), recv returns Messages carrying the connection's properties
 * (ZAP user id, metadata), and both are counted in the statistics.
 */
class RecvFrameAndRecvTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"PULL", "DEALER"})
    void framesAndMessagesOfOneConnectionKeepTheirOrderPropertiesAndCounts(SocketType serverType) {
        SocketType clientType = serverType == SocketType.PULL ? SocketType.PUSH : SocketType.DEALER;
        try (var ctx = new ZmqContext();
             var zap = new ZapAuthenticator().addUser("admin", "s3cret").start(ctx);
             var server = ctx.socket(serverType);
             var client = ctx.socket(clientType)) {
            server.set(SocketOption.PLAIN_SERVER, true);
            client.set(SocketOption.PLAIN_USERNAME, "admin");
            client.set(SocketOption.PLAIN_PASSWORD, "s3cret");
            client.set(SocketOption.LINGER, 0);
            client.connect(server.bind("tcp://127.0.0.1:*"));
            client.send("a");
            client.send(Message.of("b1", "b2"));
            client.send("c");
            client.send("d");
            client.send(new byte[0]);

            var a = Await.recv(server);
            assertEquals(Message.of("a"), a);
            assertEquals("admin", a.property("User-Id"));
            assertEquals(clientType.name(), a.property("Socket-Type"));

            server.set(SocketOption.RCVTIMEO, (int) Await.SOON.toMillis());
            assertArrayEquals(utf8("b1"), server.recvFrame());
            assertTrue(server.hasMore());
            assertArrayEquals(utf8("b2"), server.recvFrame());
            assertFalse(server.hasMore());
            assertArrayEquals(utf8("c"), server.recvFrame());
            assertFalse(server.hasMore());
            assertFalse(server.get(SocketOption.RCVMORE));

            var d = server.recv();
            assertEquals(Message.of("d"), d);
            assertEquals("admin", d.property("user-id"));
            assertEquals("127.0.0.1", d.property("Peer-Address"));
            assertEquals(0, server.recvFrame().length);
            assertFalse(server.hasMore());

            var stats = server.statistics();
            assertEquals(5, stats.messagesReceived());
            assertEquals(1 + 4 + 1 + 1, stats.bytesReceived());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"PULL", "PAIR"})
    void recvFrameHonoursRcvhwmOverAConnection(SocketType serverType) {
        SocketType clientType = serverType == SocketType.PULL ? SocketType.PUSH : SocketType.PAIR;
        try (var ctx = new ZmqContext(); var server = ctx.socket(serverType); var client = ctx.socket(clientType)) {
            server.set(SocketOption.RCVHWM, 4);
            client.set(SocketOption.SNDHWM, 4);
            client.set(SocketOption.LINGER, 0);
            client.connect(server.bind("tcp://127.0.0.1:*"));
            int total = 5000;
            for (int i = 0; i < total; i++) {
                client.send(utf8(Integer.toString(i)));
            }
            server.set(SocketOption.RCVTIMEO, (int) Await.SOON.toMillis());
            for (int i = 0; i < total; i++) {
                assertArrayEquals(utf8(Integer.toString(i)), server.recvFrame(), "message " + i);
                assertTrue(server.statistics().messagesQueued() <= 4, "never more than RCVHWM queued");
            }
            assertEquals(total, server.statistics().messagesReceived());
        }
    }

    @Test
    void aReqReadingItsReplyFrameByFrameGetsItWithoutTheEnvelope() {
        try (var ctx = new ZmqContext(); var rep = ctx.socket(SocketType.REP); var req = ctx.socket(SocketType.REQ)) {
            req.set(SocketOption.LINGER, 0);
            req.connect(rep.bind("tcp://127.0.0.1:*"));
            rep.set(SocketOption.RCVTIMEO, (int) Await.SOON.toMillis());
            req.set(SocketOption.RCVTIMEO, (int) Await.SOON.toMillis());
            req.send("ping");
            assertEquals("ping", rep.recvString());
            assertFalse(rep.hasMore());
            rep.send("pong");
            assertEquals("pong", req.recvString());
            assertFalse(req.hasMore(), "the empty delimiter frame is REQ's, not the application's");
        }
    }
}
