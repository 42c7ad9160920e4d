package dev.zmq.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child {@code /usr/bin/python3} (the system interpreter, which has pyzmq on libzmq 4.3) running a
 * script from the test resources; its stdout is read line by line with deadlines. Closing kills it.
 */
public final class PythonScript implements AutoCloseable {
    public static final String PYTHON = "/usr/bin/python3";
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();

    private PythonScript(Process process) {
        this.process = process;
        daemon(() -> pump(process.getInputStream(), line -> lines.add(line)), "python-stdout");
        daemon(() -> pump(process.getErrorStream(), line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
            }
        }), "python-stderr");
    }

    /** Runs the script at {@code resource} (a classpath path) with {@code args}. */
    public static PythonScript start(String resource, String... args) {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: apt-get install -y python3 python3-zmq");
        }
        String script;
        try (var in = PythonScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var command = new ArrayList<>(List.of(PYTHON, "-c", script));
        command.addAll(List.of(args));
        try {
            return new PythonScript(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + PYTHON, e);
        }
    }

    /** The next line the script prints; fails the test if none comes within {@code timeout}. */
    public String readLine(Duration timeout) {
        String line;
        try {
            line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (line == null) {
            fail("the python script printed nothing within " + timeout.toMillis() + " ms; stderr:\n" + stderr());
        }
        if (line.equals(EOF)) {
            lines.add(EOF);
            fail("the python script ended without printing the expected line; stderr:\n" + stderr());
        }
        return line;
    }

    /** {@link #readLine(Duration)} within {@link Await#SOON}. */
    public String readLine() {
        return readLine(Await.SOON);
    }

    /** Waits for the script to exit and returns its exit code; fails the test if it does not exit in time. */
    public int exitCode(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("the python script did not exit within " + timeout.toMillis() + " ms; stderr:\n" + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** What the script wrote to stderr so far. */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void pump(InputStream in, java.util.function.Consumer<String> sink) {
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException ignored) {
            // the process went away
        } finally {
            if (in == process.getInputStream()) {
                lines.add(EOF);
            }
        }
    }

    private static void daemon(Runnable r, String name) {
        var t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }
}
