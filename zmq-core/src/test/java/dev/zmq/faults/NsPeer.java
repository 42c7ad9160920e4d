package dev.zmq.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import dev.zmq.testkit.Await;

/**
 * A libzmq peer (pyzmq, faults/peer.py) running inside a {@link Netns}: its lines of output are
 * collected as they come ("READY", "SENT n", or one "generation:seq" per message received).
 */
final class NsPeer implements AutoCloseable {
    private final Process process;
    final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> other = new CopyOnWriteArrayList<>();

    private NsPeer(Process process) {
        this.process = process;
        var reader = new Thread(this::read, "ns-peer-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code peer.py role mode endpoint count generation} in {@code ns} and waits for its READY. */
    static NsPeer start(Netns ns, String role, String mode, String endpoint, int count, int generation) throws IOException {
        var cmd = ns.exec("/usr/bin/python3", script(), role, mode, endpoint, Integer.toString(count), Integer.toString(generation));
        var peer = new NsPeer(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        Await.until("READY from the libzmq peer " + role, Duration.ofSeconds(20), () -> peer.other.contains("READY"));
        return peer;
    }

    private static String script() {
        try {
            return Path.of(NsPeer.class.getResource("/faults/peer.py").toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.indexOf(':') > 0) {
                    received.add(line);
                } else {
                    other.add(line);
                }
            }
        } catch (IOException e) {
            // the peer was killed
        }
    }

    int count() {
        return received.size();
    }

    /** Sequence numbers received from {@code generation}, in arrival order. */
    List<Integer> seqs(int generation) {
        return Sequences.of(received, generation);
    }

    /** kill -9: no goodbye, no flush, no FIN before the kernel closes its sockets. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the libzmq peer survived SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close(); // peer.py exits when stdin closes
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "peer " + process.pid() + " " + new ArrayList<>(other);
    }
}
