package dev.zmq.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * Gate for the tests that run libzmq 4.3 through Debian's pyzmq ({@code /usr/bin/python3}).
 *
 * <p>On a machine without {@code python3-zmq} those tests are skipped, with one line on stderr
 * naming the package to install, so that README's test command passes on a fresh machine with
 * only a JDK. CI sets {@code ZMQ_REQUIRE_LIBZMQ=1}, which turns the skip into a failure: there
 * the interop suites must run.
 */
public final class Libzmq {
    /** Debian's interpreter; the first {@code python3} on PATH may be another one without pyzmq. */
    public static final String PYTHON = "/usr/bin/python3";
    public static final String MISSING = "libzmq interop tests skipped: " + PYTHON
            + " cannot import zmq; install Debian's python3-zmq (apt-get install -y python3-zmq) to run them";

    private static volatile Boolean available;
    private static volatile boolean announced;

    private Libzmq() {
    }

    /**
     * Returns normally when pyzmq is importable; otherwise aborts the calling test (skip), or
     * fails it when {@code ZMQ_REQUIRE_LIBZMQ=1}.
     */
    public static void assumeAvailable() {
        if (isAvailable()) {
            return;
        }
        if ("1".equals(System.getenv("ZMQ_REQUIRE_LIBZMQ"))) {
            throw new AssertionError(MISSING.replace("tests skipped", "tests are required (ZMQ_REQUIRE_LIBZMQ=1)"));
        }
        if (!announced) {
            announced = true;
            // the build redirects System.err into report files; the process's own stderr reaches the console
            new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true).println(MISSING);
        }
        throw new TestAbortedException(MISSING);
    }

    /** Whether {@code /usr/bin/python3 -c 'import zmq'} succeeds (checked once per JVM). */
    public static boolean isAvailable() {
        var known = available;
        if (known == null) {
            known = probe();
            available = known;
        }
        return known;
    }

    private static boolean probe() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            var p = new ProcessBuilder(PYTHON, "-c", "import zmq").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
