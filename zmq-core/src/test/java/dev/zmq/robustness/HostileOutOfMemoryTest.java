package dev.zmq.robustness;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, defect 3 with a real OutOfMemoryError: one connection exhausting the heap of a child
 * JVM costs that connection only (see {@link ConnectionOomProbe}).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostileOutOfMemoryTest {

    @Test
    void anOutOfMemoryErrorInOneConnectionClosesItAndTheSocketServesTheOthers() throws Exception {
        var out = ChildJvm.assertProbePasses(ConnectionOomProbe.class, List.of("-Xmx64m"));
        System.out.println(out);
    }
}
