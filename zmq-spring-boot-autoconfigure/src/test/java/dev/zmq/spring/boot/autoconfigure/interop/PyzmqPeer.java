package dev.zmq.spring.boot.autoconfigure.interop;

import dev.zmq.testkit.Libzmq;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A child {@code /usr/bin/python3} process running {@code interop/pyzmq_peer.py} (libzmq through pyzmq). */
final class PyzmqPeer implements AutoCloseable {
    private static final String PYTHON = Libzmq.PYTHON;

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer errors = new StringBuffer();

    private PyzmqPeer(Process process) {
        this.process = process;
        pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), lines::add, "out");
        pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), l -> errors.append(l).append('\n'), "err");
    }

    static PyzmqPeer start(String... args) throws IOException {
        return startScript("pyzmq_peer.py", args);
    }

    /** Runs another script of {@code src/test/resources/interop}. */
    static PyzmqPeer startScript(String name, String... args) throws IOException {
        Libzmq.assumeAvailable();
        var script = Files.createTempFile(name.replace(".py", ""), ".py");
        try (var in = PyzmqPeer.class.getResourceAsStream("/interop/" + name)) {
            Files.write(script, in.readAllBytes());
        }
        script.toFile().deleteOnExit();
        var command = new ArrayList<String>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(args));
        return new PyzmqPeer(new ProcessBuilder(command).start());
    }

    private static void pump(BufferedReader reader, java.util.function.Consumer<String> sink, String name) {
        var t = new Thread(() -> {
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "pyzmq-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** The next stdout line, which must start with {@code prefix + " "}; returns the rest. */
    String expect(String prefix, Duration timeout) throws InterruptedException {
        var line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("pyzmq peer said nothing within " + timeout + "; alive=" + process.isAlive() + " stderr:\n" + errors);
        }
        if (!line.equals(prefix) && !line.startsWith(prefix + " ")) {
            throw new AssertionError("pyzmq peer said '" + line + "', expected " + prefix + "; stderr:\n" + errors);
        }
        return line.length() > prefix.length() ? line.substring(prefix.length() + 1) : "";
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("pyzmq peer still running after " + timeout + "; stderr:\n" + errors);
        }
        return process.exitValue();
    }

    String stderr() {
        return errors.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
