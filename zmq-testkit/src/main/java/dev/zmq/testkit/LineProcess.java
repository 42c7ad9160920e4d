package dev.zmq.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assertions;

/**
 * A test's peer process that speaks a line protocol: commands on its stdin, one line per event on
 * its stdout. Its output is collected as it comes, so a test waits on a condition over the lines
 * with a deadline; its stderr is kept (bounded) for failure messages. {@link #close()} kills it and
 * its children.
 */
public final class LineProcess implements AutoCloseable {
    private final String label;
    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;

    /**
     * The peer's side of the protocol: a daemon thread reads this process's stdin into the returned
     * queue, one trimmed line per command, and adds {@code atEnd} when stdin closes (the test went away).
     */
    public static BlockingQueue<String> commandsFromStdin(String atEnd) {
        var commands = new LinkedBlockingQueue<String>();
        var reader = new Thread(() -> {
            try (var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    commands.add(line.trim());
                }
            } catch (IOException ignored) {
                // stdin broke: the same as closed
            }
            commands.add(atEnd);
        }, "stdin-commands");
        reader.setDaemon(true);
        reader.start();
        return commands;
    }

    private LineProcess(String label, Process process) {
        this.label = label;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
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

    /** Starts {@code command} ({@link Namespace#command} runs it inside a namespace); {@code label} names it in failures. */
    public static LineProcess start(String label, List<String> command) {
        try {
            return new LineProcess(label, new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + label + ": " + String.join(" ", command), e);
        }
    }

    private Thread follow(InputStream in, java.util.function.Consumer<String> sink) {
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
        }, "line-process-" + label);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** How many output lines so far match. */
    public int count(Predicate<String> match) {
        synchronized (lines) {
            return (int) lines.stream().filter(match).count();
        }
    }

    /**
     * Waits until {@code count} output lines match and returns the first {@code count} of them;
     * fails with the output so far when the deadline passes or the process ends first.
     */
    public List<String> await(Predicate<String> match, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                var found = lines.stream().filter(match).limit(count).toList();
                if (found.size() >= count) {
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !stdoutReader.isAlive()) {
                    Assertions.fail(label + ": expected " + count + " matching lines within " + timeout + " (have " + found.size() + ")"
                            + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; output: " + tail() + "; stderr: "
                            + stderr);
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

    /** Waits for a line equal to {@code line}. */
    public void awaitLine(String line, Duration timeout) {
        await(line::equals, 1, timeout);
    }

    /**
     * Waits for a line containing {@code word} and returns it. Containing, not equal: a library in
     * the process (OpenPGM) may write a warning to stdout without a newline before a protocol line.
     */
    public String awaitLineContaining(String word, Duration timeout) {
        return await(l -> l.contains(word), 1, timeout).get(0);
    }

    /** Waits for the process to end by itself and for its output to be read; returns its exit status. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Assertions.fail(label + " did not exit within " + timeout + "; output: " + tail() + "; stderr: " + stderr);
            }
            stdoutReader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Assertions.fail("interrupted waiting for " + label);
        }
        return process.exitValue();
    }

    /** The output lines so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Sends one command line. */
    public void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            Assertions.fail(label + " no longer reads commands (" + e.getMessage() + "); output: " + tail() + "; stderr: " + stderr);
        }
    }

    /** The last output lines and the process's stderr, for a failure message. */
    public String describe() {
        return label + ": output " + tail() + "; stderr: " + stderr;
    }

    private List<String> tail() {
        synchronized (lines) {
            return List.copyOf(lines.subList(Math.max(0, lines.size() - 50), lines.size()));
        }
    }

    /** Kills the process and its children and waits (a while) for it to end. */
    @Override
    public void close() {
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
        return describe();
    }
}
