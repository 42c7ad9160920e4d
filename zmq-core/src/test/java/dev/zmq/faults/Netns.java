package dev.zmq.faults;

import dev.zmq.testkit.Libzmq;
import dev.zmq.testkit.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace ({@link Namespace}) joined to the test's own by a veth pair: this JVM is
 * {@link #hostIp}, the namespace {@link #peerIp}. Faults are made with Debian's iptables (loss:
 * {@code -m statistic}; partition: DROP) and {@code tc tbf} (a slow link) inside the namespace, so
 * nothing outside it is touched. Skipped without root, iproute2, iptables, tc or libzmq's Python
 * peer, unless ZMQ_REQUIRE_NETNS=1 (CI), which makes them fail instead.
 */
final class Netns implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String hostIp;
    final String peerIp;
    private final Namespace ns;
    /** {@code here}: the namespace's end; {@code there}: the host's. */
    private final Namespace.Veth veth;
    private final List<List<String>> rules = new ArrayList<>();

    private Netns(Namespace ns, Namespace.Veth veth, String hostIp, String peerIp) {
        this.ns = ns;
        this.veth = veth;
        this.hostIp = hostIp;
        this.peerIp = peerIp;
    }

    /** Creates a namespace, or skips the test (fails it with ZMQ_REQUIRE_NETNS=1) when this process cannot. */
    static Netns create() {
        Namespace.assumeAvailable("iptables", "tc");
        Libzmq.assumeAvailable();
        // The host side's subnet is visible to the whole machine: one per JVM and namespace.
        int subnet = (int) ((ProcessHandle.current().pid() * 7 + COUNTER.incrementAndGet()) % 250) + 1;
        var hostIp = "10.231." + subnet + ".1";
        var peerIp = "10.231." + subnet + ".2";
        var ns = Namespace.create("zmqf");
        try {
            return new Netns(ns, ns.link(null, peerIp + "/24", hostIp + "/24"), hostIp, peerIp);
        } catch (RuntimeException | Error e) {
            ns.close();
            throw e;
        }
    }

    /** Drops {@code percent}% of the packets entering and leaving the namespace. */
    void loss(int percent) {
        var p = String.format(Locale.ROOT, "%.2f", percent / 100.0);
        addRule("INPUT", "-m", "statistic", "--mode", "random", "--probability", p, "-j", "DROP");
        addRule("OUTPUT", "-m", "statistic", "--mode", "random", "--probability", p, "-j", "DROP");
    }

    /** Cuts the namespace off: every packet in and out is dropped (TCP connections stay open, silent). */
    void partition() {
        addRule("INPUT", "-i", veth.here(), "-j", "DROP");
        addRule("OUTPUT", "-o", veth.here(), "-j", "DROP");
    }

    /** Removes every loss and partition rule. */
    void heal() {
        for (var rule : rules) {
            var cmd = new ArrayList<>(List.of("iptables", "-D"));
            cmd.addAll(rule);
            ns.exec(cmd.toArray(String[]::new));
        }
        rules.clear();
    }

    /** Limits what the namespace sends to {@code kbit} kbit/s (tc tbf on its end of the veth). */
    void slowLink(int kbit) {
        ns.exec("tc", "qdisc", "add", "dev", veth.here(), "root", "tbf", "rate", kbit + "kbit", "burst", "16kbit", "latency", "500ms");
        Namespace.run(30, "tc", "qdisc", "add", "dev", veth.there(), "root", "tbf", "rate", kbit + "kbit", "burst", "16kbit", "latency",
                "500ms");
    }

    private void addRule(String chain, String... spec) {
        var rule = new ArrayList<String>();
        rule.add(chain);
        rule.addAll(List.of(spec));
        var cmd = new ArrayList<>(List.of("iptables", "-A"));
        cmd.addAll(rule);
        ns.exec(cmd.toArray(String[]::new));
        rules.add(rule);
    }

    /** A command line that runs {@code command} inside the namespace. */
    List<String> exec(String... command) {
        return ns.command(List.of(command));
    }

    /** Removes the namespace; with it go its veth end (and so the pair), its rules and its qdisc. */
    @Override
    public void close() {
        ns.close();
    }
}
