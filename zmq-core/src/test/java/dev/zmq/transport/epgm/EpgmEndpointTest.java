package dev.zmq.transport.epgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import org.junit.jupiter.api.Test;

/** What is checked before any multicast socket opens (so no namespace is needed). */
class EpgmEndpointTest {

    @Test
    void pgmIsRefusedNamingEpgm() {
        try (var ctx = new ZmqContext(); var pub = ctx.socket(SocketType.PUB)) {
            var e = assertThrows(ZmqException.class, () -> pub.connect("pgm://eth0;239.192.1.1:5555"));
            assertEquals(ZmqError.EPROTONOSUPPORT, e.error());
            assertTrue(e.getMessage().contains("epgm://eth0;239.192.1.1:5555"), e.getMessage());
            var b = assertThrows(ZmqException.class, () -> pub.bind("pgm://eth0;239.192.1.1:5555"));
            assertEquals(ZmqError.EPROTONOSUPPORT, b.error());
        }
    }

    @Test
    void onlyPublishAndSubscribeSocketsSpeakEpgm() {
        try (var ctx = new ZmqContext()) {
            for (var type : new SocketType[] {SocketType.REQ, SocketType.REP, SocketType.DEALER, SocketType.ROUTER, SocketType.PUSH,
                    SocketType.PULL, SocketType.PAIR}) {
                try (var s = ctx.socket(type)) {
                    var e = assertThrows(ZmqException.class, () -> s.connect("epgm://127.0.0.1;239.192.1.1:5555"));
                    assertEquals(ZmqError.ENOCOMPATPROTO, e.error(), type.name());
                    assertEquals(156384764, e.error().errno());
                    assertTrue(e.getMessage().contains("PUB, XPUB, SUB and XSUB"), e.getMessage());
                    assertEquals(ZmqError.ENOCOMPATPROTO, assertThrows(ZmqException.class,
                            () -> s.bind("epgm://127.0.0.1;239.192.1.1:5555")).error());
                }
            }
        }
    }

    @Test
    void badAddressesSayWhatIsWrong() {
        try (var ctx = new ZmqContext(); var sub = ctx.socket(SocketType.SUB)) {
            assertMessage(sub, "epgm://239.192.1.1:5555", ZmqError.EINVAL, "needs an interface");
            assertMessage(sub, "epgm://127.0.0.1;239.192.1.1", ZmqError.EINVAL, "port");
            assertMessage(sub, "epgm://127.0.0.1;239.192.1.1:0", ZmqError.EINVAL, "port");
            assertMessage(sub, "epgm://127.0.0.1;10.1.1.1:5555", ZmqError.EINVAL, "not an IPv4 multicast group");
            assertMessage(sub, "epgm://127.0.0.1;239.1.1.1,239.1.1.2:5555", ZmqError.EINVAL, "one group");
            assertMessage(sub, "epgm://no-such-nic0;239.192.1.1:5555", ZmqError.EINVAL, "no network interface named 'no-such-nic0'");
            assertMessage(sub, "epgm://192.0.2.77;239.192.1.1:5555", ZmqError.EADDRNOTAVAIL, "no local interface has the address");
        }
    }

    private static void assertMessage(dev.zmq.ZmqSocket s, String endpoint, ZmqError error, String text) {
        var e = assertThrows(ZmqException.class, () -> s.connect(endpoint), endpoint);
        assertEquals(error, e.error(), endpoint);
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void multicastOptionsHaveLibzmqDefaults() {
        try (var ctx = new ZmqContext(); var pub = ctx.socket(SocketType.PUB)) {
            assertEquals(100, pub.get(SocketOption.RATE));
            assertEquals(10_000, pub.get(SocketOption.RECOVERY_IVL));
            assertEquals(1, pub.get(SocketOption.MULTICAST_HOPS));
            assertEquals(true, pub.get(SocketOption.MULTICAST_LOOP));
            pub.set(SocketOption.RATE, 10_000);
            assertEquals(10_000, pub.get(SocketOption.RATE));
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> pub.set(SocketOption.RATE, 0)).error());
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> pub.set(SocketOption.MULTICAST_HOPS, 256)).error());
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> pub.set(SocketOption.RECOVERY_IVL, -1)).error());
        }
    }
}
