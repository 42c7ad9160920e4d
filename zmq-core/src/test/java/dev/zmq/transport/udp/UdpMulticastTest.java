package dev.zmq.transport.udp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RADIO/DISH over udp multicast, inside a network namespace the test creates and removes: many
 * DISHes on one group and port, each filtering by the groups it joined (nothing goes upstream), the
 * three ways of naming the interface libzmq takes, and a plain socket on each side speaking libzmq's
 * datagram format (built from udp_engine.cpp; Debian's libzmq lacks the draft API).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UdpMulticastTest {

    @Test
    void manyDishesOnOneGroupEachGetTheirGroupsBothWaysWithAPlainUdpPeer() {
        try (var ns = MulticastNamespace.create()) {
            var lines = ns.java(UdpMulticastPeer.class, 90, "5555");
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
    }

    private static String hex(int groupLength, String rest) {
        return String.format("%02x", groupLength) + java.util.HexFormat.of().formatHex(rest.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
