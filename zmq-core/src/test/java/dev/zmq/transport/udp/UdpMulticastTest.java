package dev.zmq.transport.udp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RADIO/DISH over udp multicast, inside a network namespace the test creates and removes: many
 * DISHes on one group and port, each filtering by the groups it joined (nothing goes upstream), the
 * three ways of naming the interface libzmq takes, and a plain socket on each side speaking libzmq's
 * datagram format (built from udp_engine.cpp; Debian's libzmq lacks the draft API), and a plain
 * Python socket reading the TTL that MULTICAST_HOPS puts on the datagrams. MULTICAST_LOOP cannot be
 * observed here (with loopback as the outgoing interface the kernel delivers the group's datagrams
 * locally whatever the option says): {@link dev.zmq.transport.MulticastLoopTest} checks it across a
 * veth pair.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UdpMulticastTest {

    @Test
    void manyDishesOnOneGroupEachGetTheirGroupsBothWaysWithAPlainUdpPeer() throws Exception {
        try (var ns = MulticastNamespace.create()) {
            // A plain Python socket on the group reads the TTL each RADIO set: MULTICAST_HOPS 2 on one, the default 1 on the other.
            var hops = hex(7, "weathersunny");
            var defaultHops = hex(7, "weathersecond");
            try (var ttl = ns.start(PYTHON, script("udp/ttl_listener.py"), "239.192.9.9", "5555", hops, defaultHops)) {
                ttl.awaitLine("ready", Duration.ofSeconds(30));
                var lines = ns.java(UdpMulticastPeer.class, 90, "5555");
                checkDishes(lines);
                ttl.awaitExit(Duration.ofSeconds(40));
                var seen = ttl.lines();
                assertTrue(seen.contains("seen " + hops + " ttl 2"), () -> "MULTICAST_HOPS 2 not on the wire: " + seen);
                assertTrue(seen.contains("seen " + defaultHops + " ttl 1"), () -> "the default MULTICAST_HOPS is 1: " + seen);
            }
        }
    }

    private static final String PYTHON = "/usr/bin/python3";

    private static String script(String resource) {
        try {
            return Path.of(UdpMulticastTest.class.getResource("/" + resource).toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(resource + " is missing from the test classpath", e);
        }
    }

    private static void checkDishes(List<String> lines) {
        var output = String.join("\n", lines);
        for (var expected : UdpMulticastPeer.expectedDishLines()) {
            assertTrue(lines.contains(expected), () -> "missing '" + expected + "' in:\n" + output);
        }
        var discarded = lines.stream().filter(l -> l.startsWith("discarded by-name ")).findFirst()
                .map(l -> Long.parseLong(l.substring("discarded by-name ".length()))).orElse(-1L);
        assertTrue(discarded > 0, () -> "the news datagrams reach every DISH on the port and are filtered there:\n" + output);
        // Our RADIOs' datagrams as a plain socket on the group sees them: [length][group][body].
        assertTrue(lines.contains("raw " + hex(7, "weathersunny")), output);
        assertTrue(lines.contains("raw " + hex(4, "newsheadline")), output);
        assertTrue(lines.contains("raw " + hex(7, "weathersecond")), output);
    }

    private static String hex(int groupLength, String rest) {
        return String.format("%02x", groupLength) + HexFormat.of().formatHex(rest.getBytes(StandardCharsets.US_ASCII));
    }
}
