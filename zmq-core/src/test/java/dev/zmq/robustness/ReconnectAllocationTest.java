package dev.zmq.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.internal.context.ContextCore;
import dev.zmq.internal.io.IoThread;
import dev.zmq.testkit.Await;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, reconnect storm: a socket whose peer is away retries every RECONNECT_IVL, so what one
 * refused attempt costs is paid thousands of times a second by a process with many sockets. Counted
 * here, not timed: the attempts reuse their timers, and the I/O thread allocates about what the
 * channel itself costs per attempt (no exception with its stack trace, no per-attempt text).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReconnectAllocationTest {
    private static final int ATTEMPTS = 300;
    /**
     * Bytes the I/O thread may allocate per refused attempt. Measured on JDK 17: about 620 now (the
     * JDK's channel, selection key and close); 2,070 before, when each attempt also had finishConnect
     * throw a ConnectException with its stack trace and made its text, timers and handler anew.
     */
    private static final long MAX_BYTES_PER_ATTEMPT = 1_200;

    @Test
    void refusedAttemptsReuseTheirTimersAndAllocateLittle() throws Exception {
        int deadPort;
        try (var s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // nobody listens there once closed
        }
        try (var ctx = new ZmqContext(1); var dealer = ctx.socket(SocketType.DEALER)) {
            var io = ioThread(ctx);
            dealer.set(SocketOption.LINGER, 0);
            dealer.set(SocketOption.RECONNECT_IVL, 1);
            // A CONNECT_TIMEOUT gives every pending attempt a timer too.
            dealer.set(SocketOption.CONNECT_TIMEOUT, 60_000);
            dealer.connect("tcp://127.0.0.1:" + deadPort);
            // Warm up (class loading, the first attempts' one-time objects), then measure.
            Await.until("the first refused attempts", () -> dealer.statistics().connectRetries() >= 50);
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = ioThreadId(io);
            long timers0 = io.timersCreated();
            long retries0 = dealer.statistics().connectRetries();
            long bytes0 = threads.getThreadAllocatedBytes(tid);
            Await.until(ATTEMPTS + " more refused attempts", Duration.ofSeconds(30),
                    () -> dealer.statistics().connectRetries() >= retries0 + ATTEMPTS);
            long bytes = threads.getThreadAllocatedBytes(tid) - bytes0;
            long attempts = dealer.statistics().connectRetries() - retries0;
            long timers = io.timersCreated() - timers0;
            assertTrue(timers <= 2, timers + " timers created for " + attempts
                    + " reconnect attempts: the reconnect and CONNECT_TIMEOUT timers must be reused, not made per attempt");
            long perAttempt = bytes / attempts;
            assertTrue(perAttempt <= MAX_BYTES_PER_ATTEMPT, "a refused reconnect attempt allocated " + perAttempt
                    + " bytes on the I/O thread (" + attempts + " attempts), more than " + MAX_BYTES_PER_ATTEMPT
                    + ": something is made per attempt again (an exception, text, a timer or handler)");
        }
    }

    private static IoThread ioThread(ZmqContext ctx) throws Exception {
        var coreField = ZmqContext.class.getDeclaredField("core");
        coreField.setAccessible(true);
        var threads = ContextCore.class.getDeclaredField("ioThreads");
        threads.setAccessible(true);
        return ((IoThread[]) threads.get(coreField.get(ctx)))[0];
    }

    private static long ioThreadId(IoThread io) throws Exception {
        var field = IoThread.class.getDeclaredField("thread");
        field.setAccessible(true);
        return ((Thread) field.get(io)).getId();
    }
}
