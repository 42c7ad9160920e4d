package dev.zmq.transport.epgm;

import dev.zmq.testkit.Libzmq;
import dev.zmq.testkit.LineProcess;
import dev.zmq.testkit.Namespace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A network namespace a test creates and removes, with only a multicast-capable loopback, so
 * multicast and packet loss never touch the host's interfaces. Processes started in it (our side in
 * a child JVM, libzmq's in Python; {@link LineProcess}es speaking the epgm peers' line protocol) are
 * killed when it closes.
 *
 * <p>The namespace itself is {@link Namespace#multicast}: skipped without root and iproute2,
 * unless ZMQ_REQUIRE_NETNS=1 (CI), where it fails.
 */
final class Netns implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";

    private final Namespace ns;
    private final List<LineProcess> peers = Collections.synchronizedList(new ArrayList<>());

    private Netns(Namespace ns) {
        this.ns = ns;
    }

    /** Creates the namespace, or skips (fails under ZMQ_REQUIRE_NETNS=1) when this machine cannot. */
    static Netns create() {
        return new Netns(Namespace.multicast("zmqpgm"));
    }

    /** Drops incoming UDP at random with {@code probability} (iptables' statistic match) inside the namespace. */
    void dropUdp(double probability) {
        exec("iptables", "-A", "INPUT", "-p", "udp", "-m", "statistic", "--mode", "random", "--probability",
                Double.toString(probability), "-j", "DROP");
    }

    /**
     * Drops every PGM SPM whose SPM sequence number is 0 (the first a source sends) inside the
     * namespace, and lets the next two (the rest of a source's announcement, sequence numbers 1 and
     * 2) through whatever {@link #dropUdp} drops: iptables' u32 match on the UDP payload (PGM type at
     * byte 4 is 0, the SPM's own sequence number at bytes 16-19), both rules ahead of the random one.
     */
    void dropFirstSpm() {
        exec("iptables", "-I", "INPUT", "1", "-p", "udp", "-m", "u32", "--u32", "0>>22&0x3C@12>>24=0x0&&0>>22&0x3C@24=0x1:0x2", "-j",
                "ACCEPT");
        exec("iptables", "-I", "INPUT", "1", "-p", "udp", "-m", "u32", "--u32", "0>>22&0x3C@12>>24=0x0&&0>>22&0x3C@24=0x0", "-j", "DROP");
    }

    /** The IPv6 address of the publishers' end of {@link #addIpv6Link()}. */
    static final String IPV6_PUB = "fd00::1";
    /** The IPv6 address of the subscribers' end of {@link #addIpv6Link()}. */
    static final String IPV6_SUB = "fd00::2";

    /**
     * Adds a veth pair with IPv6 addresses {@link #IPV6_PUB} and {@link #IPV6_SUB} (no duplicate
     * address detection, so they are usable at once): IPv6 multicast sent on one end arrives on the
     * other, which the loopback does not do for OpenPGM.
     */
    void addIpv6Link() {
        exec("ip", "link", "add", "zpub", "type", "veth", "peer", "name", "zsub");
        for (var nic : List.of("zpub", "zsub")) {
            exec("ip", "link", "set", nic, "up");
            exec("ip", "link", "set", nic, "multicast", "on");
        }
        exec("ip", "-6", "addr", "add", IPV6_PUB + "/64", "dev", "zpub", "nodad");
        exec("ip", "-6", "addr", "add", IPV6_SUB + "/64", "dev", "zsub", "nodad");
    }

    /** Drops incoming IPv6 UDP at random with {@code probability} inside the namespace. */
    void dropUdp6(double probability) {
        exec("ip6tables", "-A", "INPUT", "-p", "udp", "-m", "statistic", "--mode", "random", "--probability",
                Double.toString(probability), "-j", "DROP");
    }

    /** Runs a command inside the namespace and waits for it; fails with its output if it fails. */
    void exec(String... command) {
        ns.exec(command);
    }

    /** Starts our side ({@link EpgmPeer}) in a child JVM inside the namespace. */
    LineProcess ours(String... args) {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), EpgmPeer.class.getName()));
        command.addAll(List.of(args));
        return start("ours " + args[0], command);
    }

    /** Starts libzmq's side ({@code epgm/epgm_peer.py} on Debian's pyzmq) inside the namespace. */
    LineProcess libzmq(String... args) {
        Path script;
        try {
            script = Path.of(Netns.class.getResource("/epgm/epgm_peer.py").toURI());
        } catch (Exception e) {
            throw new IllegalStateException("epgm/epgm_peer.py is missing from the test classpath", e);
        }
        Libzmq.assumeAvailable();
        var command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(args));
        return start("libzmq " + args[0], command);
    }

    /** Starts the junk sender ({@code epgm/epgm_noise.py}) for {@code group:port} inside the namespace. */
    LineProcess noise(String group, int port) {
        Path script;
        try {
            script = Path.of(Netns.class.getResource("/epgm/epgm_noise.py").toURI());
        } catch (Exception e) {
            throw new IllegalStateException("epgm/epgm_noise.py is missing from the test classpath", e);
        }
        Libzmq.assumeAvailable(); // the noise is a Python script too: same interpreter, same prerequisite
        return start("noise", List.of(PYTHON, script.toString(), group, Integer.toString(port)));
    }

    private LineProcess start(String label, List<String> command) {
        var peer = LineProcess.start(label, ns.command(command));
        peers.add(peer);
        return peer;
    }

    @Override
    public void close() {
        synchronized (peers) {
            for (var p : peers) {
                p.close();
            }
        }
        ns.close();
    }
}
