package dev.zmq.internal.transport.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.NetworkInterface;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** An interface named by its name in a udp multicast endpoint stands for its address of the group's family. */
class UdpAddressTest {

    @Test
    void aNicNameWithAnIpv6GroupTakesTheNicsIpv6Address() throws Exception {
        var lo = NetworkInterface.getByName("lo");
        assumeTrue(lo != null && Collections.list(lo.getInetAddresses()).stream().anyMatch(Inet6Address.class::isInstance),
                "the loopback has no IPv6 address here");
        var address = UdpAddress.parse("lo;[ff08::1]:5555", false, true);
        assertTrue(address.multicast() && address.ipv6(), address.toString());
        assertEquals(lo, address.nic());
        assertTrue(address.interfaceAddress() instanceof Inet6Address, address.toString());
    }

    @Test
    void aNicNameWithAnIpv4GroupTakesTheNicsIpv4AddressWithOrWithoutTheIpv6Option() {
        for (boolean ipv6 : new boolean[] {false, true}) {
            var address = UdpAddress.parse("lo;239.1.2.3:5555", false, ipv6);
            assertTrue(address.multicast() && !address.ipv6(), address.toString());
            assertTrue(address.interfaceAddress() instanceof Inet4Address, address.toString());
        }
    }

    @Test
    void anIpv6GroupNeedsTheIpv6Option() {
        var e = assertThrows(ZmqException.class, () -> UdpAddress.parse("lo;[ff08::1]:5555", false, false));
        assertEquals(ZmqError.EINVAL, e.error());
        assertTrue(e.getMessage().contains("set the IPV6 socket option"), e.getMessage());
    }
}
