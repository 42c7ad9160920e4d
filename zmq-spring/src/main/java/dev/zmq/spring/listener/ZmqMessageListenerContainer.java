package dev.zmq.spring.listener;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.spring.lifecycle.ZmqPhases;
import dev.zmq.spring.socket.ManagedSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs one {@code @ZmqListener}: owns its socket (or uses a configured one) and receives on its
 * own worker threads. Stopping lets every worker finish the message in hand and send its reply
 * before the socket is released; pausing stops receiving (messages queue in the socket up to its
 * HWM) without closing anything.
 */
public class ZmqMessageListenerContainer implements SmartLifecycle {
    private static final Log LOG = LogFactory.getLog(ZmqMessageListenerContainer.class);
    private static final Duration REPLY_SEND_TIMEOUT = Duration.ofSeconds(10);

    /** What a container is doing. */
    public enum State { CREATED, RUNNING, PAUSED, STOPPING, STOPPED, FAILED }

    private final String id;
    private final SocketSource socketSource;
    private final ReplyMode mode;
    private final int concurrency;
    private final Duration pollTimeout;
    private final boolean autoStartup;
    private final ThreadFactory threadFactory;
    private final ListenerInvoker invoker;
    private final List<String> topics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private final AtomicLong handled = new AtomicLong();
    private final ZmqListenerOutcomes outcomes;
    private final AtomicBoolean retrying;
    private final int batchSize;

    private volatile State state = State.CREATED;
    private volatile boolean running;
    private volatile boolean paused;
    private volatile ManagedSocket socket;
    private volatile Throwable lastFailure;
    private List<Thread> workers = List.of();
    private CountDownLatch stopped = new CountDownLatch(0);

    ZmqMessageListenerContainer(String id, SocketSource socketSource, ReplyMode mode, int concurrency, Duration pollTimeout,
                                boolean autoStartup, ThreadFactory threadFactory, ListenerInvoker invoker, List<String> topics,
                                ZmqListenerOutcomes outcomes, AtomicBoolean retrying, int batchSize) {
        this.batchSize = batchSize;
        this.outcomes = outcomes;
        this.retrying = retrying;
        this.id = id;
        this.socketSource = socketSource;
        this.mode = mode;
        this.concurrency = concurrency;
        this.pollTimeout = pollTimeout;
        this.autoStartup = autoStartup;
        this.threadFactory = threadFactory;
        this.invoker = invoker;
        this.topics = topics;
    }

    public String getId() {
        return id;
    }

    public State getState() {
        return state;
    }

    public int getConcurrency() {
        return concurrency;
    }

    /** How often an idle worker checks whether to stop or pause. */
    public Duration getPollTimeout() {
        return pollTimeout;
    }

    /** The socket listened on while running (the last one after a stop), or null before the first start. */
    public ManagedSocket getSocket() {
        return socket;
    }

    /** Whether the container creates and closes its socket (an inline {@code @ZmqListener} socket). */
    public boolean ownsSocket() {
        return socketSource.owned();
    }

    /** Messages handled since creation. */
    public long getHandledCount() {
        return handled.get();
    }

    /** The most messages a batch listener gets in one call, or 0 for a listener of one message at a time. */
    public int getBatchSize() {
        return batchSize;
    }

    /** What became of the messages accepted so far: succeeded, recovered or discarded, and the retries. */
    public ZmqListenerOutcomes getOutcomes() {
        return outcomes;
    }

    /** Why the last start failed, or null. */
    public Throwable getLastFailure() {
        return lastFailure;
    }

    @Override
    public void start() {
        lock.lock();
        try {
            if (running) {
                return;
            }
            awaitStopped();
            try {
                socket = socketSource.open();
            } catch (RuntimeException e) {
                state = State.FAILED;
                lastFailure = e;
                throw e;
            }
            lastFailure = null;
            running = true;
            retrying.set(true);
            paused = false;
            var threads = new ArrayList<Thread>(concurrency);
            stopped = new CountDownLatch(concurrency);
            var latch = stopped;
            var current = socket;
            for (int i = 0; i < concurrency; i++) {
                threads.add(threadFactory.newThread(() -> work(current, latch)));
            }
            workers = List.copyOf(threads);
            state = State.RUNNING;
            workers.forEach(Thread::start);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stop() {
        var done = new CountDownLatch(1);
        stop(done::countDown);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop(Runnable callback) {
        CountDownLatch latch;
        ManagedSocket current;
        lock.lock();
        try {
            if (!running) {
                callback.run();
                return;
            }
            running = false;
            retrying.set(false); // a message in hand skips its remaining attempts and goes to the recoverer
            paused = false;
            state = State.STOPPING;
            resumed.signalAll();
            latch = stopped;
            current = socket;
        } finally {
            lock.unlock();
        }
        var finisher = new Thread(() -> {
            try {
                latch.await();
                socketSource.release(current);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("Releasing the socket of ZeroMQ listener '" + id + "' failed", e);
            } finally {
                if (state == State.STOPPING) {
                    state = State.STOPPED;
                }
                callback.run();
            }
        }, "zmq-listener-" + id + "-stop");
        finisher.setDaemon(true);
        finisher.start();
    }

    /** Stops receiving; messages in hand finish. Messages queue in the socket up to its RCVHWM. */
    public void pause() {
        lock.lock();
        try {
            if (running && !paused) {
                paused = true;
                state = State.PAUSED;
            }
        } finally {
            lock.unlock();
        }
    }

    public void resume() {
        lock.lock();
        try {
            if (running && paused) {
                paused = false;
                state = State.RUNNING;
                resumed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isPaused() {
        return paused;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return ZmqPhases.LISTENERS;
    }

    private void awaitStopped() {
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ZeroMQ listener '" + id + "' is still stopping");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for listener '" + id + "' to stop", e);
        }
    }

    private void work(ManagedSocket managed, CountDownLatch latch) {
        try {
            while (running) {
                if (paused && awaitResume()) {
                    continue;
                }
                Message raw;
                try {
                    raw = managed.socket().recv(pollTimeout);
                } catch (ZmqException e) {
                    if (e.error() == ZmqError.ETERM || e.error() == ZmqError.ENOTSOCK) {
                        if (running) {
                            LOG.warn("ZeroMQ listener '" + id + "' lost its socket: " + e.getMessage());
                            managed.error("listener " + id + " stopped: " + e.getMessage());
                        }
                        return;
                    }
                    managed.error("receive failed: " + e.getMessage());
                    continue;
                }
                if (raw != null) {
                    if (paused) {
                        // taken just as the container paused: held, not handled, until resume (or stop)
                        awaitResume();
                    }
                    if (batchSize > 0) {
                        handleBatch(managed, raw);
                    } else {
                        handle(managed, raw);
                    }
                }
            }
        } finally {
            latch.countDown();
        }
    }

    /** Waits while paused; true if the worker should re-check its state. */
    private boolean awaitResume() {
        lock.lock();
        try {
            while (paused && running) {
                resumed.await(pollTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** {@code first} and the messages already waiting, up to the batch size, in one call. */
    private void handleBatch(ManagedSocket managed, Message first) {
        var batch = new ArrayList<InboundMessage>(batchSize);
        var raw = first;
        while (raw != null) {
            var in = parse(managed, raw);
            if (in != null) {
                batch.add(in);
            }
            if (batch.size() >= batchSize) {
                break;
            }
            try {
                raw = managed.socket().recv(Duration.ZERO);
            } catch (ZmqException e) {
                raw = null; // the next poll reports it
            }
        }
        if (!batch.isEmpty()) {
            invoker.invokeBatch(batch, managed);
            handled.addAndGet(batch.size());
        }
    }

    /** The message parsed, or null when it was malformed (then logged and counted as discarded). */
    private InboundMessage parse(ManagedSocket managed, Message raw) {
        InboundMessage in;
        try {
            in = InboundMessage.parse(mode, raw, topics, managed.type(), managed.headerEnvelope());
        } catch (IllegalArgumentException e) {
            managed.stats().unusable();
            outcomes.discarded(0);
            managed.error("dropped a message without a valid header frame: " + e.getMessage());
            LOG.warn("ZeroMQ listener '" + id + "' discarded " + raw + ": socket '" + managed.name()
                    + "' has the header envelope on, but " + e.getMessage()
                    + " (does the sender write the header frame? see zmq.sockets." + managed.name() + ".headers)");
            return null;
        }
        if (in == null) {
            managed.stats().unusable();
            outcomes.discarded(0);
            managed.error("dropped a request without the empty delimiter frame (not from a REQ peer?)");
            LOG.warn("ZeroMQ listener '" + id + "' discarded " + raw + ": a request without the empty delimiter frame (not from a REQ peer?)");
        }
        return in;
    }

    private void handle(ManagedSocket managed, Message raw) {
        var in = parse(managed, raw);
        if (in == null) {
            return;
        }
        var reply = invoker.invoke(in, managed, mode);
        handled.incrementAndGet();
        if (!mode.replies()) {
            return;
        }
        if (reply == null || reply.isEmpty()) {
            if (!mode.mustReply()) {
                return;
            }
            reply = List.of(new byte[0]);
        }
        if (managed.headerEnvelope()) {
            reply = invoker.withReplyHeaders(in, reply);
        }
        if (mode == ReplyMode.DGRAM && reply.size() != 1) {
            managed.stats().refused();
            managed.error("reply dropped: a DGRAM reply is one datagram, so one frame, not " + reply.size()
                    + " (return a byte[], a String or an object the converter writes as one body)");
            return;
        }
        var out = switch (mode) {
            case REP -> FrameConversion.join(null, reply);
            case SERVER -> FrameConversion.join(null, reply).withRoutingId(in.content().routingId()); // back to the CLIENT that asked
            default -> FrameConversion.join(in.envelope(), reply);
        };
        try {
            if (!managed.socket().send(out, REPLY_SEND_TIMEOUT)) {
                managed.stats().refused();
                managed.error("reply dropped: no room within " + REPLY_SEND_TIMEOUT);
            }
        } catch (ZmqException e) {
            managed.stats().refused();
            managed.error("reply failed: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ZmqMessageListenerContainer[" + id + ", " + state + "]";
    }
}
