package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe's {@code main} in a JVM of its own, with flags (small heap, small direct memory)
 * that would starve this test JVM. A probe prints {@code OK ...} and exits 0, or prints
 * {@code FAIL: why} and exits 1.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** Runs {@code probe} and asserts it passed, showing its output otherwise. */
    static String assertProbePasses(Class<?> probe, List<String> jvmFlags, String... args) throws Exception {
        return assertProbePasses(List.of(), probe, jvmFlags, args);
    }

    /** As {@link #assertProbePasses(Class, List, String...)}, with at most {@code maxFiles} open file descriptors. */
    static String assertProbePassesWithFileLimit(int maxFiles, Class<?> probe, List<String> jvmFlags, String... args) throws Exception {
        return assertProbePasses(List.of("/bin/sh", "-c", "ulimit -n " + maxFiles + " && exec \"$0\" \"$@\""), probe, jvmFlags, args);
    }

    private static String assertProbePasses(List<String> launcher, Class<?> probe, List<String> jvmFlags, String... args) throws Exception {
        var command = new ArrayList<String>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), probe.getName()));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean finished = process.waitFor(75, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(finished, () -> "the probe JVM did not finish:\n" + tail(output));
        assertEquals(0, process.exitValue(), () -> "the probe failed:\n" + tail(output));
        assertTrue(output.contains("OK "), () -> "no verdict from the probe:\n" + tail(output));
        return output;
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000);
    }
}
