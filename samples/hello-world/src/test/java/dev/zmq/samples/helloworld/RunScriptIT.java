package dev.zmq.samples.helloworld;

import dev.zmq.samples.testkit.SampleProcess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code samples/run.sh hello-world}, the README's first command, with the jar already built. It
 * runs on free ports ({@code BIND}: the client connects where the server says it bound) and
 * without the Guide's second of work per request, so it can run beside other tests.
 */
@Timeout(120)
class RunScriptIT {
    private static final Path RUN_SH = Path.of(System.getProperty("sample.run-script", "../run.sh"));
    private static final Duration RUN = Duration.ofSeconds(90);
    /** An argument nobody reads, given to every role, to find this test's java processes. */
    private final String marker = "--run-script-it=" + UUID.randomUUID();
    private SampleProcess script;

    @AfterEach
    void stop() {
        if (script != null) {
            script.close();
        }
        // whatever the script failed to stop (the test has failed then): not left running after the build
        for (var role : rolesOfThisRun()) {
            role.destroyForcibly();
            role.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    private List<ProcessHandle> rolesOfThisRun() {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(marker)).toList();
    }

    @Test
    void runsTheServerAndTheClientAndLeavesNoProcessBehind() {
        script = SampleProcess.script("run.sh", RUN_SH,
                Map.of("BIND", "tcp://127.0.0.1:*", "ARGS", "--hello-world.work=0s " + marker), "hello-world");

        script.awaitLine("hello world server bound to tcp://127\\.0\\.0\\.1:\\d+", RUN);
        assertThat(rolesOfThisRun()).as("the server, in the background").isNotEmpty();

        assertThat(script.awaitExit(RUN)).as(script.output()).isZero();
        var output = script.output();
        assertThat(output).doesNotContain("Building"); // the jar was up to date
        assertThat(output.lines().filter(line -> line.startsWith("Received World")))
                .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "Received World " + i).toList());
        assertThat(output.lines().filter(line -> line.equals("Received request: Hello"))).hasSize(10);
        // the script waits for the background server to stop before it exits
        assertThat(rolesOfThisRun()).as("processes left by run.sh").isEmpty();
    }

    @Test
    void refusesAnUnknownSample() {
        script = SampleProcess.script("run.sh", RUN_SH, Map.of(), "no-such-sample");

        assertThat(script.awaitExit(RUN)).isEqualTo(2);
        assertThat(script.output()).startsWith("usage: ").contains("hello-world|weather|divide-and-conquer|broker");
    }
}
