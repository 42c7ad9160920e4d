package dev.zmq.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zmq.testkit.Libzmq;
import dev.zmq.testkit.LineProcess;
import dev.zmq.testkit.Namespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MULTICAST_LOOP on the wire. On a loopback interface the kernel delivers a group's datagrams to the
 * sender's own host whatever IP_MULTICAST_LOOP says, so here two network namespaces the test
 * creates and removes are joined by a veth pair: the sender and a local receiver in namespace
 * "here", a remote receiver in namespace "there". A datagram sent out of the veth reaches a local
 * receiver only through the kernel's multicast loopback.
 *
 * <p>Every "gets nothing" is fenced: the remote receiver has got many of the messages, then a
 * sender in the remote namespace sends until the local receiver has got one of its messages, so the
 * local receiver demonstrably listens on the group while it gets none of the local sender's.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MulticastLoopTest {
    private static final String HERE = "10.77.0.1";
    private static final String THERE = "10.77.0.2";
    private static final String HERE6 = "fd77::1";
    private static final String THERE6 = "fd77::2";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Messages the remote receiver must have got from a local sender before the local receiver's count is judged. */
    private static final int REMOTE_COUNT = 40;

    /**
     * udp (RADIO to DISH), IPv4 and IPv6: libzmq's udp_engine sets IP_MULTICAST_LOOP (IPv6:
     * IPV6_MULTICAST_LOOP) from MULTICAST_LOOP on the sending socket, default 1 (options.cpp). With the
     * default the local DISH gets the local RADIO's messages as the remote receiver does; with 0 the
     * remote receiver still gets them and the local DISH none.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ipv4", "ipv6"})
    void udpLoopsBackToLocalDishesByDefaultAndNotWithMulticastLoopOff(String family) {
        int port = 5601;
        boolean v6 = family.equals("ipv6");
        var group = v6 ? "ff08::7:1" : "239.192.5.1";
        try (var link = Link.create()) {
            // IPv4 names the interface by its address, IPv6 by its name (fe80/fd00 addresses need a scope)
            var here = v6 ? link.veth.here() : HERE;
            var there = v6 ? link.veth.there() : THERE;
            var remote = link.there(python("udp-recv", there, group, Integer.toString(port)));
            remote.awaitLine("READY", WAIT);
            var local = link.here(ours("udp", here, v6 ? "[" + group + "]" : group, port));
            local.awaitLine("READY", WAIT);

            local.send("send on default");
            local.await(l -> l.equals("LOOP 1"), 1, WAIT);
            remote.await(got("on"), REMOTE_COUNT, WAIT);
            local.await(got("on"), REMOTE_COUNT, WAIT); // the default (1): looped back to the local DISH
            stop(local);

            local.send("send off 0");
            local.await(l -> l.equals("LOOP 0"), 1, WAIT);
            remote.await(got("off"), REMOTE_COUNT, WAIT);
            stop(local);
            fence(link, local, python("udp-send", there, group, Integer.toString(port), "fence"));
            assertEquals(0, local.count(got("off")), () -> "MULTICAST_LOOP=0 yet the local DISH got the local RADIO's messages: "
                    + local.describe());
        }
    }

    /**
     * epgm (PUB to SUB): libzmq 4.3 turns PGM's multicast loopback off whatever MULTICAST_LOOP says
     * (pgm_socket.cpp sets PGM_MULTICAST_LOOP to 0; the option is for udp), so a SUB on the
     * publisher's host hears it only where the interface is a loopback. Ours does the same, and the
     * same scenario with libzmq's PUB shows it does: the remote SUB (libzmq's) gets the messages, the
     * local SUB (ours) none, with MULTICAST_LOOP 1 (the default) as with 0.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ours", "libzmq"})
    void epgmNeverLoopsBackWhateverMulticastLoopSaysAsLibzmq(String publisher) {
        Libzmq.assumeAvailable();
        int port = 5602;
        var group = "239.192.5.2";
        var endpointHere = "epgm://" + HERE + ";" + group + ":" + port;
        try (var link = Link.create()) {
            var remote = link.there(python("pgm-sub", "epgm://" + THERE + ";" + group + ":" + port));
            remote.awaitLine("READY", WAIT);
            var local = link.here(ours("epgm", HERE, group, port));
            local.awaitLine("READY", WAIT);
            for (var loop : List.of("1", "0")) {
                var tag = "loop" + loop;
                if (publisher.equals("ours")) {
                    local.send("send " + tag + " " + loop);
                    local.await(l -> l.equals("LOOP " + loop), 1, WAIT);
                    remote.await(got(tag), REMOTE_COUNT, WAIT);
                    stop(local);
                } else {
                    var pub = link.here(python("pgm-pub", endpointHere, tag, loop));
                    pub.await(l -> l.contains("READY"), 1, WAIT);
                    remote.await(got(tag), REMOTE_COUNT, WAIT);
                    pub.send("stop");
                    pub.await(l -> l.contains("STOPPED"), 1, WAIT);
                }
            }
            fence(link, local, python("pgm-pub", "epgm://" + THERE + ";" + group + ":" + port, "fence", "1"));
            for (var tag : List.of("loop1", "loop0")) {
                assertEquals(0, local.count(got(tag)), () -> "a SUB on the " + publisher + " PUB's host got its " + tag
                        + " messages over epgm, which libzmq never loops back: " + local.describe());
            }
        }
    }

    /** Messages with body {@code tag-i}. */
    private static Predicate<String> got(String tag) {
        // contains, not startsWith: OpenPGM may print a warning without a newline before a line
        return l -> l.contains("GOT " + tag + "-");
    }

    private static void stop(LineProcess local) {
        int before = local.count(l -> l.startsWith("STOPPED"));
        local.send("stop");
        local.await(l -> l.startsWith("STOPPED"), before + 1, WAIT);
    }

    /** Sends from the remote namespace until the local receiver has got one of those messages. */
    private static void fence(Link link, LineProcess local, List<String> sender) {
        var fence = link.there(sender);
        fence.await(l -> l.contains("READY"), 1, WAIT);
        local.await(got("fence"), 1, WAIT);
        fence.send("stop");
    }

    private static List<String> ours(String transport, String address, String group, int port) {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                MulticastLoopPeer.class.getName(), transport, address, group, Integer.toString(port));
    }

    private static List<String> python(String... args) {
        Path script;
        try {
            script = Path.of(MulticastLoopTest.class.getResource("/multicast/loop_peer.py").toURI());
        } catch (Exception e) {
            throw new IllegalStateException("multicast/loop_peer.py is missing from the test classpath", e);
        }
        var command = new ArrayList<>(List.of(Libzmq.PYTHON, "-u", script.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Namespaces "here" ({@link #HERE}, {@link #HERE6}) and "there" ({@link #THERE}, {@link #THERE6})
     * joined by a veth pair, each routing IPv4 multicast out of its end; the processes started in them are killed on close.
     */
    private static final class Link implements AutoCloseable {
        private final Namespace here;
        private final Namespace there;
        final Namespace.Veth veth;
        private final List<LineProcess> processes = new ArrayList<>();

        private Link(Namespace here, Namespace there, Namespace.Veth veth) {
            this.here = here;
            this.there = there;
            this.veth = veth;
        }

        static Link create() {
            var here = Namespace.create("zmqlh");
            Namespace there = null;
            try {
                there = Namespace.create("zmqlt");
                var veth = here.link(there, HERE + "/24", THERE + "/24");
                here.exec("ip", "route", "add", "224.0.0.0/4", "dev", veth.here());
                there.exec("ip", "route", "add", "224.0.0.0/4", "dev", veth.there());
                here.exec("ip", "-6", "addr", "add", HERE6 + "/64", "dev", veth.here(), "nodad");
                there.exec("ip", "-6", "addr", "add", THERE6 + "/64", "dev", veth.there(), "nodad");
                return new Link(here, there, veth);
            } catch (RuntimeException | Error e) {
                if (there != null) {
                    there.close();
                }
                here.close();
                throw e;
            }
        }

        LineProcess here(List<String> command) {
            return start(here, "here", command);
        }

        LineProcess there(List<String> command) {
            return start(there, "there", command);
        }

        private LineProcess start(Namespace ns, String where, List<String> command) {
            // named by what follows the program (the class or the script): its role and arguments
            int args = command.indexOf(MulticastLoopPeer.class.getName()) + 1;
            var label = where + " " + String.join(" ", command.subList(args > 0 ? args : 3, command.size()));
            var p = LineProcess.start(label, ns.command(command));
            processes.add(p);
            return p;
        }

        @Override
        public void close() {
            processes.forEach(LineProcess::close);
            there.close();
            here.close();
        }
    }
}
