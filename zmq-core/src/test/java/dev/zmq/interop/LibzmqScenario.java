package dev.zmq.interop;

import dev.zmq.testkit.Libzmq;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one scenario of {@code conformance/libzmq_scenarios.py} on libzmq (Debian's python3-zmq at
 * {@code /usr/bin/python3}) and returns the lines it printed; {@link Observations} collects the
 * same lines from zmq-core, so a test compares the two lists.
 */
final class LibzmqScenario {
    private static final String SCRIPT = "/conformance/libzmq_scenarios.py";
    private static final long TIMEOUT_SECONDS = 90;

    private LibzmqScenario() {
    }

    /** The lines libzmq printed for {@code scenario} run with {@code args}. */
    static List<String> run(String scenario, String... args) {
        Libzmq.assumeAvailable();
        var python = Path.of(LibzmqProcess.PYTHON);
        if (!Files.isExecutable(python)) {
            fail(python + " is missing; the conformance scenarios need libzmq through it: apt-get install -y python3-zmq");
        }
        try {
            var script = Files.createTempFile("libzmq_scenarios", ".py");
            try (var in = LibzmqScenario.class.getResourceAsStream(SCRIPT)) {
                Files.write(script, in.readAllBytes());
            }
            var command = new ArrayList<>(List.of(python.toString(), script.toString(), scenario));
            command.addAll(List.of(args));
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail("libzmq scenario " + scenario + " did not finish within " + TIMEOUT_SECONDS + " s");
                }
                var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    fail("libzmq scenario " + scenario + " failed (exit " + process.exitValue() + "):\n" + output);
                }
                return output.lines().toList();
            } finally {
                process.destroyForcibly();
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What zmq-core showed, in the script's format ("name value", frames as x&lt;hex&gt; joined by commas). */
    static final class Observations {
        private final List<String> lines = new ArrayList<>();

        void add(String name, String value) {
            lines.add(name + " " + value);
        }

        List<String> lines() {
            return lines;
        }

        static String frames(dev.zmq.Message message) {
            if (message == null) {
                return "none";
            }
            var parts = new ArrayList<String>();
            for (var frame : message.frames()) {
                parts.add("x" + HexFormat.of().formatHex(frame));
            }
            return String.join(",", parts);
        }
    }
}
