package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketEvent;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.internal.context.ContextCore;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.io.IoThreads;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, defect 3: when an I/O thread itself fails for good (here its selector is closed under
 * it, which no peer can cause), the application is told: an IO_THREAD_FAILED monitor event on every
 * socket, {@code statistics().ioThreadFailures()}, and {@link ZmqContext#ioThreadFailures()} (which
 * the starter's health indicator reports as DOWN). Before, the thread's loop ended silently.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoThreadFailureReportTest {

    @Test
    void aFailedIoThreadIsReportedToEverySocket() throws Exception {
        var ctx = new ZmqContext(1);
        try (var pull = ctx.socket(SocketType.PULL); var push = ctx.socket(SocketType.PUSH)) {
            pull.bind("tcp://127.0.0.1:*");
            List<SocketEvent> events = new CopyOnWriteArrayList<>();
            try (var monitor = push.monitor(Set.of(SocketEvent.Type.IO_THREAD_FAILED), events::add)) {
                assertTrue(ctx.ioThreadFailures().isEmpty());
                IoThreads.breakSelector(ioThread(ctx));
                Await.condition(() -> !events.isEmpty(), Duration.ofSeconds(10), "no IO_THREAD_FAILED event");
                assertTrue(events.get(0).reason().contains("zmq-io-"), events.get(0).reason());
                assertEquals(1, push.statistics().ioThreadFailures());
                assertEquals(1, pull.statistics().ioThreadFailures());
                assertEquals(1, ctx.ioThreadFailures().size(), ctx.ioThreadFailures().toString());
            }
        } finally {
            long start = System.nanoTime();
            ctx.close();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "closing a context with a failed I/O thread hung");
        }
    }

    /** The context's first I/O thread (there is no public handle on it). */
    static IoThread ioThread(ZmqContext ctx) throws Exception {
        var coreField = ZmqContext.class.getDeclaredField("core");
        coreField.setAccessible(true);
        var threads = ContextCore.class.getDeclaredField("ioThreads");
        threads.setAccessible(true);
        return ((IoThread[]) threads.get(coreField.get(ctx)))[0];
    }
}
