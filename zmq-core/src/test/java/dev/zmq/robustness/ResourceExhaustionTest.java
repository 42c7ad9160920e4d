package dev.zmq.robustness;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile peers that go after memory: each scenario runs in a child JVM whose heap or direct
 * memory is small enough to exhaust, so this JVM is not starved.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ResourceExhaustionTest {

    /**
     * A flood of connections that exhausts the direct memory the engine's buffers come from must
     * cost the failed connections, not the server: each is closed (no file descriptor or session
     * leaks), the socket keeps serving, and the context still closes in bounded time.
     */
    @Test
    void connectionsThatCannotGetBuffersAreClosedAndTheServerSurvives() throws Exception {
        ChildJvm.assertProbePasses(DirectMemoryProbe.class, List.of("-XX:MaxDirectMemorySize=4m"), "45");
    }

    /** Announced frame sizes are not allocated up front: 1 GiB frames announced to a 128 MiB heap. */
    @Test
    void announcedFrameSizesAreNotAllocatedUpFront() throws Exception {
        ChildJvm.assertProbePasses(HeapExhaustionProbe.class, List.of("-Xmx128m"), "2");
    }
}
