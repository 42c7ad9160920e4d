package dev.zmq.transport.udp;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The multicast scenario of {@link UdpMulticastTest}, run in a child JVM inside the test's namespace:
 * four DISHes bound to one group and port (the interface named by NIC name, by address, as * and not
 * at all), two RADIOs (with and without an interface), a plain socket joined to the group that sees
 * our RADIOs' datagrams as they are, and a plain socket that sends one built from libzmq's format.
 * Rounds are sent until every DISH has seen what it should, or 10 s pass (datagrams may be lost);
 * then it prints what each saw, one line per DISH, and the raw datagrams.
 */
public final class UdpMulticastPeer {
    private static final String GROUP = "239.192.9.9";

    private UdpMulticastPeer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        var lo = NetworkInterface.getByName("lo");
        try (var ctx = new ZmqContext(); var raw = DatagramChannel.open(StandardProtocolFamily.INET);
                var rawSender = DatagramChannel.open(StandardProtocolFamily.INET)) {
            var dishes = new LinkedHashMap<String, ZmqSocket>();
            dishes.put("by-name", dish(ctx, "udp://lo;" + GROUP + ":" + port, "weather"));
            dishes.put("by-address", dish(ctx, "udp://127.0.0.1;" + GROUP + ":" + port, "weather"));
            dishes.put("no-interface", dish(ctx, "udp://" + GROUP + ":" + port, "news"));
            dishes.put("star", dish(ctx, "udp://*;" + GROUP + ":" + port, "weather"));

            raw.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            raw.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            raw.bind(new InetSocketAddress(port));
            raw.join(InetAddress.getByName(GROUP), lo);
            raw.configureBlocking(false);

            var radio = ctx.socket(SocketType.RADIO);
            radio.set(SocketOption.MULTICAST_HOPS, 2);
            radio.connect("udp://127.0.0.1;" + GROUP + ":" + port);
            var plainRadio = ctx.socket(SocketType.RADIO);
            plainRadio.connect("udp://" + GROUP + ":" + port);

            var expected = Map.of("by-name", Set.of("weather:sunny", "weather:second"), "by-address", Set.of("weather:sunny", "weather:second"),
                    "no-interface", Set.of("news:headline", "news:from-raw"), "star", Set.of("weather:sunny", "weather:second"));
            var seen = new LinkedHashMap<String, TreeSet<String>>();
            dishes.keySet().forEach(k -> seen.put(k, new TreeSet<>()));
            var rawSeen = new TreeSet<String>();
            var fromRaw = new byte[] {4, 'n', 'e', 'w', 's', 'f', 'r', 'o', 'm', '-', 'r', 'a', 'w'};
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && !done(seen, expected)) {
                radio.send(Message.of("sunny").withGroup("weather"));
                radio.send(Message.of("headline").withGroup("news"));
                plainRadio.send(Message.of("second").withGroup("weather"));
                rawSender.send(ByteBuffer.wrap(fromRaw), new InetSocketAddress(GROUP, port));
                for (var e : dishes.entrySet()) {
                    Message m;
                    while ((m = e.getValue().recv(Duration.ofMillis(20))) != null) {
                        seen.get(e.getKey()).add(m.group() + ":" + new String(m.first(), StandardCharsets.UTF_8));
                    }
                }
                var buffer = ByteBuffer.allocate(9000);
                while (raw.receive(buffer.clear()) != null) {
                    rawSeen.add(HexFormat.of().formatHex(buffer.array(), 0, buffer.position()));
                }
            }
            seen.forEach((name, got) -> System.out.println("dish " + name + " " + String.join(",", got)));
            System.out.println("discarded by-name " + dishes.get("by-name").statistics().messagesDiscarded());
            rawSeen.forEach(hex -> System.out.println("raw " + hex));
            radio.close();
            plainRadio.close();
            dishes.values().forEach(ZmqSocket::close);
        }
    }

    private static ZmqSocket dish(ZmqContext ctx, String endpoint, String group) {
        var dish = ctx.socket(SocketType.DISH);
        dish.bind(endpoint);
        dish.join(group);
        return dish;
    }

    private static boolean done(Map<String, TreeSet<String>> seen, Map<String, Set<String>> expected) {
        return expected.entrySet().stream().allMatch(e -> seen.get(e.getKey()).containsAll(e.getValue()));
    }

    /** For the test: the lines a complete run prints for the DISHes. */
    static List<String> expectedDishLines() {
        return List.of("dish by-name weather:second,weather:sunny", "dish by-address weather:second,weather:sunny",
                "dish no-interface news:from-raw,news:headline", "dish star weather:second,weather:sunny");
    }
}
