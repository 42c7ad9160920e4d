package dev.zmq.security;

import dev.zmq.testkit.Libzmq;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A child {@code /usr/bin/python3} running {@code security/zmq_security_peer.py} (libzmq 4.3 through pyzmq). */
final class PyzmqPeer implements AutoCloseable {
    private static final String PYTHON = "/usr/bin/python3";
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;

    private PyzmqPeer(String role, String json) throws IOException {
        Libzmq.assumeAvailable();
        var script = Files.createTempFile("zmq_security_peer", ".py");
        script.toFile().deleteOnExit();
        try (InputStream in = PyzmqPeer.class.getResourceAsStream("/security/zmq_security_peer.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        process = new ProcessBuilder(PYTHON, script.toString(), role, json).start();
        stdoutReader = read(process.getInputStream(), lines::add, "pyzmq-stdout");
        read(process.getErrorStream(), l -> {
            synchronized (stderr) {
                stderr.append(l).append('\n');
            }
        }, "pyzmq-stderr");
    }

    static PyzmqPeer start(String role, String json) {
        try {
            return new PyzmqPeer(role, json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + PYTHON + " (pyzmq needed: apt-get install python3-zmq)", e);
        }
    }

    /** A fresh CURVE key pair from libzmq's zmq_curve_keypair. */
    static CurveKeyPair libzmqKeyPair() {
        try (var p = start("keys", "{}")) {
            var parts = p.await("KEYS ").split(" ");
            var pair = CurveKeyPair.fromSecretKey(parts[2]);
            if (!pair.publicKeyZ85().equals(parts[1])) {
                fail("libzmq's public key " + parts[1] + " is not the one we derive: " + pair.publicKeyZ85());
            }
            return pair;
        }
    }

    /** Makes pyzmq write a certificate pair ({@code name.key}, {@code name.key_secret}) into {@code directory}. */
    static void createCertificates(Path directory, String name) {
        try (var p = start("certs", "{\"directory\": \"" + directory + "\", \"name\": \"" + name + "\"}")) {
            p.await("DONE");
        }
    }

    private static Thread read(InputStream in, java.util.function.Consumer<String> sink, String name) {
        var t = new Thread(() -> {
            try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // process ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The first line starting with {@code prefix}, waiting up to 20 s for it. */
    String await(String prefix) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (var line : lines) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                try {
                    stdoutReader.join(2000); // everything it printed is read
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (lines.stream().noneMatch(l -> l.startsWith(prefix))) {
                    break;
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        synchronized (stderr) {
            return fail("pyzmq peer never said '" + prefix + "'; it said " + lines + "; stderr: " + stderr);
        }
    }

    boolean said(String prefix) {
        return lines.stream().anyMatch(l -> l.startsWith(prefix));
    }

    List<String> lines() {
        return lines;
    }

    int port() {
        return Integer.parseInt(await("PORT ").substring(5).trim());
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // gone already
        }
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
