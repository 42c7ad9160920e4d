package dev.zmq.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketEvent.Type;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PLAIN (RFC 24) between our own sockets, with the ZAP authenticator. */
@Timeout(60)
class PlainTest {

    private static ZmqSocket plainClient(ZmqContext ctx, SocketType type, String user, String password) {
        var s = ctx.socket(type);
        s.set(SocketOption.PLAIN_USERNAME, user);
        s.set(SocketOption.PLAIN_PASSWORD, password);
        s.set(SocketOption.LINGER, 0);
        return s;
    }

    @Test
    void acceptedUserReachesTheApplicationWithItsUserId() {
        try (var ctx = new ZmqContext();
             var zap = new ZapAuthenticator().addUser("admin", "s3cret").start(ctx);
             var server = ctx.socket(SocketType.PULL);
             var client = plainClient(ctx, SocketType.PUSH, "admin", "s3cret")) {
            server.set(SocketOption.PLAIN_SERVER, true);
            assertEquals("PLAIN", server.get(SocketOption.MECHANISM));
            var endpoint = server.bind("tcp://127.0.0.1:*");
            client.connect(endpoint);
            client.send("hello");
            var m = Await.recv(server);
            assertEquals("hello", m.frameString(0));
            assertEquals("admin", m.property("User-Id"));
            assertEquals("PUSH", m.property("Socket-Type"));
            assertEquals("127.0.0.1", m.property("Peer-Address"));
            assertEquals("admin", m.property("user-id"), "names are case-insensitive");
        }
    }

    @Test
    void badPasswordIsRefusedVisiblyOnBothSidesAndOthersAreStillServed() {
        try (var ctx = new ZmqContext();
             var zap = new ZapAuthenticator().addUser("admin", "s3cret").start(ctx);
             var server = ctx.socket(SocketType.PULL);
             var intruder = plainClient(ctx, SocketType.PUSH, "admin", "guess");
             var client = plainClient(ctx, SocketType.PUSH, "admin", "s3cret")) {
            server.set(SocketOption.PLAIN_SERVER, true);
            var serverEvents = Events.of(server);
            var intruderEvents = Events.of(intruder);
            var endpoint = server.bind("tcp://127.0.0.1:*");
            intruder.connect(endpoint);
            intruder.send("let me in");
            assertEquals(400, serverEvents.await(Type.HANDSHAKE_FAILED_AUTH).value());
            assertEquals(400, intruderEvents.await(Type.HANDSHAKE_FAILED_AUTH).value());
            assertNull(intruderEvents.first(Type.HANDSHAKE_SUCCEEDED));

            client.connect(endpoint);
            client.send("legit");
            assertEquals("legit", Await.recv(server).frameString(0));
            assertNull(server.recv(Await.QUIET), "nothing from the intruder");
        }
    }

    @Test
    void withoutZapHandlerPlainServerRefusesAsLibzmq() {
        try (var ctx = new ZmqContext();
             var server = ctx.socket(SocketType.PULL);
             var client = plainClient(ctx, SocketType.PUSH, "admin", "s3cret")) {
            server.set(SocketOption.PLAIN_SERVER, true);
            var serverEvents = Events.of(server);
            var endpoint = server.bind("tcp://127.0.0.1:*");
            client.connect(endpoint);
            client.send("hello");
            var failed = serverEvents.await(Type.HANDSHAKE_FAILED_NO_DETAIL);
            assertEquals(14, failed.value(), "libzmq reports EFAULT");
            assertTrue(failed.reason().contains("ZAP"), failed.reason());
            assertNull(server.recv(Await.QUIET));
        }
    }

    @Test
    void optionsSelectTheMechanismAsLibzmq() {
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.DEALER)) {
            assertEquals("NULL", s.get(SocketOption.MECHANISM));
            s.set(SocketOption.PLAIN_SERVER, true);
            assertTrue(s.get(SocketOption.PLAIN_SERVER));
            s.set(SocketOption.PLAIN_USERNAME, "u");
            assertEquals("PLAIN", s.get(SocketOption.MECHANISM));
            assertFalse(s.get(SocketOption.PLAIN_SERVER), "a user name makes it a client");
            var keys = CurveKeyPair.generate();
            s.set(SocketOption.CURVE_SERVER, true);
            assertEquals("CURVE", s.get(SocketOption.MECHANISM));
            assertTrue(s.get(SocketOption.CURVE_SERVER));
            s.setCurveKey(SocketOption.CURVE_SERVERKEY, keys.publicKeyZ85());
            assertFalse(s.get(SocketOption.CURVE_SERVER), "a server key makes it a client");
            assertEquals(keys.publicKeyZ85(), Z85.encode(s.get(SocketOption.CURVE_SERVERKEY)));
            s.set(SocketOption.CURVE_SERVER, false);
            assertEquals("NULL", s.get(SocketOption.MECHANISM));
        }
    }

    @Test
    void nullMechanismWithZapDomainFiltersAddresses() {
        try (var ctx = new ZmqContext();
             var zap = new ZapAuthenticator().deny("127.0.0.1").start(ctx);
             var server = ctx.socket(SocketType.PULL);
             var client = ctx.socket(SocketType.PUSH)) {
            server.set(SocketOption.ZAP_DOMAIN, "global");
            client.set(SocketOption.LINGER, 0);
            var serverEvents = Events.of(server);
            var clientEvents = Events.of(client);
            client.connect(server.bind("tcp://127.0.0.1:*"));
            client.send("hello");
            assertEquals(400, serverEvents.await(Type.HANDSHAKE_FAILED_AUTH).value());
            assertEquals(400, clientEvents.await(Type.HANDSHAKE_FAILED_AUTH).value());
            assertNull(server.recv(Await.QUIET));
        }
    }
}
