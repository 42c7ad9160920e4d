package dev.zmq.faults;

import dev.zmq.testkit.Libzmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace joined to this one by a veth pair, created by a test and removed by
 * {@link #close()}: this JVM is {@link #HOST_IP}, the namespace {@link #PEER_IP}. Faults are made
 * with Debian's iptables (loss: {@code -m statistic}; partition: DROP) and {@code tc tbf} (a slow
 * link) inside the namespace, so nothing outside it is touched. Needs root; without it the tests
 * are skipped, unless ZMQ_REQUIRE_NETNS=1 (CI), which makes them fail instead.
 */
final class Netns implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String name;
    final String hostIp;
    final String peerIp;
    private final String hostVeth;
    private final String peerVeth;
    private final List<List<String>> rules = new ArrayList<>();

    private Netns() {
        int n = COUNTER.incrementAndGet();
        long pid = ProcessHandle.current().pid() % 10_000;
        this.name = "zmqf" + pid + "-" + n;
        int subnet = (int) ((pid * 7 + n) % 250) + 1;
        this.hostIp = "10.231." + subnet + ".1";
        this.peerIp = "10.231." + subnet + ".2";
        this.hostVeth = "zf" + pid + "h" + n;
        this.peerVeth = "zf" + pid + "p" + n;
    }

    /** Creates a namespace, or skips the test (fails it with ZMQ_REQUIRE_NETNS=1) when this process cannot. */
    static Netns create() throws Exception {
        var missing = whatIsMissing();
        if (missing != null) {
            if ("1".equals(System.getenv("ZMQ_REQUIRE_NETNS"))) {
                throw new AssertionError("ZMQ_REQUIRE_NETNS=1 but the network fault tests cannot run: " + missing
                        + " (run as root with iproute2 and iptables installed: apt-get install -y iproute2 iptables)");
            }
            assumeTrue(false, "network fault tests skipped: " + missing + " (set ZMQ_REQUIRE_NETNS=1 to make this a failure)");
        }
        var ns = new Netns();
        try {
            ns.setUp();
        } catch (Exception | AssertionError e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    private static String whatIsMissing() throws InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root";
        }
        for (var tool : List.of("/usr/sbin/ip", "/usr/sbin/iptables", "/usr/sbin/tc", "/usr/bin/python3")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " is missing";
            }
        }
        if (!Libzmq.isAvailable()) {
            return Libzmq.MISSING;
        }
        try {
            if (new ProcessBuilder("/usr/sbin/ip", "netns", "list").start().waitFor() != 0) {
                return "ip netns does not work here";
            }
        } catch (IOException e) {
            return "ip netns does not run: " + e.getMessage();
        }
        return null;
    }

    private void setUp() throws Exception {
        run("/usr/sbin/ip", "netns", "add", name);
        run("/usr/sbin/ip", "link", "add", hostVeth, "type", "veth", "peer", "name", peerVeth);
        run("/usr/sbin/ip", "link", "set", peerVeth, "netns", name);
        run("/usr/sbin/ip", "addr", "add", hostIp + "/24", "dev", hostVeth);
        run("/usr/sbin/ip", "link", "set", hostVeth, "up");
        inNs("/usr/sbin/ip", "addr", "add", peerIp + "/24", "dev", peerVeth);
        inNs("/usr/sbin/ip", "link", "set", peerVeth, "up");
        inNs("/usr/sbin/ip", "link", "set", "lo", "up");
    }

    /** Drops {@code percent}% of the packets entering and leaving the namespace. */
    void loss(int percent) throws Exception {
        var p = String.format(java.util.Locale.ROOT, "%.2f", percent / 100.0);
        addRule("INPUT", "-m", "statistic", "--mode", "random", "--probability", p, "-j", "DROP");
        addRule("OUTPUT", "-m", "statistic", "--mode", "random", "--probability", p, "-j", "DROP");
    }

    /** Cuts the namespace off: every packet in and out is dropped (TCP connections stay open, silent). */
    void partition() throws Exception {
        addRule("INPUT", "-i", peerVeth, "-j", "DROP");
        addRule("OUTPUT", "-o", peerVeth, "-j", "DROP");
    }

    /** Removes every loss and partition rule. */
    void heal() throws Exception {
        for (var rule : rules) {
            var cmd = new ArrayList<>(List.of("/usr/sbin/iptables", "-D"));
            cmd.addAll(rule);
            inNs(cmd.toArray(String[]::new));
        }
        rules.clear();
    }

    /** Limits what the namespace sends to {@code kbit} kbit/s (tc tbf on its end of the veth). */
    void slowLink(int kbit) throws Exception {
        inNs("/usr/sbin/tc", "qdisc", "add", "dev", peerVeth, "root", "tbf", "rate", kbit + "kbit", "burst", "16kbit", "latency", "500ms");
        run("/usr/sbin/tc", "qdisc", "add", "dev", hostVeth, "root", "tbf", "rate", kbit + "kbit", "burst", "16kbit", "latency", "500ms");
    }

    private void addRule(String chain, String... spec) throws Exception {
        var rule = new ArrayList<String>();
        rule.add(chain);
        rule.addAll(List.of(spec));
        var cmd = new ArrayList<>(List.of("/usr/sbin/iptables", "-A"));
        cmd.addAll(rule);
        inNs(cmd.toArray(String[]::new));
        rules.add(rule);
    }

    /** A command line that runs {@code command} inside the namespace. */
    List<String> exec(String... command) {
        var cmd = new ArrayList<>(List.of("/usr/sbin/ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return cmd;
    }

    private void inNs(String... command) throws Exception {
        run(exec(command).toArray(String[]::new));
    }

    static void run(String... command) throws Exception {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed: " + out);
    }

    /** Removes the namespace; with it go its veth end (and so the pair), its rules and its qdisc. */
    @Override
    public void close() throws Exception {
        var p = new ProcessBuilder("/usr/sbin/ip", "netns", "del", name).redirectErrorStream(true).start();
        p.waitFor(20, TimeUnit.SECONDS);
        var q = new ProcessBuilder("/usr/sbin/ip", "link", "del", hostVeth).redirectErrorStream(true).start();
        q.waitFor(20, TimeUnit.SECONDS); // normally gone with the namespace already
    }
}
