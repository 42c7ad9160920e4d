package dev.zmq.transport.epgm;

import dev.zmq.testkit.Libzmq;
import dev.zmq.testkit.Namespace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;

/**
 * A network namespace a test creates and removes, with only a multicast-capable loopback, so
 * multicast and packet loss never touch the host's interfaces. Processes started in it (our side in
 * a child JVM, libzmq's in Python) are killed when it closes.
 *
 * <p>The namespace itself is {@link Namespace#multicast}: skipped without root and iproute2,
 * unless ZMQ_REQUIRE_NETNS=1 (CI), where it fails.
 */
final class Netns implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";

    private final Namespace ns;
    private final List<Peer> peers = Collections.synchronizedList(new ArrayList<>());

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
     * namespace: iptables' u32 match on the UDP payload (PGM type at byte 4 is 0, the SPM's own
     * sequence number at bytes 16-19 is 0).
     */
    void dropFirstSpm() {
        exec("iptables", "-I", "INPUT", "-p", "udp", "-m", "u32", "--u32", "0>>22&0x3C@12>>24=0x0&&0>>22&0x3C@24=0x0", "-j", "DROP");
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
    Peer ours(String... args) {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), EpgmPeer.class.getName()));
        command.addAll(List.of(args));
        return start("ours " + args[0], command);
    }

    /** Starts libzmq's side ({@code epgm/epgm_peer.py} on Debian's pyzmq) inside the namespace. */
    Peer libzmq(String... args) {
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
    Peer noise(String group, int port) {
        Path script;
        try {
            script = Path.of(Netns.class.getResource("/epgm/epgm_noise.py").toURI());
        } catch (Exception e) {
            throw new IllegalStateException("epgm/epgm_noise.py is missing from the test classpath", e);
        }
        Libzmq.assumeAvailable(); // the noise is a Python script too: same interpreter, same prerequisite
        return start("noise", List.of(PYTHON, script.toString(), group, Integer.toString(port)));
    }

    private Peer start(String label, List<String> command) {
        try {
            var peer = new Peer(label, new ProcessBuilder(ns.command(command)).start());
            peers.add(peer);
            return peer;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + label, e);
        }
    }

    @Override
    public void close() {
        synchronized (peers) {
            for (var p : peers) {
                p.kill();
            }
        }
        ns.close();
    }

    /** A process in the namespace speaking the line protocol of the epgm peers. */
    static final class Peer {
        private final String label;
        private final Process process;
        private final Writer stdin;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final StringBuffer stderr = new StringBuffer();
        private final Thread stdoutReader;

        Peer(String label, Process process) {
            this.label = label;
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
            stdoutReader = follow(process.getInputStream(), line -> {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            });
            follow(process.getErrorStream(), line -> {
                if (stderr.length() < 20_000) {
                    stderr.append(line).append('\n');
                }
            });
        }

        private Thread follow(java.io.InputStream in, java.util.function.Consumer<String> sink) {
            var t = new Thread(() -> {
                try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        sink.accept(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                synchronized (lines) {
                    lines.notifyAll();
                }
            }, "epgm-peer-" + label);
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** Waits until {@code count} output lines match; returns them, or fails with the peer's output. */
        List<String> await(Predicate<String> match, int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (lines) {
                while (true) {
                    var found = lines.stream().filter(match).toList();
                    if (found.size() >= count) {
                        return found.subList(0, count);
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || (!process.isAlive() && !stdoutReader.isAlive())) {
                        Assertions.fail(label + ": expected " + count + " matching lines within " + timeout + (process.isAlive() ? "" : " (exited "
                                + process.exitValue() + ")") + "; output: " + lines + "; stderr: " + stderr);
                    }
                    try {
                        lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        Assertions.fail("interrupted waiting for " + label);
                    }
                }
            }
        }

        /**
         * Waits for a line containing {@code word}. Not "starting with": OpenPGM writes its warnings
         * to the same stdout without a newline of its own at times, so a protocol line may follow one.
         */
        String awaitLine(String word, Duration timeout) {
            return await(l -> l.contains(word), 1, timeout).get(0);
        }

        void send(String line) {
            try {
                stdin.write(line + "\n");
                stdin.flush();
            } catch (IOException e) {
                Assertions.fail(label + " no longer reads commands (" + e.getMessage() + "); output: " + lines + "; stderr: " + stderr);
            }
        }

        /** Waits for the process to end by itself; returns its exit status. */
        int awaitExit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    Assertions.fail(label + " did not exit within " + timeout + "; output: " + lines + "; stderr: " + stderr);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Assertions.fail("interrupted waiting for " + label);
            }
            return process.exitValue();
        }

        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return label + " " + lines;
        }
    }
}
