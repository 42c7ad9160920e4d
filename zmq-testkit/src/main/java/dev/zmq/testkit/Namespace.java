package dev.zmq.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace a test creates and removes, so multicast, loss and partitions never touch the
 * host's interfaces. {@link #multicast} gives the setup the multicast tests share: only a loopback,
 * with multicast on and a route for 224.0.0.0/4.
 *
 * <p>Needs root and iproute2; without them the test is skipped with one line, unless
 * {@code ZMQ_REQUIRE_NETNS=1} (CI), where it fails.
 */
public final class Namespace implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    /** Host-side ends of the veth pairs {@link #link} made to the test's own namespace, removed on close. */
    private final List<String> hostLinks = new ArrayList<>();

    private Namespace(String name) {
        this.name = name;
    }

    /**
     * Creates a namespace with only its loopback, up, named {@code prefix} plus this JVM's pid and a
     * counter; skips the test (fails it under ZMQ_REQUIRE_NETNS=1) where this machine cannot. Join
     * it to another with {@link #link}.
     */
    public static Namespace create(String prefix) {
        assumeAvailable();
        var ns = new Namespace(prefix + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet());
        try {
            run(30, "ip", "netns", "add", ns.name);
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /**
     * The two ends of a veth pair made by {@link #link}: {@code here} in the namespace it was called
     * on, {@code there} in the other one (or the test's own).
     */
    public record Veth(String here, String there) {
    }

    /**
     * Joins this namespace to {@code other} ({@code null}: the namespace the test runs in) by a veth
     * pair, both ends up with multicast on, {@code hereCidr} (e.g. {@code 10.77.0.1/24}) on this
     * end and {@code thereCidr} on the other. IPv6 addresses ({@code fd00::1/64}) are added without
     * duplicate address detection, so they are usable at once. What one end sends, and only that,
     * arrives on the other: unlike on a loopback, a multicast datagram sent out of one end reaches
     * the sender's own namespace only through IP_MULTICAST_LOOP.
     */
    public Veth link(Namespace other, String hereCidr, String thereCidr) {
        int n = COUNTER.incrementAndGet();
        // interface names are at most 15 characters
        var base = "zv" + ProcessHandle.current().pid() % 1_000_000 + "x" + n;
        var veth = new Veth(base + "a", base + "b");
        run(30, "ip", "link", "add", veth.here(), "type", "veth", "peer", "name", veth.there());
        if (other == null) {
            hostLinks.add(veth.there());
        }
        run(30, "ip", "link", "set", veth.here(), "netns", name);
        if (other != null) {
            run(30, "ip", "link", "set", veth.there(), "netns", other.name);
        }
        exec(address(veth.here(), hereCidr));
        exec("ip", "link", "set", veth.here(), "up", "multicast", "on");
        if (other != null) {
            other.exec(address(veth.there(), thereCidr));
            other.exec("ip", "link", "set", veth.there(), "up", "multicast", "on");
        } else {
            run(30, address(veth.there(), thereCidr));
            run(30, "ip", "link", "set", veth.there(), "up", "multicast", "on");
        }
        return veth;
    }

    private static String[] address(String nic, String cidr) {
        return cidr.contains(":") ? new String[] {"ip", "-6", "addr", "add", cidr, "dev", nic, "nodad"}
                : new String[] {"ip", "addr", "add", cidr, "dev", nic};
    }

    /**
     * Creates a namespace whose loopback carries multicast, named {@code prefix} plus this JVM's pid
     * and a counter; skips the test (fails it under ZMQ_REQUIRE_NETNS=1) where this machine cannot.
     */
    public static Namespace multicast(String prefix) {
        assumeAvailable();
        var ns = new Namespace(prefix + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet());
        try {
            run(30, "ip", "netns", "add", ns.name);
            ns.exec("ip", "link", "set", "lo", "up");
            ns.exec("ip", "link", "set", "lo", "multicast", "on");
            ns.exec("ip", "route", "add", "224.0.0.0/4", "dev", "lo");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /**
     * Skips the calling test (fails it under ZMQ_REQUIRE_NETNS=1) unless namespaces can be made here
     * and every one of {@code tools} (e.g. {@code iptables}, {@code tc}) is installed.
     */
    public static void assumeAvailable(String... tools) {
        var why = unavailable();
        for (int i = 0; why == null && i < tools.length; i++) {
            if (tool(tools[i]) == null) {
                why = tools[i] + " is missing (apt-get install -y iproute2 iptables)";
            }
        }
        if (why != null) {
            if ("1".equals(System.getenv("ZMQ_REQUIRE_NETNS"))) {
                Assertions.fail("ZMQ_REQUIRE_NETNS=1 but network namespaces are unavailable: " + why);
            }
            Assumptions.abort("network namespace tests skipped: " + why + " (set ZMQ_REQUIRE_NETNS=1 to make this a failure)");
        }
    }

    private static String unavailable() {
        if (tool("ip") == null) {
            return "the ip command (iproute2) is missing: apt-get install -y iproute2";
        }
        try {
            var p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return out.equals("0") ? null : "not root (uid " + out + ")";
        } catch (IOException e) {
            return "cannot run id: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Path tool(String name) {
        for (var dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            var p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The namespace's name, for {@code ip netns exec}. */
    public String name() {
        return name;
    }

    /** {@code command} prefixed so that it runs inside the namespace. */
    public List<String> command(List<String> command) {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /** Runs a command inside the namespace and waits up to 30 s for it; fails with its output if it fails. */
    public void exec(String... command) {
        run(30, command(List.of(command)).toArray(new String[0]));
    }

    /**
     * Runs {@code command} (on the host; prefix it with {@link #command} to run it inside) until it
     * exits and returns its output (stdout and stderr); fails with that output when it fails or
     * outlives {@code timeoutSeconds}, killing it and its children.
     */
    public static String run(int timeoutSeconds, String... command) {
        try {
            var p = new ProcessBuilder(command).redirectErrorStream(true).start();
            // Read on another thread, so a child that prints a lot cannot block on a full pipe.
            var output = new CompletableFuture<String>();
            var reader = new Thread(() -> {
                try {
                    output.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.complete("(output lost: " + e + ")");
                }
            }, "netns-output");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s; output: "
                        + output.getNow("(none yet)"));
            }
            var out = output.get(10, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    /**
     * Removes the namespace, and with it its ends of the veth pairs (so the pairs); close the
     * processes started in it first (it goes with its last process anyway).
     */
    @Override
    public void close() {
        try {
            run(30, "ip", "netns", "del", name);
        } catch (RuntimeException e) {
            // nothing more useful to report: the namespace disappears with its last process
        }
        for (var nic : hostLinks) {
            try {
                run(30, "ip", "link", "del", nic);
            } catch (RuntimeException e) {
                // normally gone with the namespace already
            }
        }
    }
}
