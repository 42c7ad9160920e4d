package dev.zmq.transport.udp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace the test creates and removes, whose only interface is a loopback with
 * multicast on and a route for 224.0.0.0/4 (the setup of issue 14, as epgm's {@code Netns} makes
 * it), so multicast never touches the host's interfaces. A JVM cannot enter a namespace, so our side
 * runs there as a child JVM that plays a whole scenario and prints what it saw.
 *
 * <p>Needs root and iproute2; without them the test is skipped, unless ZMQ_REQUIRE_NETNS=1 (CI),
 * where it fails.
 */
final class MulticastNamespace implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final String name;

    private MulticastNamespace(String name) {
        this.name = name;
    }

    /** Creates the namespace, or skips (fails under ZMQ_REQUIRE_NETNS=1) when this machine cannot. */
    static MulticastNamespace create() {
        var why = unavailable();
        if (why != null) {
            if ("1".equals(System.getenv("ZMQ_REQUIRE_NETNS"))) {
                Assertions.fail("ZMQ_REQUIRE_NETNS=1 but network namespaces are unavailable: " + why);
            }
            Assumptions.abort("network namespace tests skipped: " + why + " (set ZMQ_REQUIRE_NETNS=1 to make this a failure)");
        }
        var ns = new MulticastNamespace("zmqudp" + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet());
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

    private static String unavailable() {
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip")) && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
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

    void exec(String... command) {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        run(30, full.toArray(new String[0]));
    }

    /** Runs {@code main} in a child JVM inside the namespace until it exits; returns its output lines (stdout and stderr). */
    List<String> java(Class<?> main, int timeoutSeconds, String... args) {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of("ip", "netns", "exec", name, java, "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return List.of(run(timeoutSeconds, command.toArray(new String[0])).split("\n"));
    }

    /** Starts {@code command} inside the namespace in the background (the test's peer that must listen first). */
    Background start(String... command) {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        try {
            return new Background(new ProcessBuilder(full).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", command), e);
        }
    }

    /** A process in the namespace whose output lines are collected as they come; killed on close. */
    static final class Background implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        Background(Process process) {
            this.process = process;
            reader = new Thread(() -> {
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                synchronized (lines) {
                    lines.notifyAll();
                }
            }, "netns-background");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits until a line equals {@code line}; fails with the output so far if it does not come in time or the process ends. */
        void awaitLine(String line, java.time.Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (lines) {
                while (!lines.contains(line)) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || !reader.isAlive()) {
                        Assertions.fail("expected '" + line + "' within " + timeout + "; output: " + lines);
                    }
                    lines.wait(Math.min(left, 200));
                }
            }
        }

        /** Waits for the process to end and returns its output lines. */
        List<String> awaitExit(java.time.Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Assertions.fail("did not exit within " + timeout + "; output: " + snapshot());
            }
            reader.join(timeout.toMillis());
            return snapshot();
        }

        private List<String> snapshot() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String run(int timeoutSeconds, String... command) {
        try {
            var p = new ProcessBuilder(command).redirectErrorStream(true).start();
            // Read on another thread, so a child that prints a lot cannot block on a full pipe.
            var output = new java.util.concurrent.CompletableFuture<String>();
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
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    @Override
    public void close() {
        try {
            run(30, "ip", "netns", "del", name);
        } catch (RuntimeException e) {
            // the namespace goes with its last process anyway; nothing more useful to report here
        }
    }
}
