package dev.zmq.samples.divide;

import dev.zmq.samples.testkit.SampleProcess;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real jar's roles as separate processes, on ephemeral ports, alone and mixed with the
 * Guide's programs running on libzmq (pyzmq). Batches are small and quick: 20 tasks of at most
 * 10 ms.
 */
@Timeout(120)
class DivideAndConquerIT {
    private static final int TASKS = 20;
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration BATCH = Duration.ofSeconds(60);
    /** Lines with endpoints, which a worker or the sink may print in the middle of its progress characters. */
    private static final Pattern CONNECTION_LINE = Pattern.compile(
            "[a-z]+: tcp://\\S+ (connected|disconnected) \\(\\d+ peers?\\)|worker: tasks from \\S+, results to \\S+");

    private final List<SampleProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        processes.forEach(SampleProcess::close);
    }

    private SampleProcess start(SampleProcess process) {
        processes.add(process);
        return process;
    }

    private SampleProcess sink() {
        return start(SampleProcess.jar("sink", "--spring.profiles.active=sink",
                "--zmq.sockets.results.bind=tcp://127.0.0.1:*", "--sink.results=" + TASKS));
    }

    private SampleProcess worker(String name, String ventilator, String sink) {
        return start(SampleProcess.jar(name, "--spring.profiles.active=worker",
                "--zmq.sockets.tasks.connect=" + ventilator, "--zmq.sockets.results.connect=" + sink));
    }

    private static String boundEndpoint(SampleProcess process, String prefix) {
        return process.awaitLine(prefix + " bound to (tcp://[^,\\s]+)", START).group(1);
    }

    /** The progress characters in {@code output}: everything but connection lines and lines starting with {@code otherLines}. */
    private static String progress(String output, String... otherLines) {
        return String.join("", CONNECTION_LINE.matcher(output).replaceAll("").lines()
                .filter(line -> java.util.Arrays.stream(otherLines).noneMatch(line::startsWith)).toList());
    }

    private static long count(String text, char c) {
        return text.chars().filter(x -> x == c).count();
    }

    /** Tasks a worker did: the dots it printed. */
    private static long tasksDone(SampleProcess worker) {
        return count(progress(worker.output()), '.');
    }

    private static void assertBatchDone(SampleProcess sink) {
        assertThat(sink.awaitExit(BATCH)).as(sink.output()).isZero();
        var output = sink.output();
        assertThat(output).containsPattern("Total elapsed time: \\d+ msec");
        // the Guide's progress: ':' for every tenth result, '.' for the others
        var progress = progress(output, "sink bound to ", "Total elapsed time");
        assertThat(count(progress, ':')).as(output).isEqualTo(TASKS / 10);
        assertThat(count(progress, '.')).as(output).isEqualTo(TASKS - TASKS / 10);
    }

    @Test
    void twoWorkersShareTheBatchAndTheSinkCollectsEveryResult() {
        var sink = sink();
        var sinkEndpoint = boundEndpoint(sink, "sink");
        var ventilator = start(SampleProcess.jar("ventilator", "--spring.profiles.active=ventilator",
                "--zmq.sockets.tasks.bind=tcp://127.0.0.1:*", "--zmq.sockets.sink.connect=" + sinkEndpoint,
                "--ventilator.wait-for-enter=false", "--ventilator.min-workers=2", "--ventilator.settle=200ms",
                "--ventilator.tasks=" + TASKS, "--ventilator.max-workload=10"));
        var ventilatorEndpoint = boundEndpoint(ventilator, "ventilator");
        var first = worker("worker-1", ventilatorEndpoint, sinkEndpoint);
        var second = worker("worker-2", ventilatorEndpoint, sinkEndpoint);

        assertThat(ventilator.awaitExit(BATCH)).as(ventilator.output()).isZero();
        assertThat(ventilator.output()).contains("2 worker(s) connected", "Sending tasks to workers...")
                .containsPattern("Total expected cost: \\d+ msec");
        assertBatchDone(sink);

        // both were connected before the first task left, so PUSH dealt tasks to both
        assertThat(tasksDone(first)).as(first.output()).isPositive();
        assertThat(tasksDone(second)).as(second.output()).isPositive();
        assertThat(tasksDone(first) + tasksDone(second)).isEqualTo(TASKS);

        // SIGTERM: a clean Spring shutdown (exit status 143 = 128 + SIGTERM), no error on the way
        for (var worker : List.of(first, second)) {
            assertThat(worker.terminate(Duration.ofSeconds(20))).as(worker.output()).isEqualTo(143);
            assertThat(worker.output()).doesNotContain("ERROR", "Exception");
        }
    }

    @Test
    void ourVentilatorWaitsForEnterAndFeedsTheGuidesWorkerAndSinkAlongsideOurWorker() {
        var sink = start(SampleProcess.guide("guide-sink", "tasksink.py", "tcp://127.0.0.1:*", Integer.toString(TASKS)));
        var sinkEndpoint = boundEndpoint(sink, "tasksink");
        var ventilator = start(SampleProcess.jar("ventilator", "--spring.profiles.active=ventilator",
                "--zmq.sockets.tasks.bind=tcp://127.0.0.1:*", "--zmq.sockets.sink.connect=" + sinkEndpoint,
                "--ventilator.tasks=" + TASKS, "--ventilator.max-workload=10"));
        var ventilatorEndpoint = boundEndpoint(ventilator, "ventilator");
        ventilator.awaitLine("Press Enter when the workers are ready", START);
        var guideWorker = start(SampleProcess.guide("guide-worker", "taskwork.py", ventilatorEndpoint, sinkEndpoint));
        var ourWorker = worker("worker", ventilatorEndpoint, sinkEndpoint);

        ventilator.awaitLine("tasks: \\S+ connected \\(2 peers\\)", START);
        ventilator.type("\n");

        assertThat(ventilator.awaitExit(BATCH)).as(ventilator.output()).isZero();
        assertThat(ventilator.output()).contains("Sending tasks to workers...").containsPattern("Total expected cost: \\d+ msec");
        assertThat(sink.awaitExit(BATCH)).as(sink.output()).isZero();
        assertThat(sink.output()).containsPattern("Total elapsed time: \\d+ msec");
        assertThat(tasksDone(guideWorker)).as(guideWorker.output()).isPositive();
        assertThat(tasksDone(ourWorker)).as(ourWorker.output()).isPositive();
        assertThat(tasksDone(guideWorker) + tasksDone(ourWorker)).as(guideWorker.output() + "\n---\n" + ourWorker.output())
                .isEqualTo(TASKS);
    }

    @Test
    void theGuidesVentilatorAndSinkWorkWithOurWorkerRunningOnSpringAotCode() {
        var sink = start(SampleProcess.guide("guide-sink", "tasksink.py", "tcp://127.0.0.1:*", Integer.toString(TASKS)));
        var sinkEndpoint = boundEndpoint(sink, "tasksink");
        var ventilator = start(SampleProcess.guide("guide-ventilator", "taskvent.py", "tcp://127.0.0.1:*", sinkEndpoint,
                Integer.toString(TASKS), "10"));
        var ventilatorEndpoint = boundEndpoint(ventilator, "taskvent");
        // the jar holds the code `spring-boot:process-aot` generated for the worker role (see pom.xml)
        var worker = start(SampleProcess.aotJar("aot-worker", "--spring.profiles.active=worker",
                "--zmq.sockets.tasks.connect=" + ventilatorEndpoint, "--zmq.sockets.results.connect=" + sinkEndpoint));

        worker.awaitLine("tasks: \\S+ connected", START);
        ventilator.awaitLine("Press Enter when the workers are ready", START);
        ventilator.type("\n");

        assertThat(ventilator.awaitExit(BATCH)).as(ventilator.output()).isZero();
        assertThat(sink.awaitExit(BATCH)).as(sink.output()).isZero();
        assertThat(sink.output()).containsPattern("Total elapsed time: \\d+ msec");
        assertThat(tasksDone(worker)).as(worker.output()).isEqualTo(TASKS);
    }

    @Test
    void theGuidesVentilatorFeedsOurWorkerAndOurSink() {
        var sink = sink();
        var sinkEndpoint = boundEndpoint(sink, "sink");
        var ventilator = start(SampleProcess.guide("guide-ventilator", "taskvent.py", "tcp://127.0.0.1:*", sinkEndpoint,
                Integer.toString(TASKS), "10"));
        var ventilatorEndpoint = boundEndpoint(ventilator, "taskvent");
        var worker = worker("worker", ventilatorEndpoint, sinkEndpoint);

        worker.awaitLine("tasks: \\S+ connected", START);
        ventilator.awaitLine("Press Enter when the workers are ready", START);
        ventilator.type("\n");

        assertThat(ventilator.awaitExit(BATCH)).as(ventilator.output()).isZero();
        assertThat(ventilator.output()).containsPattern("Total expected cost: \\d+ msec");
        assertBatchDone(sink);
        assertThat(tasksDone(worker)).as(worker.output()).isEqualTo(TASKS);
    }

    @Test
    void withoutARoleItSaysHowToChooseOne() {
        var process = start(SampleProcess.jar("no-role"));

        assertThat(process.awaitExit(START)).as(process.output()).isEqualTo(2);
        assertThat(process.output()).isEqualTo("Choose one role with --spring.profiles.active=ventilator, worker or sink");
    }
}
