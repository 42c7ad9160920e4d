package dev.zmq.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Runs test code on several named threads and reports their failures to the test. */
public final class Workers implements AutoCloseable {
    /** A task that may throw. */
    @FunctionalInterface
    public interface Task {
        void run(int index) throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /** Starts {@code count} threads running {@code task} with their index 0..count-1. */
    public static Workers start(String name, int count, Task task) {
        var w = new Workers();
        for (int i = 0; i < count; i++) {
            int index = i;
            var t = new Thread(() -> {
                try {
                    task.run(index);
                } catch (Throwable e) {
                    w.failures.add(e);
                }
            }, name + "-" + i);
            t.setDaemon(true);
            w.threads.add(t);
        }
        w.threads.forEach(Thread::start);
        return w;
    }

    public List<Thread> threads() {
        return threads;
    }

    /** Waits for every thread (at most {@link Await#SOON} each) and fails with the first failure. */
    public void join() throws InterruptedException {
        for (var t : threads) {
            t.join(Await.SOON.toMillis());
            if (t.isAlive()) {
                fail(t.getName() + " did not finish; stack: " + List.of(t.getStackTrace()));
            }
        }
        var first = failures.peek();
        if (first != null) {
            var error = new AssertionError(failures.size() + " worker(s) failed; first: " + first, first);
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    /** The failures so far. */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
    }
}
