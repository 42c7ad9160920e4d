package dev.zmq.internal.monitor;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The context's monitor thread: runs monitor listeners away from the I/O threads. Its queue is
 * bounded; when listeners fall that far behind, events are dropped (and counted) rather than
 * slowing the sockets down.
 */
public final class MonitorDispatcher {
    private static final System.Logger LOG = System.getLogger(MonitorDispatcher.class.getName());
    private static final int CAPACITY = 65_536;
    private static final Runnable STOP = () -> { };

    private final String name;
    private final ArrayBlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private Thread thread;
    private volatile boolean stopped;

    public MonitorDispatcher(String name) {
        this.name = name;
    }

    /** Queues {@code task}; false (and counted) if the queue is full or the dispatcher stopped. */
    public boolean submit(Runnable task) {
        if (stopped) {
            return false;
        }
        ensureStarted();
        if (!queue.offer(task)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Events dropped because listeners were too slow. */
    public long dropped() {
        return dropped.get();
    }

    private synchronized void ensureStarted() {
        if (thread == null && !stopped) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void run() {
        while (true) {
            Runnable task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            try {
                task.run();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "socket monitor listener failed", t);
            }
        }
    }

    /** Delivers what is queued (for at most {@code millis}), then stops the thread. */
    public void stop(long millis) {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                if (!queue.offer(STOP, millis, TimeUnit.MILLISECONDS)) {
                    t.interrupt();
                }
                stopped = true;
                t.join(millis);
                if (t.isAlive()) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopped = true;
    }
}
