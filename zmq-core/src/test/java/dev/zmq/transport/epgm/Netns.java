package dev.zmq.transport.epgm;

import dev.zmq.testkit.Libzmq;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace a test creates and removes, with only a multicast-capable loopback, so
 * multicast and packet loss never touch the host's interfaces. Processes started in it (our side in
 * a child JVM, libzmq's in Python) are killed when it closes.
 *
 * <p>Needs root and iproute2; without them the test is skipped, unless ZMQ_REQUIRE_NETNS=1 (CI),
 * where it fails.
 */
final class Netns implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    static final String PYTHON = "/usr/bin/python3";

    private final String name;
    private final List<Peer> peers = Collections.synchronizedList(new ArrayList<>());

    private Netns(String name) {
        this.name = name;
    }

    /** Creates the namespace, or skips (fails under ZMQ_REQUIRE_NETNS=1) when this machine cannot. */
    static Netns create() {
        String why = unavailable();
        if (why != null) {
            if ("1".equals(System.getenv("ZMQ_REQUIRE_NETNS"))) {
                Assertions.fail("ZMQ_REQUIRE_NETNS=1 but network namespaces are unavailable: " + why);
            }
            Assumptions.abort("network namespace tests skipped: " + why + " (set ZMQ_REQUIRE_NETNS=1 to make this a failure)");
        }
        var ns = new Netns("zmqpgm" + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet());
        try {
            run("ip", "netns", "add", ns.name);
            ns.exec("ip", "link", "set", "lo", "up");
            ns.exec("ip", "link", "set", "lo", "multicast", "on");
            ns.exec("ip", "route", "add", "224.0.0.0/4", "dev", "lo");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    private static String unavailable() {
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip")) && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
            return "the ip command (iproute2) is missing: apt-get install -y iproute2";
        }
        try {
            var p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            if (!out.equals("0")) {
                return "not root (uid " + out + ")";
            }
        } catch (IOException e) {
            return "cannot run id: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
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

    /** Runs a command inside the namespace and waits for it; fails with its output if it fails. */
    void exec(String... command) {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        run(full.toArray(new String[0]));
    }

    private static void run(String... command) {
        try {
            var p = new ProcessBuilder(command).redirectErrorStream(true).start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
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
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        try {
            var peer = new Peer(label, new ProcessBuilder(full).start());
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
        try {
            run("ip", "netns", "del", name);
        } catch (RuntimeException e) {
            // the namespace goes with its last process anyway; report nothing more useful here
        }
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
