package dev.zmq;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Socket options: libzmq 4.3 defaults, set/get, validation, lookup by name. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SocketOptionTest {

    /** libzmq 4.3.4's getsockopt values on a fresh socket (checked against pyzmq 4.3.4). */
    private static final Map<SocketOption<?>, Object> LIBZMQ_DEFAULTS = new LinkedHashMap<>();
    /** A non-default value for every writable option. */
    private static final Map<SocketOption<?>, Object> OTHER_VALUES = new LinkedHashMap<>();
    /** Options that libzmq only accepts on some socket types. */
    private static final Map<SocketOption<?>, Set<SocketType>> ONLY_ON = Map.ofEntries(
            Map.entry(SocketOption.ROUTER_MANDATORY, Set.of(SocketType.ROUTER, SocketType.REP)),
            Map.entry(SocketOption.ROUTER_HANDOVER, Set.of(SocketType.ROUTER, SocketType.REP)),
            Map.entry(SocketOption.CONNECT_ROUTING_ID, Set.of(SocketType.ROUTER, SocketType.REP, SocketType.STREAM)),
            Map.entry(SocketOption.STREAM_NOTIFY, Set.of(SocketType.STREAM)),
            Map.entry(SocketOption.PROBE_ROUTER, Set.of(SocketType.ROUTER, SocketType.REP, SocketType.DEALER, SocketType.REQ)),
            Map.entry(SocketOption.REQ_CORRELATE, Set.of(SocketType.REQ)),
            Map.entry(SocketOption.REQ_RELAXED, Set.of(SocketType.REQ)),
            Map.entry(SocketOption.XPUB_VERBOSE, Set.of(SocketType.XPUB, SocketType.PUB)),
            Map.entry(SocketOption.XPUB_VERBOSER, Set.of(SocketType.XPUB, SocketType.PUB)),
            Map.entry(SocketOption.XPUB_NODROP, Set.of(SocketType.XPUB, SocketType.PUB, SocketType.RADIO)),
            Map.entry(SocketOption.XPUB_MANUAL, Set.of(SocketType.XPUB, SocketType.PUB)),
            Map.entry(SocketOption.XPUB_WELCOME_MSG, Set.of(SocketType.XPUB, SocketType.PUB)));

    static {
        expect(SocketOption.SNDHWM, 1000, 7);
        expect(SocketOption.RCVHWM, 1000, 9);
        expect(SocketOption.LINGER, -1, 250);
        expect(SocketOption.ROUTING_ID, new byte[0], "peer-1".getBytes(StandardCharsets.UTF_8));
        expect(SocketOption.RECONNECT_IVL, 100, 50);
        expect(SocketOption.RECONNECT_IVL_MAX, 0, 5000);
        expect(SocketOption.SNDTIMEO, -1, 123);
        expect(SocketOption.RCVTIMEO, -1, 456);
        expect(SocketOption.MAXMSGSIZE, -1L, 1L << 20);
        expect(SocketOption.MAX_MULTIPART_SIZE, -1L, 1L << 24);
        expect(SocketOption.IMMEDIATE, false, true);
        expect(SocketOption.ROUTER_MANDATORY, false, true);
        expect(SocketOption.REQ_CORRELATE, false, true);
        expect(SocketOption.REQ_RELAXED, false, true);
        expect(SocketOption.CONFLATE, false, true);
        expect(SocketOption.TCP_KEEPALIVE, -1, 1);
        expect(SocketOption.TCP_KEEPALIVE_CNT, -1, 5);
        expect(SocketOption.TCP_KEEPALIVE_IDLE, -1, 60);
        expect(SocketOption.TCP_KEEPALIVE_INTVL, -1, 10);
        expect(SocketOption.SNDBUF, -1, 65536);
        expect(SocketOption.RCVBUF, -1, 131072);
        expect(SocketOption.BACKLOG, 100, 50);
        expect(SocketOption.IPV6, false, true);
        expect(SocketOption.HANDSHAKE_IVL, 30_000, 5_000);
        expect(SocketOption.HEARTBEAT_IVL, 0, 1_000);
        expect(SocketOption.HEARTBEAT_TTL, 0, 2_000); // libzmq keeps tenths of a second: use a multiple of 100
        expect(SocketOption.HEARTBEAT_TIMEOUT, -1, 3_000);
        expect(SocketOption.XPUB_VERBOSE, false, true);
        expect(SocketOption.XPUB_VERBOSER, false, true);
        expect(SocketOption.XPUB_NODROP, false, true);
        expect(SocketOption.XPUB_MANUAL, false, true);
        expect(SocketOption.XPUB_WELCOME_MSG, new byte[0], "welcome".getBytes(StandardCharsets.UTF_8));
        expect(SocketOption.ROUTER_HANDOVER, false, true);
        expect(SocketOption.AFFINITY, 0L, 1L);
        expect(SocketOption.CONNECT_TIMEOUT, 0, 500);
        expect(SocketOption.CONNECT_ROUTING_ID, new byte[0], "peer-2".getBytes(StandardCharsets.UTF_8));
        expect(SocketOption.PROBE_ROUTER, false, true);
        expect(SocketOption.STREAM_NOTIFY, true, false);
        expect(SocketOption.TOS, 0, 0x28);
        expect(SocketOption.INVERT_MATCHING, false, true);
        expect(SocketOption.IPV4ONLY, true, false);
        expect(SocketOption.PLAIN_SERVER, false, true);
        expect(SocketOption.PLAIN_USERNAME, "", "admin");
        expect(SocketOption.PLAIN_PASSWORD, "", "secret");
        expect(SocketOption.CURVE_SERVER, false, true);
        var keys = dev.zmq.security.CurveKeyPair.generate();
        expect(SocketOption.CURVE_PUBLICKEY, new byte[0], keys.publicKey());
        expect(SocketOption.CURVE_SECRETKEY, new byte[0], keys.secretKey());
        expect(SocketOption.CURVE_SERVERKEY, new byte[0], dev.zmq.security.CurveKeyPair.generate().publicKey());
        expect(SocketOption.ZAP_DOMAIN, "", "global");
        expect(SocketOption.RATE, 100, 10_000);
        expect(SocketOption.RECOVERY_IVL, 10_000, 5_000);
        expect(SocketOption.MULTICAST_HOPS, 1, 4);
        expect(SocketOption.MULTICAST_LOOP, true, false);
        expect(SocketOption.CONNECT_ALL_ADDRESSES, false, true); // not libzmq's
        expect(SocketOption.RESOLVE_IVL, 10_000, 500); // not libzmq's
    }

    private static <T> void expect(SocketOption<T> option, T libzmqDefault, T other) {
        LIBZMQ_DEFAULTS.put(option, libzmqDefault);
        OTHER_VALUES.put(option, other);
    }

    private static boolean applies(SocketOption<?> option, SocketType type) {
        var only = ONLY_ON.get(option);
        return only == null || only.contains(type);
    }

    private static void assertValue(Object expected, Object actual, String what) {
        if (expected instanceof byte[] e) {
            assertArrayEquals(e, (byte[]) actual, what);
        } else {
            assertEquals(expected, actual, what);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void setRaw(ZmqSocket socket, SocketOption<T> option, Object value) {
        socket.set(option, (T) value);
    }

    @Test
    void everyWritableOptionIsCoveredHere() {
        for (var option : SocketOption.all().values()) {
            if (!option.isReadOnly()) {
                assertTrue(LIBZMQ_DEFAULTS.containsKey(option), () -> "no expected default for " + option + ": add it to this test");
            }
        }
    }

    @Test
    void declaredDefaultsAreLibzmqs() {
        LIBZMQ_DEFAULTS.forEach((option, expected) -> assertValue(expected, option.defaultValue(), option + " default"));
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void freshSocketsReportLibzmqDefaults(SocketType type) {
        try (var ctx = new ZmqContext(); var socket = ctx.socket(type)) {
            LIBZMQ_DEFAULTS.forEach((option, expected) -> {
                if (applies(option, type)) {
                    // libzmq 4.3's xsub.cpp and dish.cpp: SUB, XSUB and DISH do not linger by default.
                    var fresh = option == SocketOption.LINGER
                            && (type == SocketType.SUB || type == SocketType.XSUB || type == SocketType.DISH) ? 0 : expected;
                    assertValue(fresh, socket.get(option), type + " " + option);
                }
            });
            assertSame(type, socket.get(SocketOption.TYPE));
            assertSame(type, socket.type());
            assertFalse(socket.get(SocketOption.RCVMORE));
            assertEquals("", socket.get(SocketOption.LAST_ENDPOINT));
        }
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void setThenGetReturnsTheValue(SocketType type) {
        try (var ctx = new ZmqContext(); var socket = ctx.socket(type)) {
            OTHER_VALUES.forEach((option, value) -> {
                if (applies(option, type)) {
                    setRaw(socket, option, value);
                    assertValue(value, socket.get(option), type + " " + option + " after set");
                }
            });
            // and back to the default
            LIBZMQ_DEFAULTS.forEach((option, value) -> {
                if (applies(option, type)) {
                    setRaw(socket, option, value);
                    assertValue(value, socket.get(option), type + " " + option + " after reset");
                }
            });
        }
    }

    @Test
    void readOnlyOptionsCannotBeSet() {
        try (var ctx = new ZmqContext(); var socket = ctx.socket(SocketType.DEALER)) {
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> socket.set(SocketOption.TYPE, SocketType.PUSH)).error());
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> socket.set(SocketOption.LAST_ENDPOINT, "tcp://x:1")).error());
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> socket.set(SocketOption.RCVMORE, true)).error());
            assertSame(SocketType.DEALER, socket.get(SocketOption.TYPE));
            assertTrue(SocketOption.TYPE.isReadOnly());
        }
    }

    @Test
    void invalidValuesAreRejectedAndLeaveTheOptionUnchanged() {
        try (var ctx = new ZmqContext(); var socket = ctx.socket(SocketType.DEALER)) {
            socket.set(SocketOption.SNDHWM, 42);
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> socket.set(SocketOption.SNDHWM, -1)).error());
            assertEquals(42, socket.get(SocketOption.SNDHWM));
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> socket.set(SocketOption.LINGER, -2)).error());
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> socket.set(SocketOption.RECONNECT_IVL, -5)).error());
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> socket.set(SocketOption.TCP_KEEPALIVE, 2)).error());
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> socket.set(SocketOption.MAXMSGSIZE, -7L)).error());
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> socket.set(SocketOption.ROUTING_ID, new byte[256])).error());
            assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class,
                    () -> socket.set(SocketOption.ROUTING_ID, new byte[] {0, 1, 2})).error(), "ids starting with 0 are reserved for generated ones");
            assertArrayEquals(new byte[0], socket.get(SocketOption.ROUTING_ID));
            var e = assertThrows(ZmqException.class, () -> socket.set(SocketOption.SNDHWM, null));
            assertEquals(ZmqError.EINVAL, e.error());
        }
    }

    @Test
    void typeSpecificOptionsAreRefusedElsewhereAsInLibzmq() {
        try (var ctx = new ZmqContext(); var dealer = ctx.socket(SocketType.DEALER)) {
            assertAll(ONLY_ON.keySet().stream().filter(option -> !applies(option, SocketType.DEALER)).map(option -> () -> {
                var e = assertThrows(ZmqException.class, () -> setRaw(dealer, option, OTHER_VALUES.get(option)),
                        () -> "libzmq refuses " + option + " on a DEALER with EINVAL");
                assertEquals(ZmqError.EINVAL, e.error());
            }));
        }
    }

    @Test
    void anEmptyPlainUserNameGoesBackToTheNullMechanismAsLibzmqsNullValue() {
        try (var ctx = new ZmqContext(); var socket = ctx.socket(SocketType.DEALER)) {
            socket.set(SocketOption.PLAIN_USERNAME, "admin");
            assertEquals("PLAIN", socket.get(SocketOption.MECHANISM));
            socket.set(SocketOption.PLAIN_USERNAME, "");
            assertEquals("NULL", socket.get(SocketOption.MECHANISM));
            socket.set(SocketOption.PLAIN_PASSWORD, "secret");
            assertEquals("PLAIN", socket.get(SocketOption.MECHANISM));
            socket.set(SocketOption.PLAIN_PASSWORD, "");
            assertEquals("NULL", socket.get(SocketOption.MECHANISM));
        }
    }

    @Test
    void ipv4OnlyIsTheInverseOfIpv6() {
        try (var ctx = new ZmqContext(); var socket = ctx.socket(SocketType.DEALER)) {
            socket.set(SocketOption.IPV4ONLY, false);
            assertTrue(socket.get(SocketOption.IPV6));
            socket.set(SocketOption.IPV6, false);
            assertTrue(socket.get(SocketOption.IPV4ONLY));
        }
    }

    @Test
    void connectRoutingIdAppliesToTheNextConnectOnly() {
        try (var ctx = new ZmqContext(); var router = ctx.socket(SocketType.ROUTER)) {
            router.set(SocketOption.CONNECT_ROUTING_ID, "first".getBytes(StandardCharsets.UTF_8));
            router.connect("inproc://connect-routing-id");
            assertArrayEquals(new byte[0], router.get(SocketOption.CONNECT_ROUTING_ID), "libzmq clears it at connect");
            try (var dealer = ctx.socket(SocketType.DEALER)) {
                dealer.bind("inproc://connect-routing-id");
                dealer.send("hello");
                var m = dev.zmq.testkit.Await.recv(router);
                assertEquals("first", m.frameString(0));
            }
        }
    }

    @Test
    void theRoutingIdValueIsCopied() {
        try (var ctx = new ZmqContext(); var socket = ctx.socket(SocketType.DEALER)) {
            var id = "abc".getBytes(StandardCharsets.UTF_8);
            socket.set(SocketOption.ROUTING_ID, id);
            id[0] = 'X';
            assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), socket.get(SocketOption.ROUTING_ID));
        }
    }

    @Test
    void optionsOfAClosedSocketAreNotAvailable() {
        try (var ctx = new ZmqContext()) {
            var socket = ctx.socket(SocketType.PUSH);
            socket.close();
            assertEquals(ZmqError.ENOTSOCK, assertThrows(ZmqException.class, () -> socket.set(SocketOption.SNDHWM, 1)).error());
            assertEquals(ZmqError.ENOTSOCK, assertThrows(ZmqException.class, () -> socket.get(SocketOption.SNDHWM)).error());
        }
    }

    @Test
    void byNameFindsOptionsTheWayLibzmqSpellsThem() {
        assertEquals(Optional.of(SocketOption.SNDHWM), SocketOption.byName("SNDHWM"));
        assertEquals(Optional.of(SocketOption.SNDHWM), SocketOption.byName("sndhwm"));
        assertEquals(Optional.of(SocketOption.RCVTIMEO), SocketOption.byName("ZMQ_RCVTIMEO"));
        assertEquals(Optional.of(SocketOption.RCVTIMEO), SocketOption.byName("zmq_rcvtimeo"));
        assertEquals(Optional.of(SocketOption.ROUTING_ID), SocketOption.byName("routing-id"));
        assertEquals(Optional.of(SocketOption.TCP_KEEPALIVE_IDLE), SocketOption.byName("tcp_keepalive_idle"));
        assertEquals(Optional.empty(), SocketOption.byName("NO_SUCH_OPTION"));
        assertEquals(Optional.empty(), SocketOption.byName(""));
        for (var entry : SocketOption.all().entrySet()) {
            assertEquals(entry.getKey(), entry.getValue().name());
            assertSame(entry.getValue(), SocketOption.byName(entry.getKey()).orElseThrow());
        }
        assertTrue(SocketOption.all().keySet().containsAll(Set.of("SNDHWM", "RCVHWM", "LINGER", "TYPE", "LAST_ENDPOINT", "RCVMORE")));
    }

    @Test
    void typedValuesAreChecked() {
        assertEquals(Long.class, SocketOption.MAXMSGSIZE.type());
        assertEquals(1024L, SocketOption.MAXMSGSIZE.validate(1024), "an int is widened for a long option");
        assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> SocketOption.SNDHWM.validate("10")).error());
        assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> SocketOption.TYPE.validate(SocketType.PAIR)).error());
    }
}
