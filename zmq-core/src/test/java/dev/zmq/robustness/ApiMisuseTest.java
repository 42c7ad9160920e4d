package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every misuse of the public API fails at once with a {@link ZmqException} whose error is the
 * libzmq errno for the case and whose message names what was wrong (the endpoint, the option...).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApiMisuseTest {

    /** Asserts {@code call} throws {@code error} with a message containing each of {@code named} (case-insensitive). */
    static ZmqException assertFails(ZmqError error, Executable call, String... named) {
        var e = assertThrows(ZmqException.class, call);
        assertEquals(error, e.error(), () -> "wrong error for: " + e.getMessage());
        var message = e.getMessage();
        assertTrue(message != null && !message.isBlank(), "the exception has no message");
        for (var n : named) {
            assertTrue(message.toLowerCase(Locale.ROOT).contains(n.toLowerCase(Locale.ROOT)),
                    () -> "the message \"" + message + "\" does not name \"" + n + "\"");
        }
        return e;
    }

    // ---- endpoints ------------------------------------------------------------------------------

    @ParameterizedTest(name = "bind(\"{0}\")")
    @ValueSource(strings = {"tcp://", "tcp://127.0.0.1", "tcp://127.0.0.1:", "tcp://127.0.0.1:99999", "tcp://127.0.0.1:-1",
            "tcp://host:abc", "127.0.0.1:5555", "tcp:/127.0.0.1:5555", "", "tcp://[::1:5555"})
    void bindWithBadEndpointSyntax(String endpoint) {
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.PULL)) {
            assertFails(ZmqError.EINVAL, () -> s.bind(endpoint), endpoint);
        }
    }

    @ParameterizedTest(name = "connect(\"{0}\")")
    @ValueSource(strings = {"tcp://", "tcp://127.0.0.1", "tcp://127.0.0.1:99999", "tcp://host:abc", "127.0.0.1:5555", ""})
    void connectWithBadEndpointSyntax(String endpoint) {
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.PUSH)) {
            assertFails(ZmqError.EINVAL, () -> s.connect(endpoint), endpoint);
        }
    }

    @Test
    void connectToWildcardAddress() {
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.PUSH)) {
            assertFails(ZmqError.EINVAL, () -> s.connect("tcp://*:5555"), "tcp://*:5555");
            assertFails(ZmqError.EINVAL, () -> s.connect("tcp://127.0.0.1:*"), "tcp://127.0.0.1:*");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tipc://127.0.0.1:5555", "foo://x", "http://127.0.0.1:80", "TCPX://127.0.0.1:1"})
    void unknownTransport(String endpoint) {
        var transport = endpoint.substring(0, endpoint.indexOf("://"));
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.PULL)) {
            assertFails(ZmqError.EPROTONOSUPPORT, () -> s.bind(endpoint), transport);
            assertFails(ZmqError.EPROTONOSUPPORT, () -> s.connect(endpoint), transport);
        }
    }

    @Test
    void bindingTheSameAddressTwice() {
        try (var ctx = new ZmqContext(); var a = ctx.socket(SocketType.PULL); var b = ctx.socket(SocketType.PULL)) {
            var endpoint = a.bind("tcp://127.0.0.1:*");
            var port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
            assertFails(ZmqError.EADDRINUSE, () -> a.bind(endpoint), port);
            assertFails(ZmqError.EADDRINUSE, () -> b.bind(endpoint), port);
            // The failed binds left the first one working.
            assertEquals(endpoint, a.get(SocketOption.LAST_ENDPOINT));
        }
    }

    @Test
    void bindingAPortAnotherProgramHolds() throws Exception {
        try (var held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             var ctx = new ZmqContext(); var s = ctx.socket(SocketType.PULL)) {
            var endpoint = "tcp://127.0.0.1:" + held.getLocalPort();
            assertFails(ZmqError.EADDRINUSE, () -> s.bind(endpoint), String.valueOf(held.getLocalPort()));
        }
    }

    @Test
    void bindingAnAddressOfNoLocalInterface() {
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.PULL)) {
            // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a host.
            assertFails(ZmqError.EADDRNOTAVAIL, () -> s.bind("tcp://192.0.2.1:*"), "192.0.2.1");
        }
    }

    @Test
    void unbindAndDisconnectOfUnknownEndpoints() {
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.PULL)) {
            assertFails(ZmqError.ENOENT, () -> s.unbind("tcp://127.0.0.1:5999"), "tcp://127.0.0.1:5999");
            assertFails(ZmqError.ENOENT, () -> s.disconnect("tcp://127.0.0.1:5999"), "tcp://127.0.0.1:5999");
            var endpoint = s.bind("tcp://127.0.0.1:*");
            assertFails(ZmqError.ENOENT, () -> s.disconnect(endpoint), endpoint); // bound, not connected
            s.unbind(endpoint);
            assertFails(ZmqError.ENOENT, () -> s.unbind(endpoint), endpoint); // already unbound
            s.connect(endpoint);
            assertFails(ZmqError.ENOENT, () -> s.unbind(endpoint), endpoint); // connected, not bound
            s.disconnect(endpoint);
            assertFails(ZmqError.ENOENT, () -> s.disconnect(endpoint), endpoint);
        }
    }

    // ---- patterns -------------------------------------------------------------------------------

    @Test
    void reqMustSendBeforeReceivingAndNotSendTwice() {
        try (var ctx = new ZmqContext(); var rep = ctx.socket(SocketType.REP); var req = ctx.socket(SocketType.REQ)) {
            req.connect(rep.bind("tcp://127.0.0.1:*"));
            assertFails(ZmqError.EFSM, req::recv, "REQ");
            assertFails(ZmqError.EFSM, () -> req.recv(Duration.ofMillis(10)), "REQ");
            req.send("request");
            assertFails(ZmqError.EFSM, () -> req.send("again"), "REQ");
            // The refused calls left the lockstep intact.
            assertEquals("request", rep.recv(Duration.ofSeconds(5)).frameString(0));
            rep.send("reply");
            assertEquals("reply", req.recv(Duration.ofSeconds(5)).frameString(0));
        }
    }

    @Test
    void repMustReceiveBeforeSending() {
        try (var ctx = new ZmqContext(); var rep = ctx.socket(SocketType.REP)) {
            assertFails(ZmqError.EFSM, () -> rep.send("unasked"), "REP");
            assertFails(ZmqError.EFSM, () -> rep.send(Message.of("unasked")), "REP");
        }
    }

    @Test
    void sendOnPullAndReceiveOnPush() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            assertFails(ZmqError.ENOTSUP, () -> pull.send("x"), "PULL");
            assertFails(ZmqError.ENOTSUP, () -> pull.trySend(Message.of("x")), "PULL");
            assertFails(ZmqError.ENOTSUP, push::recv, "PUSH");
            assertFails(ZmqError.ENOTSUP, push::tryRecv, "PUSH");
        }
    }

    // ---- options --------------------------------------------------------------------------------

    @Test
    void optionValuesOutOfRange() {
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.DEALER)) {
            assertFails(ZmqError.EINVAL, () -> s.set(SocketOption.SNDHWM, -1), "SNDHWM", "-1");
            assertFails(ZmqError.EINVAL, () -> s.set(SocketOption.LINGER, -2), "LINGER", "-2");
            assertFails(ZmqError.EINVAL, () -> s.set(SocketOption.RCVTIMEO, -5), "RCVTIMEO");
            assertFails(ZmqError.EINVAL, () -> s.set(SocketOption.MAXMSGSIZE, -2L), "MAXMSGSIZE");
            assertFails(ZmqError.EINVAL, () -> s.set(SocketOption.ROUTING_ID, new byte[256]), "ROUTING_ID", "256");
            assertFails(ZmqError.EINVAL, () -> s.set(SocketOption.ROUTING_ID, new byte[] {0, 'a'}), "ROUTING_ID");
            assertFails(ZmqError.EINVAL, () -> s.set(SocketOption.SNDHWM, null), "SNDHWM");
            // Rejected values leave the defaults in place.
            assertEquals(1000, s.get(SocketOption.SNDHWM));
            assertEquals(-1, s.get(SocketOption.LINGER));
            assertArrayEquals(new byte[0], s.get(SocketOption.ROUTING_ID));
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void optionValueOfTheWrongType() {
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.DEALER)) {
            SocketOption raw = SocketOption.SNDHWM; // what reflection or a config binder could do
            assertFails(ZmqError.EINVAL, () -> s.set(raw, "ten"), "SNDHWM", "String");
            SocketOption id = SocketOption.ROUTING_ID;
            assertFails(ZmqError.EINVAL, () -> s.set(id, "abc"), "ROUTING_ID");
            assertEquals(1000, s.get(SocketOption.SNDHWM));
        }
    }

    @Test
    void settingReadOnlyOptions() {
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.PUSH)) {
            assertFails(ZmqError.EINVAL, () -> s.set(SocketOption.TYPE, SocketType.PULL), "TYPE", "read-only");
            assertFails(ZmqError.EINVAL, () -> s.set(SocketOption.LAST_ENDPOINT, "tcp://127.0.0.1:1"), "LAST_ENDPOINT", "read-only");
            assertFails(ZmqError.EINVAL, () -> s.set(SocketOption.RCVMORE, true), "RCVMORE", "read-only");
            assertEquals(SocketType.PUSH, s.get(SocketOption.TYPE));
        }
    }

    @Test
    void contextConstructorArguments() {
        assertFails(ZmqError.EINVAL, () -> new ZmqContext(0), "ioThreads", "0");
        assertFails(ZmqError.EINVAL, () -> new ZmqContext(1, Duration.ofMillis(-1)), "maxLinger");
    }

    // ---- closed socket, closed context ----------------------------------------------------------

    @Test
    void everyOperationOnAClosedSocket() {
        try (var ctx = new ZmqContext()) {
            var s = ctx.socket(SocketType.DEALER);
            var endpoint = s.bind("tcp://127.0.0.1:*");
            s.close();
            assertTrue(s.isClosed());
            assertDoesNotThrow(s::close, "closing twice must be harmless");
            for (var call : operations(s, endpoint)) {
                assertFails(ZmqError.ENOTSOCK, call, "closed");
            }
        }
    }

    @Test
    void everyOperationOnASocketOfAClosedContext() {
        var ctx = new ZmqContext();
        var s = ctx.socket(SocketType.DEALER);
        var endpoint = s.bind("tcp://127.0.0.1:*");
        ctx.close();
        assertTrue(ctx.isClosed());
        assertTrue(s.isClosed(), "the context's close must close its sockets");
        for (var call : operations(s, endpoint)) {
            assertFails(ZmqError.ETERM, call, "context");
        }
        assertDoesNotThrow(s::close, "closing a socket of a closed context must be harmless");
    }

    @Test
    void creatingASocketInAClosedContext() {
        var ctx = new ZmqContext();
        ctx.close();
        assertFails(ZmqError.ETERM, () -> ctx.socket(SocketType.PAIR), "context");
    }

    /** Every socket operation that needs an open socket. */
    private static Executable[] operations(ZmqSocket s, String endpoint) {
        return new Executable[] {
            () -> s.bind("tcp://127.0.0.1:*"),
            () -> s.connect(endpoint),
            () -> s.unbind(endpoint),
            () -> s.disconnect(endpoint),
            () -> s.send("x"),
            () -> s.send(Message.of("x")),
            () -> s.send(Message.of("x"), Duration.ofMillis(10)),
            () -> s.trySend(Message.of("x")),
            () -> s.sendMore("x"),
            s::recv,
            () -> s.recv(Duration.ofMillis(10)),
            s::tryRecv,
            s::recvFrame,
            () -> s.set(SocketOption.SNDHWM, 10),
            () -> s.get(SocketOption.SNDHWM),
        };
    }
}
