package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A flood of connections that exhausts the direct memory the engine's buffers come from must cost
 * the failed connections, not the server: each is closed (no file descriptor or session leaks), the
 * socket keeps serving, and the context still closes in bounded time. Runs {@link DirectMemoryProbe}
 * in a child JVM with a 4 MiB direct memory limit, so this JVM is not starved.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DirectMemoryExhaustionTest {

    @Test
    void connectionsThatCannotGetBuffersAreClosedAndTheServerSurvives() throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(java, "-XX:MaxDirectMemorySize=4m", "-cp", System.getProperty("java.class.path"),
                DirectMemoryProbe.class.getName(), "45")
                .redirectErrorStream(true).start();
        boolean finished = process.waitFor(75, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(finished, () -> "the probe JVM did not finish:\n" + output);
        assertEquals(0, process.exitValue(), () -> "the probe failed:\n" + tail(output));
        assertTrue(output.contains("OK "), () -> "no verdict from the probe:\n" + tail(output));
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000);
    }
}
