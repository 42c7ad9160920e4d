package dev.zmq.transport.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.NameResolver;
import dev.zmq.ResolvedAddress;
import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CONNECT_ALL_ADDRESSES through the NameResolver seam (a resolver the test changes), and with the JDK's resolver. */
@Timeout(60)
class ConnectAllAddressesTest {

    /** A resolver whose answer the test sets: addresses, or a failure. */
    static final class Answers implements NameResolver {
        final AtomicReference<List<String>> ips = new AtomicReference<>(List.of());
        final AtomicReference<IOException> failure = new AtomicReference<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws IOException {
            calls.incrementAndGet();
            var f = failure.get();
            if (f != null) {
                throw f;
            }
            return ips.get().stream().map(ip -> new InetSocketAddress(ip, port)).toList();
        }
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private static Set<String> addresses(ZmqSocket socket, boolean connected) {
        return socket.statistics().resolvedAddresses().stream().filter(a -> !a.draining() && (!connected || a.connected()))
                .map(ResolvedAddress::address).collect(Collectors.toSet());
    }

    @Test
    void theJdkResolverConnectsToLocalhost() {
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            int port = port(pull.bind("tcp://127.0.0.1:*"));
            push.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
            push.connect("tcp://localhost:" + port);
            push.send("hello");
            assertEquals("hello", Await.recv(pull).frameString(0));
            // IPV6 is off: only the IPv4 address of localhost
            assertEquals(Set.of("tcp://127.0.0.1:" + port), addresses(push, true));
        }
    }

    @Test
    void aFailedLookupKeepsTheAddressesAndIsReported() {
        var answers = new Answers();
        var events = new CopyOnWriteArrayList<SocketEvent>();
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            int port = port(pull.bind("tcp://127.0.0.1:*"));
            answers.ips.set(List.of("127.0.0.1"));
            push.setNameResolver(answers);
            push.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
            push.set(SocketOption.RESOLVE_IVL, 50);
            push.monitor(EnumSet.of(SocketEvent.Type.RESOLVE_FAILED), events::add);
            push.connect("tcp://service.test:" + port);
            Await.until("connected", () -> addresses(push, true).size() == 1);

            answers.failure.set(new IOException("DNS down"));
            Await.until("a failed lookup reported", () -> !events.isEmpty());
            assertTrue(events.get(0).reason().contains("DNS down"), events.get(0).reason());
            assertEquals("tcp://service.test:" + port, events.get(0).endpoint());
            push.send("still there");
            assertEquals("still there", Await.recv(pull).frameString(0));
            assertEquals(Set.of("tcp://127.0.0.1:" + port), addresses(push, true));
        }
    }

    @Test
    void anEmptyAnswerDisconnectsEveryAddressAfterDraining() {
        var answers = new Answers();
        try (var ctx = new ZmqContext(); var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            int port = port(pull.bind("tcp://127.0.0.1:*"));
            answers.ips.set(List.of("127.0.0.1"));
            push.setNameResolver(answers);
            push.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
            push.set(SocketOption.RESOLVE_IVL, 0);
            push.connect("tcp://service.test:" + port);
            Await.until("connected", () -> addresses(push, true).size() == 1);
            for (int i = 0; i < 50; i++) {
                push.send(Integer.toString(i));
            }
            answers.ips.set(List.of());
            push.refreshAddresses();
            Await.until("no address left", () -> push.statistics().resolvedAddresses().isEmpty());
            for (int i = 0; i < 50; i++) {
                assertEquals(Integer.toString(i), Await.recv(pull).frameString(0));
            }
            assertEquals(0, push.statistics().connectedPeers());
            // nothing to send to now
            assertTrue(!push.trySend(Message.of("nowhere")), "no address: nothing takes a message");
        }
    }

    @Test
    void aFailedConnectMakesTheSocketLookAgain() throws Exception {
        var answers = new Answers();
        int deadPort;
        try (var probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            deadPort = probe.getLocalPort();
        }
        try (var ctx = new ZmqContext(); var push = ctx.socket(SocketType.PUSH)) {
            answers.ips.set(List.of("127.0.0.1"));
            push.setNameResolver(answers);
            push.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
            push.set(SocketOption.RESOLVE_IVL, 0); // no periodic lookups: only failures cause them
            push.connect("tcp://service.test:" + deadPort);
            Await.until("a lookup after the refused connects", () -> answers.calls.get() >= 3);
        }
    }

    @Test
    void disconnectEndsEveryAddressAndTheLookups() {
        var answers = new Answers();
        try (var ctx = new ZmqContext(); var a = ctx.socket(SocketType.PULL); var b = ctx.socket(SocketType.PULL);
             var push = ctx.socket(SocketType.PUSH)) {
            int port = port(a.bind("tcp://127.0.0.21:*"));
            b.bind("tcp://127.0.0.22:" + port);
            var events = new CopyOnWriteArrayList<SocketEvent>();
            a.monitor(EnumSet.of(SocketEvent.Type.DISCONNECTED), events::add);
            b.monitor(EnumSet.of(SocketEvent.Type.DISCONNECTED), events::add);
            answers.ips.set(List.of("127.0.0.21", "127.0.0.22"));
            push.setNameResolver(answers);
            push.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
            push.set(SocketOption.RESOLVE_IVL, 20);
            var endpoint = "tcp://service.test:" + port;
            push.connect(endpoint);
            Await.until("both connected", () -> addresses(push, true).size() == 2);
            push.disconnect(endpoint);
            Await.until("both peers see the disconnection", () -> events.size() == 2);
            assertTrue(push.statistics().resolvedAddresses().isEmpty());
            int calls = answers.calls.get();
            var ex = assertThrows(ZmqException.class, () -> push.disconnect(endpoint));
            assertEquals(ZmqError.ENOENT, ex.error());
            // no lookups after the disconnect (one may have been under way)
            long until = System.nanoTime() + Await.QUIET.toNanos() * 2; // 30 RESOLVE_IVLs
            while (System.nanoTime() < until) {
                assertTrue(answers.calls.get() <= calls + 1, () -> "lookups went on after disconnect: " + answers.calls.get() + " > " + calls);
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L); // watching for what must not happen
            }
        }
    }

    @Test
    void aSubFollowingANameHearsEveryPublisher() {
        var answers = new Answers();
        try (var ctx = new ZmqContext(); var a = ctx.socket(SocketType.PUB); var b = ctx.socket(SocketType.PUB);
             var sub = ctx.socket(SocketType.SUB)) {
            int port = port(a.bind("tcp://127.0.0.23:*"));
            b.bind("tcp://127.0.0.24:" + port);
            answers.ips.set(List.of("127.0.0.23", "127.0.0.24"));
            sub.setNameResolver(answers);
            sub.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
            sub.subscribe("prices");
            sub.connect("tcp://publishers.test:" + port);
            Await.until("both connected", () -> addresses(sub, true).size() == 2);
            var heard = new java.util.HashSet<String>();
            Await.until("a message from each publisher", () -> {
                a.trySend(Message.of("prices", "a")); // subscriptions reach the publishers asynchronously: send until heard
                b.trySend(Message.of("prices", "b"));
                Message m;
                while ((m = sub.tryRecv()) != null) {
                    heard.add(m.frameString(1));
                }
                return heard.equals(Set.of("a", "b"));
            });
        }
    }

    @Test
    void connectRoutingIdIsRefusedWithConnectAll() {
        try (var ctx = new ZmqContext(); var router = ctx.socket(SocketType.ROUTER)) {
            router.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
            router.set(SocketOption.CONNECT_ROUTING_ID, "peer".getBytes());
            var ex = assertThrows(ZmqException.class, () -> router.connect("tcp://localhost:5555"));
            assertEquals(ZmqError.EINVAL, ex.error());
            assertTrue(ex.getMessage().contains("CONNECT_ROUTING_ID"), ex.getMessage());
        }
    }

    @Test
    void closingWhileALookupHangsDoesNotHang() throws Exception {
        var release = new CountDownLatch(1);
        var started = new CountDownLatch(1);
        var ctx = new ZmqContext();
        try {
            var push = ctx.socket(SocketType.PUSH);
            push.setNameResolver((host, port) -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of();
            });
            push.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
            push.connect("tcp://slow.test:5555");
            assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS));
            push.close();
        } finally {
            ctx.close(); // the lookup thread is interrupted; close returns without waiting for it
            release.countDown();
        }
        assertTrue(ctx.isClosed());
    }
}
