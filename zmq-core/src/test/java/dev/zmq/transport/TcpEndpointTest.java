package dev.zmq.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.Endpoints;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Binding and connecting tcp:// endpoints: address forms, the real endpoint, errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpEndpointTest {

    /** Sends {@code text} from {@code push} and checks that {@code pull} receives it. */
    private static void assertFlows(ZmqSocket push, ZmqSocket pull, String text) {
        push.send(text);
        assertEquals(Message.of(text), Await.recv(pull));
    }

    @Test
    void connectsFromTheSourceAddressItNames() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL);
             var fromTwo = ctx.socket(SocketType.PUSH); var fromThree = ctx.socket(SocketType.PUSH)) {
            var endpoint = pull.bind("tcp://127.0.0.1:*");
            var hostPort = endpoint.substring("tcp://".length());
            fromTwo.connect("tcp://127.0.0.2:0;" + hostPort);   // libzmq's source;destination form
            fromThree.connect("tcp://127.0.0.3;" + hostPort);   // no port: any
            fromTwo.send("two");
            var first = Await.recv(pull);
            assertEquals("two", first.frameString(0));
            assertEquals("127.0.0.2", first.property("Peer-Address"));
            fromThree.send("three");
            var second = Await.recv(pull);
            assertEquals("three", second.frameString(0));
            assertEquals("127.0.0.3", second.property("Peer-Address"));
        }
    }

    @Test
    void aSourceAddressMustBeWritten() {
        try (var ctx = new ZmqContext(); var push = ctx.socket(SocketType.PUSH)) {
            var e = assertThrows(ZmqException.class, () -> push.connect("tcp://;127.0.0.1:5555"));
            assertEquals(ZmqError.EINVAL, e.error());
            assertTrue(e.getMessage().contains("source address"), e.getMessage());
        }
    }

    @Test
    void bindingAnEphemeralPortReturnsTheRealEndpoint() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            assertEquals("", pull.get(SocketOption.LAST_ENDPOINT), "libzmq reports an empty LAST_ENDPOINT before any bind");
            var endpoint = pull.bind("tcp://127.0.0.1:*");
            assertTrue(endpoint.matches("tcp://127\\.0\\.0\\.1:\\d+"), endpoint);
            int port = Endpoints.port(endpoint);
            assertTrue(port > 0 && port < 65536, endpoint);
            assertEquals(endpoint, pull.get(SocketOption.LAST_ENDPOINT));
            push.connect(endpoint);
            assertFlows(push, pull, "via the real port");
        }
    }

    @Test
    void portZeroAlsoMeansEphemeral() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            var endpoint = pull.bind("tcp://127.0.0.1:0");
            assertNotEquals(0, Endpoints.port(endpoint), endpoint);
            assertEquals(endpoint, pull.get(SocketOption.LAST_ENDPOINT));
            push.connect(endpoint);
            assertFlows(push, pull, "port zero");
        }
    }

    @Test
    void wildcardInterfaceBindsAllIpv4Addresses() {
        try (var ctx = new ZmqContext(); var pull1 = ctx.socket(SocketType.PULL); var pull2 = ctx.socket(SocketType.PULL);
             var push = ctx.socket(SocketType.PUSH); var push2 = ctx.socket(SocketType.PUSH)) {
            var star = pull1.bind("tcp://*:*");
            assertTrue(star.matches("tcp://0\\.0\\.0\\.0:\\d+"), () -> "libzmq reports tcp://0.0.0.0:<port>, got " + star);
            var zero = pull2.bind("tcp://*:0");
            assertTrue(zero.matches("tcp://0\\.0\\.0\\.0:\\d+"), () -> "libzmq reports tcp://0.0.0.0:<port>, got " + zero);
            assertNotEquals(Endpoints.port(star), Endpoints.port(zero));
            push.connect("tcp://127.0.0.1:" + Endpoints.port(star));
            assertFlows(push, pull1, "through the wildcard");
            push2.connect("tcp://localhost:" + Endpoints.port(zero));
            assertFlows(push2, pull2, "by host name");
        }
    }

    @Test
    void ipv6LoopbackWithTheIpv6Option() {
        boolean available = Endpoints.hasIpv6Loopback(); // checked with plain java.net first
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            pull.set(SocketOption.IPV6, true);
            push.set(SocketOption.IPV6, true);
            if (!available) {
                var e = assertThrows(ZmqException.class, () -> pull.bind("tcp://[::1]:*"),
                        "this machine has no IPv6 loopback, so binding [::1] must fail clearly");
                assertEquals(ZmqError.EADDRNOTAVAIL, e.error(), e::toString);
                return;
            }
            var endpoint = pull.bind("tcp://[::1]:*");
            assertTrue(endpoint.matches("tcp://\\[::1]:\\d+"), () -> "expected tcp://[::1]:<port>, got " + endpoint);
            assertEquals(endpoint, pull.get(SocketOption.LAST_ENDPOINT));
            push.connect(endpoint);
            assertFlows(push, pull, "over IPv6");
        }
    }

    @Test
    void oneSocketCanBindAndConnectSeveralEndpoints() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var remote = ctx.socket(SocketType.PUSH);
             var a = ctx.socket(SocketType.PUSH); var b = ctx.socket(SocketType.PUSH)) {
            var e1 = pull.bind("tcp://127.0.0.1:*");
            var e2 = pull.bind("tcp://127.0.0.1:*");
            assertNotEquals(e1, e2);
            assertEquals(e2, pull.get(SocketOption.LAST_ENDPOINT));
            var remoteEndpoint = remote.bind("tcp://127.0.0.1:*");
            pull.connect(remoteEndpoint);
            assertEquals(remoteEndpoint, pull.get(SocketOption.LAST_ENDPOINT), "connect also sets LAST_ENDPOINT");
            a.connect(e1);
            b.connect(e2);
            a.send("a");
            b.send("b");
            remote.send("remote");
            Set<String> got = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                got.add(Await.recv(pull).frameString(0));
            }
            assertEquals(Set.of("a", "b", "remote"), got);
        }
    }

    @Test
    void bindingAnAddressInUseFails() {
        try (var ctx = new ZmqContext(); var first = ctx.socket(SocketType.PULL); var second = ctx.socket(SocketType.PULL)) {
            var endpoint = first.bind("tcp://127.0.0.1:*");
            assertError(ZmqError.EADDRINUSE, () -> second.bind(endpoint));
            assertError(ZmqError.EADDRINUSE, () -> first.bind(endpoint));
        }
    }

    @Test
    void badEndpointsAreRejected() {
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.PULL)) {
            assertError(ZmqError.EINVAL, () -> s.bind("tcp://127.0.0.1"));
            assertError(ZmqError.EINVAL, () -> s.connect("tcp://127.0.0.1"));
            assertError(ZmqError.EINVAL, () -> s.bind("tcp://127.0.0.1:notaport"));
            assertError(ZmqError.EINVAL, () -> s.bind("127.0.0.1:5555"));
            assertError(ZmqError.EPROTONOSUPPORT, () -> s.bind("bogus://127.0.0.1:5555"));
            assertError(ZmqError.EPROTONOSUPPORT, () -> s.connect("bogus://127.0.0.1:5555"));
            assertError(ZmqError.EADDRNOTAVAIL, () -> s.bind("tcp://192.0.2.1:*")); // TEST-NET-1, never local
        }
    }

    @Test
    void unbindAndDisconnectOfUnknownEndpointsFailWithEnoent() {
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.PULL)) {
            var endpoint = s.bind("tcp://127.0.0.1:*");
            assertError(ZmqError.ENOENT, () -> s.disconnect(endpoint)); // bound, not connected
            assertError(ZmqError.ENOENT, () -> s.disconnect(Endpoints.unused()));
            assertError(ZmqError.ENOENT, () -> s.unbind(Endpoints.unused()));
            s.unbind(endpoint);
            assertError(ZmqError.ENOENT, () -> s.unbind(endpoint));
        }
    }

    @Test
    void unbindAcceptsTheEndpointAsPassedToBind() {
        // Our API (ZmqSocket.unbind javadoc) also takes the wildcard text given to bind; libzmq
        // only takes the resolved endpoint.
        try (var ctx = new ZmqContext(); var s = ctx.socket(SocketType.PULL)) {
            var endpoint = s.bind("tcp://127.0.0.1:*");
            s.unbind("tcp://127.0.0.1:*");
            assertError(ZmqError.ENOENT, () -> s.unbind(endpoint));
            assertEquals(endpoint, s.bind(endpoint), "the port was released");
        }
    }

    @Test
    void anEndpointCanBeBoundAgainAfterUnbind() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            var endpoint = pull.bind("tcp://127.0.0.1:*");
            pull.unbind(endpoint);
            assertEquals(endpoint, pull.bind(endpoint));
            push.connect(endpoint);
            assertFlows(push, pull, "rebound");
        }
    }

    private static void assertError(ZmqError expected, Executable call) {
        var e = assertThrows(ZmqException.class, call, () -> "expected " + expected);
        assertEquals(expected, e.error(), e::toString);
    }
}
