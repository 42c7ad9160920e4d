package dev.zmq.perf.jmh;

import dev.zmq.internal.pipe.SpscQueue;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of moving a burst of {@code burst} elements through a queue on one thread (no
 * contention), per element: what each side pays for its own work. The two-thread picture is
 * {@link PipeQueueBenchmark}; this one is stable even on a loaded machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QueueCostBenchmark {
    private static final Object ITEM = new Object();

    @Param({"1", "256"})
    int burst;

    private final SpscQueue<Object> spsc = new SpscQueue<>();
    private final ArrayDeque<Object> deque = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();

    /** Publish and commit once per burst (an engine's batch). */
    @Benchmark
    public Object spscBurst() {
        for (int i = 0; i < burst; i++) {
            spsc.offer(ITEM);
        }
        spsc.publish();
        Object last = null;
        for (int i = 0; i < burst; i++) {
            last = spsc.poll();
        }
        spsc.commit();
        return last;
    }

    /** Publish and commit per element (an application's send and receive). */
    @Benchmark
    public Object spscEach() {
        Object last = null;
        for (int i = 0; i < burst; i++) {
            spsc.offer(ITEM);
            spsc.publish();
        }
        for (int i = 0; i < burst; i++) {
            last = spsc.poll();
            spsc.commit();
        }
        return last;
    }

    /** The old pipe: a lock around each side's batch. */
    @Benchmark
    public Object lockedBurst() {
        lock.lock();
        try {
            for (int i = 0; i < burst; i++) {
                deque.add(ITEM);
            }
        } finally {
            lock.unlock();
        }
        Object last = null;
        lock.lock();
        try {
            for (int i = 0; i < burst; i++) {
                last = deque.poll();
            }
        } finally {
            lock.unlock();
        }
        return last;
    }
}
