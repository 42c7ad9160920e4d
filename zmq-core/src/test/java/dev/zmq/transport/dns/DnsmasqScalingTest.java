package dev.zmq.transport.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zmq.Message;
import dev.zmq.ResolvedAddress;
import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.dns.Dnsmasq;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONNECT_ALL_ADDRESSES against a real DNS server: dnsmasq on a loopback address, answering from a
 * hosts file this test rewrites, asked by a small DNS client behind the NameResolver seam. A
 * "service" of PULL sockets on loopback aliases (all of 127/8 is the loopback interface) scales
 * from 1 to 5 to 2 addresses; a PUSH connected to its name must spread over exactly the live
 * ones, drain what it queued for the vanished ones, and lose nothing it accepted within HWM.
 * Skipped when dnsmasq is not installed, a failure then with ZMQ_REQUIRE_DNSMASQ=1 (as in CI).
 */
@Timeout(120)
class DnsmasqScalingTest {
    private static final String NAME = "orders.default.svc.test";
    private static final List<String> PODS = List.of("127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14");

    @TempDir
    Path dir;
    private Dnsmasq dns;
    private ZmqContext ctx;
    private final Map<String, ZmqSocket> pulls = new LinkedHashMap<>();
    private int port;

    @BeforeEach
    void start() throws Exception {
        if (Dnsmasq.binary() == null) {
            assumeTrue("1".equals(System.getenv("ZMQ_REQUIRE_DNSMASQ")) ? failMissing() : false,
                    "dnsmasq not installed: DNS scaling test skipped (apt-get install -y dnsmasq-base; ZMQ_REQUIRE_DNSMASQ=1 makes this a failure)");
        }
        dns = Dnsmasq.start(dir);
        ctx = new ZmqContext(2);
        // One port on every "pod" address, as a Kubernetes Service's target port.
        for (var ip : PODS) {
            var pull = ctx.socket(SocketType.PULL);
            pull.set(SocketOption.RCVHWM, 1);
            pull.set(SocketOption.RCVBUF, 4096);
            if (port == 0) {
                var bound = pull.bind("tcp://" + ip + ":*");
                port = Integer.parseInt(bound.substring(bound.lastIndexOf(':') + 1));
            } else {
                pull.bind("tcp://" + ip + ":" + port);
            }
            pulls.put(ip, pull);
        }
    }

    private static boolean failMissing() {
        throw new AssertionError("dnsmasq is not installed but ZMQ_REQUIRE_DNSMASQ=1: apt-get install -y dnsmasq-base");
    }

    @AfterEach
    void stop() {
        if (ctx != null) {
            ctx.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void pushFollowsTheServiceFromOneToFiveToTwoAddressesAndLosesNothing() throws Exception {
        dns.publish(Map.of(NAME, PODS.subList(0, 1)));
        var events = new CopyOnWriteArrayList<SocketEvent>();
        try (var push = ctx.socket(SocketType.PUSH)) {
            push.monitor(EnumSet.of(SocketEvent.Type.ADDRESS_ADDED, SocketEvent.Type.ADDRESS_REMOVED, SocketEvent.Type.CONNECTED),
                    events::add);
            push.setNameResolver(dns.resolver(false));
            push.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
            push.set(SocketOption.RESOLVE_IVL, 200);
            push.set(SocketOption.SNDBUF, 4096);
            push.set(SocketOption.LINGER, 10_000);
            var endpoint = "tcp://" + NAME + ":" + port;
            push.connect(endpoint);

            // 1 address
            awaitAddresses(push, PODS.subList(0, 1));
            int seq = 0;
            for (int i = 0; i < 10; i++) {
                push.send(Message.of(Integer.toString(seq++)));
            }
            var received = new LinkedHashMap<String, List<Integer>>();
            PODS.forEach(ip -> received.put(ip, new ArrayList<>()));
            readAll(received, 10);
            assertEquals(10, received.get(PODS.get(0)).size(), "one address: everything goes to it");

            // scale to 5: every address connected, and 100 messages spread evenly over all of them
            dns.publish(Map.of(NAME, PODS));
            awaitAddresses(push, PODS);
            int before = seq;
            for (int i = 0; i < 100; i++) {
                push.send(Message.of(Integer.toString(seq++)));
            }
            readAll(received, 110);
            for (var ip : PODS) {
                long got = received.get(ip).stream().filter(n -> n >= before).count();
                assertEquals(20, got, () -> "five addresses: each gets every fifth message, " + ip + " got " + got + ": " + received);
            }

            // queue messages nobody reads yet: with small kernel buffers and RCVHWM 1, once a connection
            // has taken its batch (256 messages) the rest wait in the PUSH's queue for that address
            var big = new byte[1024];
            int burstStart = seq;
            for (int i = 0; i < 2000; i++) {
                push.send(Message.of(Integer.toString(seq++).getBytes(), big));
            }
            Await.until("messages queued in the PUSH for every address", () ->
                    push.statistics().resolvedAddresses().stream().allMatch(a -> a.messagesQueued() > 0));

            // scale to 2: the 3 vanished addresses stop getting new messages and drain what they had queued
            dns.publish(Map.of(NAME, PODS.subList(0, 2)));
            Await.until("three addresses draining", () -> push.statistics().resolvedAddresses().stream()
                    .filter(ResolvedAddress::draining).count() == 3);
            var draining = push.statistics().resolvedAddresses().stream().filter(ResolvedAddress::draining).toList();
            assertEquals(Set.copyOf(addresses(PODS.subList(2, 5))), draining.stream().map(ResolvedAddress::address).collect(Collectors.toSet()));
            assertTrue(draining.stream().allMatch(a -> a.messagesQueued() > 0), () -> "the vanished addresses still had queued messages: " + draining);
            int afterScaleDown = seq;
            for (int i = 0; i < 100; i++) {
                push.send(Message.of(Integer.toString(seq++)));
            }
            readAll(received, seq);
            awaitAddresses(push, PODS.subList(0, 2)); // the drained ones are gone

            // nothing lost, nothing twice
            var all = new TreeSet<Integer>();
            received.values().forEach(all::addAll);
            assertEquals(seq, received.values().stream().mapToInt(List::size).sum(), "messages received in all");
            assertEquals(seq, all.size(), "distinct messages");
            assertEquals(0, all.first());
            assertEquals(seq - 1, all.last());
            for (var ip : PODS.subList(2, 5)) {
                assertTrue(received.get(ip).stream().noneMatch(n -> n >= afterScaleDown),
                        () -> ip + " vanished from DNS but got messages sent after that: " + received.get(ip));
                assertTrue(received.get(ip).stream().anyMatch(n -> n >= burstStart && n < afterScaleDown),
                        () -> ip + " did not get the burst queued for it before it vanished: " + received.get(ip));
            }
            for (var ip : PODS.subList(0, 2)) {
                long got = received.get(ip).stream().filter(n -> n >= afterScaleDown).count();
                assertEquals(50, got, () -> "two addresses: each gets every other message, " + ip + " got " + got);
            }
            assertEquals(0, push.statistics().messagesDropped());

            // the monitor named each address
            Await.until("monitor events", () -> events.stream().filter(e -> e.type() == SocketEvent.Type.ADDRESS_REMOVED).count() == 3);
            assertEquals(Set.copyOf(addresses(PODS)), peers(events, SocketEvent.Type.ADDRESS_ADDED));
            assertEquals(Set.copyOf(addresses(PODS.subList(2, 5))), peers(events, SocketEvent.Type.ADDRESS_REMOVED));
            assertEquals(Set.copyOf(addresses(PODS)), peers(events, SocketEvent.Type.CONNECTED));
            assertTrue(events.stream().allMatch(e -> e.endpoint().equals(endpoint)), () -> "events name the endpoint: " + events);
        }
    }

    /** 40 A records do not fit a 512-byte UDP answer: the resolver asks again over TCP, and the PUSH gets all 40. */
    @Test
    void fortyAddressesAreAllConnected() throws Exception {
        var ips = new ArrayList<String>();
        int forty = 0;
        for (int i = 1; i <= 40; i++) {
            var pull = ctx.socket(SocketType.PULL);
            var ip = "127.0.3." + i;
            if (forty == 0) {
                var bound = pull.bind("tcp://" + ip + ":*");
                forty = Integer.parseInt(bound.substring(bound.lastIndexOf(':') + 1));
            } else {
                pull.bind("tcp://" + ip + ":" + forty);
            }
            ips.add(ip);
            pulls.put(ip, pull);
        }
        dns.publish(Map.of(NAME, ips));
        try (var push = ctx.socket(SocketType.PUSH)) {
            push.setNameResolver(dns.resolver(false));
            push.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
            push.connect("tcp://" + NAME + ":" + forty);
            int p = forty;
            var expected = ips.stream().map(ip -> "tcp://" + ip + ":" + p).collect(Collectors.toSet());
            Await.until("40 connected", () -> push.statistics().resolvedAddresses().stream().filter(ResolvedAddress::connected)
                    .map(ResolvedAddress::address).collect(Collectors.toSet()).equals(expected));
            for (int i = 0; i < 40; i++) {
                push.send(Message.of(Integer.toString(i)));
            }
            for (var ip : ips) {
                Await.recv(pulls.get(ip));
            }
        }
    }

    private List<String> addresses(List<String> ips) {
        return ips.stream().map(ip -> "tcp://" + ip + ":" + port).toList();
    }

    private static Set<String> peers(List<SocketEvent> events, SocketEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).map(SocketEvent::peerAddress).collect(Collectors.toSet());
    }

    private void awaitAddresses(ZmqSocket push, List<String> ips) {
        var expected = new HashSet<>(addresses(ips));
        Await.until("connected to exactly " + expected, () -> {
            var now = push.statistics().resolvedAddresses();
            return now.size() == expected.size() && now.stream().allMatch(a -> a.connected() && !a.draining() && expected.contains(a.address()));
        });
    }

    /** Reads every PULL until {@code total} messages were received in all. */
    private void readAll(Map<String, List<Integer>> received, int total) {
        Await.until(total + " messages received", () -> {
            pulls.forEach((ip, pull) -> {
                Message m;
                while ((m = pull.tryRecv()) != null) {
                    received.get(ip).add(Integer.parseInt(m.frameString(0)));
                }
            });
            return received.values().stream().mapToInt(List::size).sum() >= total;
        });
    }
}
