package dev.zmq.robustness;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 16: defect 4 (no direct memory when connecting) and EMFILE on accept, each in a child JVM. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostileResourceTest {

    /** Defect 4: see {@link DirectStarvedConnectProbe}. */
    @Test
    void connectingSocketsServeWithoutDirectMemoryAndAfterItIsFree() throws Exception {
        System.out.println(ChildJvm.assertProbePasses(DirectStarvedConnectProbe.class, List.of("-XX:MaxDirectMemorySize=2m")));
    }

    /** EMFILE: see {@link EmfileProbe}. */
    @Test
    void acceptFailingWithEmfileBacksOffAndRecovers() throws Exception {
        System.out.println(ChildJvm.assertProbePassesWithFileLimit(200, EmfileProbe.class, List.of()));
    }
}
