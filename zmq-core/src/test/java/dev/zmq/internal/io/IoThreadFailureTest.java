package dev.zmq.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.testkit.Await;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, defect 3: an error (an OutOfMemoryError included) while handling one channel costs that
 * channel only; the loop goes on serving the others. A failure of the thread itself is reported,
 * and its channels are closed, not left open silently.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoThreadFailureTest {
    private final List<Throwable> contained = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Throwable> fatal = new CompletableFuture<>();
    private final IoThread io = new IoThread("failure-test", new IoThread.FailureListener() {
        @Override
        public void contained(IoThread thread, Throwable cause) {
            contained.add(cause);
        }

        @Override
        public void fatal(IoThread thread, Throwable cause) {
            fatal.complete(cause);
        }
    });

    @AfterEach
    void stop() throws InterruptedException {
        io.stop();
        assertTrue(io.join(5_000), "the I/O thread did not stop");
    }

    @Test
    void anErrorInOneHandlerClosesItsChannelOnlyAndTheLoopGoesOn() throws Exception {
        var failing = Pipe.open();
        var healthy = Pipe.open();
        var failures = new AtomicInteger();
        var toldOfFailure = new CompletableFuture<Throwable>();
        var healthyReads = new AtomicInteger();
        register(failing.source(), new IoHandler() {
            @Override
            public void onReady(SelectionKey key) {
                failures.incrementAndGet();
                throw new OutOfMemoryError("simulated: Java heap space");
            }

            @Override
            public void onShutdown() {
            }

            @Override
            public boolean onFailure(Throwable t) {
                toldOfFailure.complete(t);
                return false;
            }
        });
        register(healthy.source(), new IoHandler() {
            @Override
            public void onReady(SelectionKey key) {
                try {
                    var b = ByteBuffer.allocate(16);
                    while (healthy.source().read(b) > 0) {
                        healthyReads.incrementAndGet();
                        b.clear();
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void onShutdown() {
            }
        });
        failing.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertTrue(toldOfFailure.get(5, TimeUnit.SECONDS) instanceof OutOfMemoryError);
        Await.until("the failing channel closed", () -> !failing.source().isOpen());
        healthy.sink().write(ByteBuffer.wrap(new byte[] {2}));
        Await.until("the healthy channel still served", () -> healthyReads.get() > 0);
        // Level-triggered readiness would have called the failing handler again and again.
        assertEquals(1, failures.get(), "the failing handler was called again after its failure");
        assertEquals(1, contained.size(), "the failure was reported once: " + contained);
        assertFalse(fatal.isDone(), "a handler's failure is not the thread's");
        var ran = new CompletableFuture<Boolean>();
        io.execute(() -> ran.complete(true));
        assertTrue(ran.get(5, TimeUnit.SECONDS), "the loop runs tasks after the failure");
        healthy.sink().close();
        failing.sink().close();
    }

    @Test
    void aFailingTaskOrTimerDoesNotStopTheLoop() throws Exception {
        io.execute(() -> {
            throw new OutOfMemoryError("simulated in a task");
        });
        var timerRan = new CompletableFuture<Boolean>();
        io.execute(() -> {
            io.schedule(1, () -> {
                throw new StackOverflowError("simulated in a timer");
            });
            io.schedule(2, () -> timerRan.complete(true));
        });
        assertTrue(timerRan.get(5, TimeUnit.SECONDS));
        Await.until("both failures reported", () -> contained.size() == 2);
        assertFalse(fatal.isDone());
    }

    @Test
    void aFailureOfTheThreadItselfIsReportedAndItsChannelsClosed() throws Exception {
        var pipe = Pipe.open();
        register(pipe.source(), new IoHandler() {
            @Override
            public void onReady(SelectionKey key) {
            }

            @Override
            public void onShutdown() {
            }
        });
        IoThreads.breakSelector(io);
        var cause = fatal.get(5, TimeUnit.SECONDS);
        assertNotNull(cause);
        assertEquals(cause, io.fatalCause());
        Await.until("the channel of the failed thread closed", Duration.ofSeconds(5), () -> !pipe.source().isOpen());
        pipe.sink().close();
    }

    private void register(java.nio.channels.SelectableChannel channel, IoHandler handler) throws Exception {
        channel.configureBlocking(false);
        var done = new CompletableFuture<Void>();
        io.execute(() -> {
            try {
                io.register(channel, SelectionKey.OP_READ, handler);
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        done.get(5, TimeUnit.SECONDS);
    }

}
