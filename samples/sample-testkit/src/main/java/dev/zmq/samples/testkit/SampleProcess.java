package dev.zmq.samples.testkit;

import dev.zmq.testkit.Libzmq;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process of a sample's integration test: the sample's jar (system property
 * {@code sample.jar}, set by the samples' failsafe configuration), one of the Guide's Python
 * programs in the sample's {@code guide/} folder ({@code sample.guide}), or a script. Its output
 * (stdout and stderr together) is collected line by line so a test can wait for a line with a
 * deadline. {@link #close()} always ends it.
 */
public final class SampleProcess implements AutoCloseable {
    private static final Path JAR = Path.of(System.getProperty("sample.jar", "target/sample.jar"));
    private static final Path GUIDE = Path.of(System.getProperty("sample.guide", "guide"));
    private static final String PYTHON = Libzmq.PYTHON; // Debian's, with pyzmq (libzmq)

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final Thread reader;

    private SampleProcess(String name, List<String> command) {
        this(name, command, Map.of());
    }

    private SampleProcess(String name, List<String> command, Map<String, String> environment) {
        this.name = name;
        try {
            var builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            this.process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + command, e);
        }
        this.reader = new Thread(this::read, "output-of-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** This sample's executable jar with {@code args} (a role profile and overrides). */
    public static SampleProcess jar(String name, String... args) {
        return jar(name, List.of(), args);
    }

    /**
     * This sample's executable jar started on the code Spring AOT generated at build time
     * ({@code -Dspring.aot.enabled=true}); Boot refuses to start that way if the jar has none.
     */
    public static SampleProcess aotJar(String name, String... args) {
        return jar(name, List.of("-Dspring.aot.enabled=true"), args);
    }

    private static SampleProcess jar(String name, List<String> jvmOptions, String... args) {
        return new SampleProcess(name, jarCommand(jvmOptions, args));
    }

    /** This sample's jar, as {@link #jar}, run inside the network namespace {@code netns} ({@code ip netns exec}). */
    public static SampleProcess jarIn(String netns, String name, String... args) {
        var command = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        command.addAll(jarCommand(List.of(), args));
        return new SampleProcess(name, command);
    }

    /** One of the Guide's programs, as {@link #guide}, run inside the network namespace {@code netns}. */
    public static SampleProcess guideIn(String netns, String name, String script, String... args) {
        Libzmq.assumeAvailable();
        var command = new ArrayList<>(List.of("ip", "netns", "exec", netns, PYTHON, "-u", GUIDE.resolve(script).toString()));
        command.addAll(List.of(args));
        return new SampleProcess(name, command);
    }

    private static List<String> jarCommand(List<String> jvmOptions, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the integration tests with mvn verify (after package)");
        }
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** One of the Guide's programs under {@code guide/}, run by libzmq's Python binding. */
    public static SampleProcess guide(String name, String script, String... args) {
        Libzmq.assumeAvailable();
        var command = new ArrayList<>(List.of(PYTHON, "-u", GUIDE.resolve(script).toString()));
        command.addAll(List.of(args));
        return new SampleProcess(name, command);
    }

    /**
     * An executable script with {@code environment} added to ours, and this JVM's {@code java}
     * first on the PATH (so the script runs the jar on the same JDK as the tests).
     */
    public static SampleProcess script(String name, Path script, Map<String, String> environment, String... args) {
        var env = new HashMap<>(environment);
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + System.getenv("PATH"));
        var command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        return new SampleProcess(name, command, env);
    }

    private void read() {
        try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            int c;
            while ((c = in.read()) != -1) {
                synchronized (this) {
                    if (c == '\n') {
                        lines.add(partial.toString());
                        partial.setLength(0);
                    } else {
                        partial.append((char) c);
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        synchronized (this) {
            if (!partial.isEmpty()) {
                lines.add(partial.toString());
                partial.setLength(0);
            }
            notifyAll();
        }
    }

    /** Waits for a line in which {@code regex} is found; fails with the output so far after {@code timeout}. */
    public Matcher awaitLine(String regex, Duration timeout) {
        var pattern = Pattern.compile(regex);
        int[] checked = {0};
        return awaitOutput(() -> {
            for (; checked[0] < lines.size(); checked[0]++) {
                var matcher = pattern.matcher(lines.get(checked[0]));
                if (matcher.find()) {
                    return matcher;
                }
            }
            return null;
        }, "no line matching /" + regex + "/", timeout);
    }

    /**
     * Waits until {@code count} lines equal to {@code line} were printed; fails with the output so far after
     * {@code timeout}. Output reaches us through a reader thread, so a line the process printed before another
     * process saw its effect may still be on its way here: wait for it rather than read {@link #output()} once.
     */
    public void awaitLineCount(String line, int count, Duration timeout) {
        awaitOutput(() -> lines.stream().filter(line::equals).count() >= count ? Boolean.TRUE : null,
                "fewer than " + count + " lines '" + line + "'", timeout);
    }

    /**
     * Waits, holding this process's output, until {@code found} gives a result (null: not yet); rechecked on
     * every character the reader adds. Fails after {@code timeout}, or once the process and its reader ended.
     */
    private synchronized <T> T awaitOutput(Supplier<T> found, String missing, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var result = found.get();
            if (result != null) {
                return result;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                throw new AssertionError(name + " printed " + missing + " within " + timeout
                        + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + "; output:\n" + output());
            }
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Waits for the process to exit on its own; its exit status. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + "; output:\n" + output());
            }
            reader.join(5_000); // the rest of its output
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /**
     * Sends SIGTERM (as a service manager would) and waits for the exit; its exit status. Through
     * the process handle: {@code Process.destroy()} would also close our end of its output, losing
     * what it prints while it shuts down.
     */
    public int terminate(Duration timeout) {
        process.toHandle().destroy();
        return awaitExit(timeout);
    }

    /** Writes {@code text} to the process's standard input. */
    public void type(String text) {
        try {
            var stdin = process.getOutputStream();
            stdin.write(text.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError(name + " does not take input: " + e.getMessage() + "; output:\n" + output(), e);
        }
    }

    /** Everything printed so far. */
    public synchronized String output() {
        var all = String.join("\n", lines);
        return partial.isEmpty() ? all : all + "\n" + partial;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
