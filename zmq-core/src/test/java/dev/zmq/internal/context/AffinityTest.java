package dev.zmq.internal.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** AFFINITY: new connections go only to the I/O threads whose bits are set, as libzmq's ZMQ_AFFINITY. */
@Timeout(30)
class AffinityTest {

    @Test
    void connectionsUseOnlyTheThreadsAffinityAllows() throws Exception {
        var core = new ContextCore(4, Duration.ofSeconds(1));
        try {
            assertEquals(Set.of("0", "2"), threadsPicked(core, 0b0101));
            assertEquals(Set.of("3"), threadsPicked(core, 0b1000));
            assertEquals(Set.of("0", "1", "2", "3"), threadsPicked(core, 0), "0 allows every thread");
            assertEquals(Set.of("0", "1", "2", "3"), threadsPicked(core, 1L << 40), "bits beyond the threads allow every thread");
        } finally {
            core.close();
        }
    }

    /** The index (last part of the thread name) of the I/O threads picked for 20 connections. */
    private static Set<String> threadsPicked(ContextCore core, long affinity) throws Exception {
        var picked = new TreeSet<String>();
        for (int i = 0; i < 20; i++) {
            var name = new CompletableFuture<String>();
            core.nextIoThread(affinity).execute(() -> name.complete(Thread.currentThread().getName()));
            var n = name.get(10, TimeUnit.SECONDS);
            picked.add(n.substring(n.lastIndexOf('-') + 1));
        }
        return picked;
    }
}
