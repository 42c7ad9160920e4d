package dev.zmq.perf.jmh;

import dev.zmq.Message;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.pipe.PipeEndpoint;
import dev.zmq.internal.pipe.PipeOwner;
import dev.zmq.internal.pipe.SpscQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The queue between an application thread and a connection thread, alone: one producer thread and
 * one consumer thread (a JMH group), bounded at {@code hwm} queued elements as a pipe is.
 *
 * <ul>
 *   <li>{@code spsc}: {@link SpscQueue}, publish per element, commit per element (what a pipe does
 *       for an application's send and receive);</li>
 *   <li>{@code locked}: an {@link ArrayDeque} under a {@link ReentrantLock}, element by element (the
 *       pipes before the lock-free ones took the socket lock like this);</li>
 *   <li>{@code pipe}: the whole outbound {@link Pipe}: {@code hasRoomOut} + {@code pushOut} on one
 *       side, {@code drainOut} in batches of 256 on the other, with the sleep/wake protocol.</li>
 * </ul>
 * Read the producer's rate (elements offered per microsecond; the consumer keeps up or the
 * producer waits at the bound). Run: {@code java -cp benchmarks/target/zmq-perf.jar org.openjdk.jmh.Main PipeQueue}.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipeQueueBenchmark {
    private static final Object ITEM = new Object();
    private static final Message MESSAGE = Message.of(new byte[16]);
    private static final int SPINS = 1_000;

    @Param("1000")
    int hwm;

    private SpscQueue<Object> spsc;
    private ArrayDeque<Object> deque;
    private ReentrantLock lock;
    private Pipe pipe;
    private final ArrayList<Message> drained = new ArrayList<>(256);

    @Setup(Level.Iteration)
    public void setUp() {
        spsc = new SpscQueue<>();
        deque = new ArrayDeque<>();
        lock = new ReentrantLock();
        PipeEndpoint connection = new PipeEndpoint() {
            @Override
            public void outboundReady() {
                // the consumer below polls; nothing to wake
            }

            @Override
            public void resumeReading() {
            }
        };
        PipeOwner socket = new PipeOwner() {
            @Override
            public void inboundArrived(Pipe p) {
            }

            @Override
            public void outboundRoom(Pipe p) {
            }
        };
        pipe = new Pipe(hwm, hwm, false, connection, socket, new DropCounter());
    }

    // ---- SpscQueue

    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    public boolean spscOffer() {
        for (int i = 0; i < SPINS; i++) {
            if (spsc.written() - spsc.consumed() < hwm) {
                spsc.offer(ITEM);
                spsc.publish();
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    public Object spscPoll() {
        for (int i = 0; i < SPINS; i++) {
            var o = spsc.poll();
            if (o != null) {
                spsc.commit();
                return o;
            }
            Thread.onSpinWait();
        }
        return null;
    }

    // ---- ArrayDeque under a lock

    @Benchmark
    @Group("locked")
    @GroupThreads(1)
    public boolean lockedOffer() {
        for (int i = 0; i < SPINS; i++) {
            lock.lock();
            try {
                if (deque.size() < hwm) {
                    deque.add(ITEM);
                    return true;
                }
            } finally {
                lock.unlock();
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @Benchmark
    @Group("locked")
    @GroupThreads(1)
    public Object lockedPoll() {
        for (int i = 0; i < SPINS; i++) {
            lock.lock();
            try {
                var o = deque.poll();
                if (o != null) {
                    return o;
                }
            } finally {
                lock.unlock();
            }
            Thread.onSpinWait();
        }
        return null;
    }

    // ---- the outbound pipe

    @Benchmark
    @Group("pipe")
    @GroupThreads(1)
    public boolean pipePush() {
        for (int i = 0; i < SPINS; i++) {
            if (pipe.hasRoomOut()) {
                pipe.pushOut(MESSAGE);
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @Benchmark
    @Group("pipe")
    @GroupThreads(1)
    public int pipeDrain() {
        drained.clear();
        pipe.drainOut(drained, 256);
        if (drained.isEmpty()) {
            Thread.onSpinWait();
        }
        return drained.size();
    }
}
