package dev.zmq.transport.udp;

import dev.zmq.testkit.Namespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * The udp tests' view of a multicast {@link Namespace}: a JVM cannot enter a namespace, so our side
 * runs there as a child JVM that plays a whole scenario and prints what it saw, and the test's
 * plain-socket peers run there in the background.
 */
final class MulticastNamespace implements AutoCloseable {
    private final Namespace ns;

    private MulticastNamespace(Namespace ns) {
        this.ns = ns;
    }

    /** Creates the namespace, or skips (fails under ZMQ_REQUIRE_NETNS=1) when this machine cannot. */
    static MulticastNamespace create() {
        return new MulticastNamespace(Namespace.multicast("zmqudp"));
    }

    /** Runs {@code main} in a child JVM inside the namespace until it exits; returns its output lines (stdout and stderr). */
    List<String> java(Class<?> main, int timeoutSeconds, String... args) {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return List.of(Namespace.run(timeoutSeconds, ns.command(command).toArray(new String[0])).split("\n"));
    }

    /** Starts {@code command} inside the namespace in the background (the test's peer that must listen first). */
    Background start(String... command) {
        try {
            return new Background(new ProcessBuilder(ns.command(List.of(command))).redirectErrorStream(true).start());
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

    @Override
    public void close() {
        ns.close();
    }
}
