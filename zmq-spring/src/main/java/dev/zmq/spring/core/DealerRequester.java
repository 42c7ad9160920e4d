package dev.zmq.spring.core;

import dev.zmq.Message;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.spring.socket.ManagedSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Concurrent request-reply over one DEALER socket: each request is sent as
 * {@code [correlation id, "", frames...]}; a REP (or a ROUTER that keeps the envelope) echoes the
 * id back, and one reader thread completes the matching future. Requests never wait for each other.
 */
final class DealerRequester {
    private static final Log LOG = LogFactory.getLog(DealerRequester.class);
    private static final byte[] EMPTY = new byte[0];

    private final String name;
    private final ManagedSocket socket;
    private final ScheduledExecutorService timer;
    private final Duration pollTimeout;
    private final ConcurrentHashMap<Long, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(ThreadLocalRandom.current().nextLong());
    private final Thread reader;
    private volatile boolean running = true;

    DealerRequester(String name, ManagedSocket socket, ScheduledExecutorService timer, Duration pollTimeout) {
        this.name = name;
        this.socket = socket;
        this.timer = timer;
        this.pollTimeout = pollTimeout;
        this.reader = new Thread(this::read, "zmq-template-" + name + "-replies");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    CompletableFuture<Message> request(Message request, Duration timeout, Duration sendTimeout) {
        var future = new CompletableFuture<Message>();
        if (!running) {
            future.completeExceptionally(new ZmqTemplateException("Request-reply on socket '" + name + "' is stopped (shutting down)"));
            return future;
        }
        long id = ids.incrementAndGet();
        pending.put(id, future);
        var scheduled = timer.schedule(() -> {
            if (pending.remove(id, future)) {
                future.completeExceptionally(new ZmqReplyTimeoutException(name, timeout));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        future.whenComplete((reply, failure) -> {
            scheduled.cancel(false);
            pending.remove(id, future);
        });
        var out = request.prepend(ByteBuffer.allocate(8).putLong(id).array(), EMPTY);
        try {
            boolean sent = sendTimeout == null ? sendBlocking(out) : socket.socket().send(out, sendTimeout);
            if (!sent) {
                socket.stats().refused();
                future.completeExceptionally(new ZmqSendTimeoutException(name, sendTimeout));
            }
        } catch (ZmqException e) {
            socket.error("request failed: " + e.getMessage());
            future.completeExceptionally(new ZmqTemplateException("Request on socket '" + name + "' failed: " + e.getMessage(), e));
        }
        return future;
    }

    private boolean sendBlocking(Message out) {
        socket.socket().send(out);
        return true;
    }

    private void read() {
        while (running) {
            Message reply;
            try {
                reply = socket.socket().recv(pollTimeout);
            } catch (ZmqException e) {
                if (e.error() == ZmqError.ETERM || e.error() == ZmqError.ENOTSOCK) {
                    break;
                }
                socket.error("receive failed: " + e.getMessage());
                continue;
            }
            if (reply == null) {
                continue;
            }
            if (reply.size() < 3 || reply.frame(0).length != 8 || reply.frame(1).length != 0) {
                LOG.debug("Ignoring a message without a correlation envelope on socket '" + name + "': " + reply);
                continue;
            }
            long id = ByteBuffer.wrap(reply.frame(0)).getLong();
            var future = pending.remove(id);
            if (future != null) {
                future.complete(reply.dropFirst(2));
            } else {
                LOG.debug("Late or unknown reply on socket '" + name + "' dropped: " + reply);
            }
        }
        failAll("socket '" + name + "' closed");
    }

    void stop() {
        running = false;
        failAll("the application is shutting down");
    }

    private void failAll(String why) {
        for (var id : pending.keySet()) {
            var future = pending.remove(id);
            if (future != null) {
                future.completeExceptionally(new ZmqTemplateException("Request on socket '" + name + "' abandoned: " + why));
            }
        }
    }

    void awaitStopped(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
    }
}
