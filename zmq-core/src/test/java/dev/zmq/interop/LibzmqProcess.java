package dev.zmq.interop;

import dev.zmq.testkit.Libzmq;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child {@code /usr/bin/python3} running {@code interop/zmq_peer.py}: libzmq through pyzmq,
 * driven one command line at a time (the protocol is described in the script). The child enforces
 * its own timeouts; this side adds a grace period on top and kills the child if it stays silent,
 * exits, or this JVM shuts down. Failures carry the child's stderr.
 */
final class LibzmqProcess implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = "/interop/zmq_peer.py";
    private static final String INSTALL_HINT = "install pyzmq for the system interpreter: apt-get install -y python3-zmq";
    /** What the child may take beyond the timeout it was given for a command. */
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> responses = new LinkedBlockingQueue<>();
    private final StreamTail stderr;
    private final Thread shutdownHook;
    private final String version;
    private volatile boolean broken;

    private LibzmqProcess(List<String> interpreter, Path script) throws IOException {
        var command = new ArrayList<>(interpreter);
        command.add(script.toString());
        process = new ProcessBuilder(command).start();
        shutdownHook = new Thread(process::destroyForcibly, "libzmq-peer-killer");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        stderr = StreamTail.follow(process.getErrorStream(), "libzmq-peer-stderr");
        daemon("libzmq-peer-stdout", () -> readLines(process.getInputStream())).start();
        version = hello();
    }

    /**
     * Starts the child and checks that it answers and that pyzmq is importable.
     *
     * @throws IllegalStateException with the fix if python3 or pyzmq is missing
     */
    static LibzmqProcess start() {
        Libzmq.assumeAvailable();
        return start(List.of(PYTHON));
    }

    /** Starts the peer with another interpreter command line (the script path is appended). */
    static LibzmqProcess start(List<String> interpreter) {
        if (!Files.isExecutable(Path.of(interpreter.get(0)))) {
            throw new IllegalStateException(interpreter.get(0) + " is missing; the libzmq interop peer needs it: apt-get install -y python3 python3-zmq");
        }
        try {
            return new LibzmqProcess(interpreter, extractScript());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + PYTHON, e);
        }
    }

    /** {@code "<libzmq version> <pyzmq version>"}. */
    String version() {
        return version;
    }

    /** The child's process handle, to check it is gone after {@link #close()}. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isUsable() {
        return !broken && process.isAlive();
    }

    /**
     * Sends one command and returns what follows {@code ok} in the answer (possibly empty).
     *
     * @param childTimeout the longest the child may legitimately block on this command
     * @throws ZmqException for an {@code err <ERRNO>} answer, e.g. EAGAIN or EHOSTUNREACH
     * @throws IllegalStateException if the child failed, died or did not answer in time (it is then killed)
     */
    synchronized String command(String line, Duration childTimeout) {
        if (broken) {
            throw new IllegalStateException("libzmq peer is no longer usable" + diagnostics());
        }
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw die("cannot write `" + abbreviate(line) + "` to the libzmq peer: " + e);
        }
        String answer;
        try {
            answer = responses.poll(childTimeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw die("interrupted while waiting for `" + abbreviate(line) + "`");
        }
        if (answer == null) {
            throw die("libzmq peer did not answer `" + abbreviate(line) + "` within " + childTimeout.plus(GRACE));
        }
        if (answer == EOF) {
            throw die("libzmq peer exited while running `" + abbreviate(line) + "`");
        }
        if (answer.equals("ok")) {
            return "";
        }
        if (answer.startsWith("ok ")) {
            return answer.substring(3);
        }
        if (answer.startsWith("err ")) {
            int space = answer.indexOf(' ', 4);
            var name = space < 0 ? answer.substring(4) : answer.substring(4, space);
            var error = errorNamed(name);
            if (error.isEmpty()) {
                // A failure of the script itself: the answer carries the whole Python traceback.
                throw new IllegalStateException("libzmq peer: `" + abbreviate(line) + "` failed: "
                        + answer.replace(" | ", "\n    ") + diagnostics());
            }
            throw new ZmqException(error.get(), "libzmq: `" + abbreviate(line) + "` failed: " + abbreviate(answer));
        }
        throw die("unexpected answer from the libzmq peer to `" + abbreviate(line) + "`: " + abbreviate(answer));
    }

    /** Ends the child: closes its stdin (it exits on EOF), then kills it if it lingers. */
    @Override
    public void close() {
        broken = true;
        try {
            stdin.close();
        } catch (IOException ignored) {
            // The child is gone already.
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: nothing to remove.
        }
    }

    private String hello() {
        try {
            return command("hello", Duration.ofSeconds(20));
        } catch (IllegalStateException e) {
            int code = exitCode();
            if (code == 3) {
                throw new IllegalStateException("pyzmq is not importable by " + PYTHON + "; " + INSTALL_HINT + diagnostics(), e);
            }
            throw new IllegalStateException("the libzmq peer (" + PYTHON + " with pyzmq) did not start; if pyzmq is missing, "
                    + INSTALL_HINT + diagnostics(), e);
        }
    }

    private int exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private IllegalStateException die(String why) {
        broken = true;
        // Kill through the handle: Process.destroyForcibly() also closes our end of stderr, and a drain thread that
        // had not yet read the child's last words (e.g. "No module named 'zmq'" before exit 3) then loses them.
        process.toHandle().destroyForcibly();
        return new IllegalStateException(why + diagnostics());
    }

    private String diagnostics() {
        if (!process.isAlive()) {
            stderr.awaitEnd(Duration.ofSeconds(2)); // its last words may still be in the pipe
        }
        var tail = stderr.text();
        var state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "\n  libzmq peer process " + process.pid() + " " + state
                + (tail.isBlank() ? ", stderr empty" : ", stderr:\n" + tail.indent(4));
    }

    private void readLines(InputStream in) {
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16)) {
            for (String line; (line = reader.readLine()) != null; ) {
                responses.add(line);
            }
        } catch (IOException ignored) {
            // Killed: EOF below tells the waiting command.
        }
        responses.add(EOF);
    }

    private static Optional<ZmqError> errorNamed(String name) {
        try {
            return Optional.of(ZmqError.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Path extractScript() throws IOException {
        try (var in = LibzmqProcess.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("test resource " + SCRIPT + " not found");
            }
            var file = Files.createTempFile("zmq_peer", ".py");
            file.toFile().deleteOnExit();
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    static Thread daemon(String name, Runnable body) {
        var thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "… (" + s.length() + " chars)";
    }
}
