package dev.zmq.samples.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace a test creates and removes, with a multicast-capable loopback (and a route
 * for 224.0.0.0/4 on it), so a sample's multicast (epgm) never touches the host's interfaces. Run
 * processes in it with {@link SampleProcess#jarIn} and {@link SampleProcess#guideIn}.
 *
 * <p>Needs root and iproute2: without them the test is skipped, unless {@code ZMQ_REQUIRE_NETNS=1}
 * (CI), where it fails.
 */
public final class MulticastNamespace implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;

    private MulticastNamespace(String name) {
        this.name = name;
    }

    /** Creates the namespace, or skips the test (fails it under ZMQ_REQUIRE_NETNS=1) where this machine cannot. */
    public static MulticastNamespace create() {
        String why = unavailable();
        if (why != null) {
            if ("1".equals(System.getenv("ZMQ_REQUIRE_NETNS"))) {
                Assertions.fail("ZMQ_REQUIRE_NETNS=1 but network namespaces are unavailable: " + why);
            }
            Assumptions.abort("network namespace tests skipped: " + why + " (set ZMQ_REQUIRE_NETNS=1 to make this a failure)");
        }
        var ns = new MulticastNamespace("zmqsample" + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet());
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

    /** The namespace's name, for {@code ip netns exec}. */
    public String name() {
        return name;
    }

    private static String unavailable() {
        try {
            var p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            if (!out.equals("0")) {
                return "not root (uid " + out + ")";
            }
            var ip = new ProcessBuilder("ip", "-V").redirectErrorStream(true).start();
            ip.getInputStream().readAllBytes();
            if (ip.waitFor() != 0) {
                return "the ip command (iproute2) does not work";
            }
        } catch (IOException e) {
            return "cannot run id or ip (" + e.getMessage() + "): apt-get install -y iproute2";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    private void exec(String... command) {
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

    /** Removes the namespace; close the processes started in it first. */
    @Override
    public void close() {
        try {
            run("ip", "netns", "del", name);
        } catch (RuntimeException e) {
            // it goes with its last process anyway
        }
    }
}
