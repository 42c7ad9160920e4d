package dev.zmq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every socket option libzmq 4.3 knows, on every socket type zmq-core builds: what a fresh socket
 * reads and whether a value is accepted, compared row by row with libzmq's own answers. The table
 * ({@code conformance/libzmq-option-table.tsv}) is written by
 * {@code src/test/python/libzmq_option_table.py} through pyzmq; run it again to refresh it.
 *
 * <p>Where zmq-core differs on purpose, the difference is listed below with its reason (and in the
 * README's "Deliberate differences from libzmq"); a listed difference that no longer occurs fails
 * the test too, so the list stays true.
 */
@Timeout(60)
class LibzmqOptionTableTest {
    private static final String TABLE = "/conformance/libzmq-option-table.tsv";
    private static final HexFormat HEX = HexFormat.of();
    /** libzmq's socket type numbers (zmq.h). */
    private static final List<SocketType> LIBZMQ_TYPE_NUMBERS = List.of(SocketType.PAIR, SocketType.PUB, SocketType.SUB,
            SocketType.REQ, SocketType.REP, SocketType.DEALER, SocketType.ROUTER, SocketType.PULL, SocketType.PUSH,
            SocketType.XPUB, SocketType.XSUB);

    /** libzmq 4.3 options zmq-core does not have, with the reason. */
    static final Map<String, String> NOT_BUILT = Map.ofEntries(
            Map.entry("FD", "Java has no file descriptors to poll: ZmqPoller polls sockets (and NIO channels) directly"),
            Map.entry("USE_FD", "the JDK cannot make a socket from a file descriptor"),
            Map.entry("TCP_MAXRT", "the JDK cannot set TCP_USER_TIMEOUT"),
            Map.entry("BINDTODEVICE", "the JDK cannot set SO_BINDTODEVICE"),
            Map.entry("TCP_ACCEPT_FILTER", "deprecated in libzmq; ZAP address filtering (ZapAuthenticator allow/deny) replaces it"),
            Map.entry("IPC_FILTER_PID", "deprecated in libzmq; ZAP replaces it (and the JDK does not give a peer's pid)"),
            Map.entry("IPC_FILTER_UID", "deprecated in libzmq; ZAP replaces it"),
            Map.entry("IPC_FILTER_GID", "deprecated in libzmq; ZAP replaces it"),
            Map.entry("GSSAPI_SERVER", "the GSSAPI mechanism is not built"),
            Map.entry("GSSAPI_PRINCIPAL", "the GSSAPI mechanism is not built"),
            Map.entry("GSSAPI_SERVICE_PRINCIPAL", "the GSSAPI mechanism is not built"),
            Map.entry("GSSAPI_PLAINTEXT", "the GSSAPI mechanism is not built"),
            Map.entry("GSSAPI_PRINCIPAL_NAMETYPE", "the GSSAPI mechanism is not built"),
            Map.entry("GSSAPI_SERVICE_PRINCIPAL_NAMETYPE", "the GSSAPI mechanism is not built"),
            Map.entry("SOCKS_PROXY", "connecting through a SOCKS proxy is not built"),
            Map.entry("ROUTER_RAW", "deprecated in libzmq: raw TCP is the STREAM socket's job"),
            Map.entry("MULTICAST_MAXTPDU", "the epgm transport does not take a maximum transport data unit option"));

    /** A deliberate difference: on {@code types} (all if empty), zmq-core answers {@code ours} where libzmq answers otherwise. */
    record Difference(String option, Column column, Set<SocketType> types, String ours, String reason) {
        boolean covers(Row row, Column c) {
            return option.equals(row.option()) && column == c && (types.isEmpty() || types.contains(row.type()));
        }
    }

    enum Column { GET, SET }

    private static final String WRITE_ONLY = "write-only in libzmq; readable here on the socket types that take it";
    private static final String DEFAULT_BACK = "an option's default can always be set back; libzmq refuses this default value";
    private static final Set<SocketType> ROUTERS = EnumSet.of(SocketType.ROUTER, SocketType.REP);
    private static final Set<SocketType> PUBLISHERS = EnumSet.of(SocketType.PUB, SocketType.XPUB);

    static final List<Difference> DIFFERENCES = List.of(
            new Difference("ROUTER_MANDATORY", Column.GET, ROUTERS, "0", WRITE_ONLY),
            new Difference("ROUTER_HANDOVER", Column.GET, ROUTERS, "0", WRITE_ONLY),
            new Difference("CONNECT_ROUTING_ID", Column.GET, ROUTERS, "x", WRITE_ONLY),
            new Difference("PROBE_ROUTER", Column.GET, EnumSet.of(SocketType.ROUTER, SocketType.REP, SocketType.DEALER, SocketType.REQ),
                    "0", WRITE_ONLY),
            new Difference("REQ_CORRELATE", Column.GET, EnumSet.of(SocketType.REQ), "0", WRITE_ONLY),
            new Difference("REQ_RELAXED", Column.GET, EnumSet.of(SocketType.REQ), "0", WRITE_ONLY),
            new Difference("XPUB_VERBOSE", Column.GET, PUBLISHERS, "0", WRITE_ONLY),
            new Difference("XPUB_VERBOSER", Column.GET, PUBLISHERS, "0", WRITE_ONLY),
            new Difference("XPUB_NODROP", Column.GET, PUBLISHERS, "0", WRITE_ONLY),
            new Difference("XPUB_MANUAL", Column.GET, PUBLISHERS, "0", WRITE_ONLY),
            new Difference("XPUB_WELCOME_MSG", Column.GET, PUBLISHERS, "x", WRITE_ONLY),
            new Difference("CURVE_PUBLICKEY", Column.GET, Set.of(), "x",
                    "libzmq reads a CURVE key only into a 32- or 41-byte buffer, which pyzmq does not pass; readable here"),
            new Difference("CURVE_SECRETKEY", Column.GET, Set.of(), "x",
                    "libzmq reads a CURVE key only into a 32- or 41-byte buffer, which pyzmq does not pass; readable here"),
            new Difference("CURVE_SERVERKEY", Column.GET, Set.of(), "x",
                    "libzmq reads a CURVE key only into a 32- or 41-byte buffer, which pyzmq does not pass; readable here"),
            new Difference("THREAD_SAFE", Column.GET, Set.of(), "1", "every zmq-core socket may be shared between threads"),
            new Difference("ROUTING_ID", Column.SET, Set.of(), "ok", DEFAULT_BACK + " (an empty routing id)"),
            new Difference("ZAP_DOMAIN", Column.SET, Set.of(), "ok", DEFAULT_BACK + " (an empty domain)"),
            new Difference("HEARTBEAT_TIMEOUT", Column.SET, Set.of(), "ok", DEFAULT_BACK + " (-1: use HEARTBEAT_IVL)"),
            new Difference("PLAIN_USERNAME", Column.SET, Set.of(), "ok",
                    "empty goes back to the NULL mechanism, as libzmq's zmq_setsockopt with a NULL value, which pyzmq cannot pass"),
            new Difference("PLAIN_PASSWORD", Column.SET, Set.of(), "ok",
                    "empty goes back to the NULL mechanism, as libzmq's zmq_setsockopt with a NULL value, which pyzmq cannot pass"),
            new Difference("SUBSCRIBE", Column.SET, EnumSet.of(SocketType.XSUB), "ok",
                    "XSUB takes subscribe(), which sends the subscription message upstream"),
            new Difference("UNSUBSCRIBE", Column.SET, EnumSet.of(SocketType.XSUB), "ok",
                    "XSUB takes unsubscribe(), which sends the unsubscription message upstream"));

    record Row(SocketType type, String option, String get, String setValue, String set) {
    }

    @Test
    void everyOptionOnEverySocketTypeAnswersAsLibzmq() throws IOException {
        var rows = table();
        assertTrue(rows.size() > 800, "the table has " + rows.size() + " rows");
        var mismatches = new ArrayList<String>();
        var used = new HashSet<Difference>();
        try (var ctx = new ZmqContext()) {
            for (var row : rows) {
                if (row.option().equals("SUBSCRIBE") || row.option().equals("UNSUBSCRIBE")) {
                    compare(row, Column.GET, "!EINVAL", mismatches, used); // subscribe()/unsubscribe() are calls, not options
                    compare(row, Column.SET, subscription(ctx, row), mismatches, used);
                    continue;
                }
                var option = SocketOption.byName(row.option());
                if (option.isEmpty()) {
                    if (!NOT_BUILT.containsKey(row.option()) && !(row.get().equals("!EINVAL") && row.set().equals("!EINVAL"))) {
                        mismatches.add(row.type() + " " + row.option() + ": libzmq knows it (get " + row.get() + ", set " + row.set()
                                + "), zmq-core has no such option: add it, or list it in NOT_BUILT with the reason");
                    }
                    continue;
                }
                compare(row, Column.GET, get(ctx, row.type(), option.get()), mismatches, used);
                compare(row, Column.SET, set(ctx, row.type(), option.get(), row.setValue()), mismatches, used);
            }
        }
        for (var name : NOT_BUILT.keySet()) {
            if (SocketOption.byName(name).isPresent()) {
                mismatches.add(name + " is listed in NOT_BUILT but zmq-core has it now: remove it from NOT_BUILT (and the README)");
            }
        }
        for (var d : DIFFERENCES) {
            if (!used.contains(d)) {
                mismatches.add("listed difference no longer occurs (remove it): " + d);
            }
        }
        assertEquals("", String.join("\n", mismatches), mismatches.size() + " differences from libzmq 4.3");
    }

    @Test
    void libzmqsOlderOptionNamesFindTheOptions() {
        assertSame(SocketOption.ROUTING_ID, SocketOption.byName("ZMQ_IDENTITY").orElseThrow());
        assertSame(SocketOption.CONNECT_ROUTING_ID, SocketOption.byName("connect-rid").orElseThrow());
        assertSame(SocketOption.IMMEDIATE, SocketOption.byName("DELAY_ATTACH_ON_CONNECT").orElseThrow());
        assertSame(SocketOption.ROUTER_MANDATORY, SocketOption.byName("ZMQ_ROUTER_BEHAVIOR").orElseThrow());
        assertSame(SocketOption.ROUTER_MANDATORY, SocketOption.byName("fail_unroutable").orElseThrow());
    }

    private static void compare(Row row, Column column, String ours, List<String> mismatches, Set<Difference> used) {
        var theirs = column == Column.GET ? row.get() : row.set();
        for (var d : DIFFERENCES) {
            if (d.covers(row, column) && !ours.equals(theirs)) {
                used.add(d);
                if (!ours.equals(d.ours())) {
                    mismatches.add(row.type() + " " + row.option() + " " + column + ": zmq-core " + ours + ", deliberately "
                            + d.ours() + " (libzmq " + theirs + ")");
                }
                return;
            }
        }
        if (!ours.equals(theirs)) {
            mismatches.add(row.type() + " " + row.option() + " " + column
                    + (column == Column.SET ? " " + row.setValue() : "") + ": libzmq " + theirs + ", zmq-core " + ours);
        }
    }

    private static String get(ZmqContext ctx, SocketType type, SocketOption<?> option) {
        return onFreshSocket(ctx, type, s -> render(option, s.get(option)));
    }

    private static <T> String set(ZmqContext ctx, SocketType type, SocketOption<T> option, String value) {
        return onFreshSocket(ctx, type, s -> {
            s.set(option, parse(option, value));
            return "ok";
        });
    }

    private static String subscription(ZmqContext ctx, Row row) {
        var prefix = HEX.parseHex(row.setValue().substring(1));
        return onFreshSocket(ctx, row.type(), s -> {
            if (row.option().equals("SUBSCRIBE")) {
                s.subscribe(prefix);
            } else {
                s.unsubscribe(prefix);
            }
            return "ok";
        });
    }

    private interface SocketCall {
        String apply(ZmqSocket socket);
    }

    private static String onFreshSocket(ZmqContext ctx, SocketType type, SocketCall call) {
        try (var socket = ctx.socket(type)) {
            return call.apply(socket);
        } catch (ZmqException e) {
            return "!" + e.error().name();
        }
    }

    /** The value as the table writes it: integers in decimal (booleans 0/1), byte strings as x&lt;hex&gt;. */
    static String render(SocketOption<?> option, Object value) {
        if (option == SocketOption.MECHANISM) {
            return Integer.toString(List.of("NULL", "PLAIN", "CURVE").indexOf((String) value));
        }
        if (value instanceof SocketType t) {
            return Integer.toString(LIBZMQ_TYPE_NUMBERS.indexOf(t));
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (value instanceof byte[] b) {
            return "x" + HEX.formatHex(b);
        }
        if (value instanceof String s) {
            return "x" + HEX.formatHex(s.getBytes(StandardCharsets.UTF_8));
        }
        return String.valueOf(value);
    }

    /** The table's value as {@code option}'s Java type. */
    static <T> T parse(SocketOption<T> option, String value) {
        var type = option.type();
        Object parsed;
        if (type == byte[].class) {
            parsed = HEX.parseHex(value.substring(1));
        } else if (type == String.class) {
            parsed = value.startsWith("x") ? new String(HEX.parseHex(value.substring(1)), StandardCharsets.UTF_8) : value;
        } else if (type == Boolean.class) {
            parsed = Long.parseLong(value) != 0;
        } else if (type == Long.class) {
            parsed = Long.parseLong(value);
        } else if (type == SocketType.class) {
            parsed = LIBZMQ_TYPE_NUMBERS.get(Integer.parseInt(value));
        } else {
            parsed = Integer.parseInt(value);
        }
        return type.cast(parsed);
    }

    static List<Row> table() throws IOException {
        var rows = new ArrayList<Row>();
        try (InputStream in = LibzmqOptionTableTest.class.getResourceAsStream(TABLE)) {
            var lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (var line : lines) {
                if (line.startsWith("#") || line.startsWith("type\t") || line.isBlank()) {
                    continue;
                }
                var f = line.split("\t", -1);
                rows.add(new Row(SocketType.valueOf(f[0]), f[1], f[2], f[3], f[4]));
            }
        }
        return rows;
    }
}
