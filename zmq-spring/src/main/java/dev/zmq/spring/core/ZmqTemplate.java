package dev.zmq.spring.core;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.lifecycle.ZmqPhases;
import dev.zmq.spring.listener.FrameConversion;
import dev.zmq.spring.socket.ManagedSocket;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import dev.zmq.spring.headers.HeaderEnvelope;
import dev.zmq.spring.listener.ZmqHeaders;
import dev.zmq.spring.observation.ZmqObservations;
import dev.zmq.spring.observation.ZmqSenderContext;
import dev.zmq.spring.observation.ZmqTemplateObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Sends messages on named sockets (keys of {@code zmq.sockets}, or any {@code ZmqSocket} bean),
 * converting payloads like {@code @ZmqListener} return values, and makes requests.
 *
 * <p>Request-reply works on DEALER and REQ sockets. On a DEALER, requests are correlated (an id
 * frame and an empty delimiter before the body, echoed back by REP and by ROUTER listeners), so
 * any number of threads have requests in flight at once; a DEALER used this way is read by the
 * template only. On a REQ, requests take turns; the template sets REQ_RELAXED and REQ_CORRELATE
 * so that a timed-out request does not wedge the socket. Every request has a timeout (per call,
 * or {@code zmq.template.reply-timeout}) and fails with {@link ZmqReplyTimeoutException}, never
 * returning null. An error reply ({@link ZmqErrorReply}: the replier's listener failed) fails the
 * request with a {@link ZmqRemoteException} carrying its code and message, never becoming a payload.
 *
 * <p>Safe to call from many threads at once.
 */
public class ZmqTemplate implements ZmqOperations, SmartLifecycle {
    private final Function<String, ZmqSocket> sockets;
    private final Map<String, ManagedSocket> resolved = new ConcurrentHashMap<>();
    private final ZmqSocketRegistry registry;
    private final MessageConverter converter;
    private volatile String defaultSocket;
    private volatile Duration replyTimeout = Duration.ofSeconds(5);
    private volatile Duration sendTimeout = Duration.ofSeconds(5);
    private volatile ObservationRegistry observations;
    private volatile ZmqTemplateObservationConvention observationConvention;
    private final Map<String, DealerRequester> dealers = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> reqLocks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService asyncRequests;
    private volatile boolean running = true;
    private volatile boolean lifecycleRunning;

    /**
     * @param sockets the socket of a name, or null when there is none (with Spring, the {@code ZmqSocket}
     *                beans: each name is looked up once, on first use)
     * @param registry the sockets' statistics and state
     * @param converter turns payloads into frames and replies into objects
     */
    public ZmqTemplate(Function<String, ZmqSocket> sockets, ZmqSocketRegistry registry, MessageConverter converter) {
        this.sockets = sockets;
        this.registry = registry;
        this.converter = converter;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("zmq-template-timer"));
        this.asyncRequests = Executors.newCachedThreadPool(daemon("zmq-template-request"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        var counter = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            var t = new Thread(r, name + "-" + counter.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    // ------------------------------------------------------------------ settings

    /** The socket of the calls that take no socket name ({@code zmq.template.default-socket}). */
    public void setDefaultSocket(String defaultSocket) {
        this.defaultSocket = defaultSocket;
    }

    /** How long a request waits for its reply unless the call says ({@code zmq.template.reply-timeout}, 5 s). */
    public void setReplyTimeout(Duration replyTimeout) {
        this.replyTimeout = replyTimeout;
    }

    /**
     * How long a send waits for a peer with room before failing with {@link ZmqSendTimeoutException}
     * ({@code zmq.template.send-timeout}, 5 s); negative waits as long as the socket's SNDTIMEO allows.
     */
    public void setSendTimeout(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    /** Replaces the default convention ({@code zmq.template}) of the template's observations. */
    public void setObservationConvention(ZmqTemplateObservationConvention observationConvention) {
        this.observationConvention = observationConvention;
    }

    /** Wraps each operation in a Micrometer Observation on {@code observations}; null turns that off. */
    public void setObservationRegistry(ObservationRegistry observations) {
        this.observations = observations;
    }

    // ------------------------------------------------------------------ sending

    /** Sends {@code message} on the default socket ({@code zmq.template.default-socket}). */
    @Override
    public void send(Message message) {
        send(defaultSocket(), message);
    }

    @Override
    public void send(String socket, Message message) {
        send(socket, message, Map.of());
    }

    /**
     * Sends {@code message} on {@code socket} with {@code headers} in its header frame; the socket must have
     * the header envelope ({@code zmq.sockets.<name>.headers=true}) unless {@code headers} is empty. The
     * observation's propagated context (e.g. {@code traceparent}) is added to them.
     */
    @Override
    public void send(String socket, Message message, Map<String, ?> headers) {
        var managed = socket(socket);
        var carrier = carrier(managed, headers);
        observe("send", managed, carrier, () -> {
            doSend(managed, managed.headerEnvelope() ? HeaderEnvelope.wrap(managed.type(), message, carrier) : message);
            return null;
        });
    }

    @Override
    public void send(String socket, byte[] body) {
        send(socket, Message.of(body));
    }

    @Override
    public void send(String socket, String body) {
        send(socket, Message.of(body));
    }

    /** Sends the frames as one message. */
    @Override
    public void sendMultipart(String socket, List<byte[]> frames) {
        send(socket, Message.of(frames));
    }

    @Override
    public void sendMultipart(String socket, byte[]... frames) {
        send(socket, Message.of(frames));
    }

    /** Converts {@code payload} (JSON for objects with Jackson) and sends it on the default socket. */
    @Override
    public void convertAndSend(Object payload) {
        convertAndSend(defaultSocket(), payload);
    }

    @Override
    public void convertAndSend(String socket, Object payload) {
        convertAndSendWithHeaders(socket, payload, Map.of());
    }

    /**
     * Converts {@code payload} and sends it on {@code socket} with {@code headers} (and its content type) in
     * the header frame; the socket must have the header envelope unless {@code headers} is empty.
     */
    @Override
    public void convertAndSendWithHeaders(String socket, Object payload, Map<String, ?> headers) {
        var all = new LinkedHashMap<String, Object>();
        var managed = socket(socket);
        if (managed.headerEnvelope()) {
            var type = contentType(payload);
            if (type != null) {
                all.put(ZmqHeaders.CONTENT_TYPE, type);
            }
        }
        all.putAll(headers);
        send(socket, FrameConversion.join(null, toFrames(payload)), all);
    }

    /** Sends {@code [topic, converted payload]}: the form SUB listeners read the topic from. */
    @Override
    public void convertAndSend(String socket, String topic, Object payload) {
        send(socket, FrameConversion.join(new byte[][] {topic.getBytes(StandardCharsets.UTF_8)}, toFrames(payload)));
    }

    // ------------------------------------------------------------------ request-reply

    /** Sends {@code request} and waits up to {@code zmq.template.reply-timeout} for the reply. */
    @Override
    public Message sendAndReceive(String socket, Message request) {
        return sendAndReceive(socket, request, null);
    }

    /** Sends {@code request} and waits up to {@code timeout} (null: the default) for the reply. */
    @Override
    public Message sendAndReceive(String socket, Message request, Duration timeout) {
        var managed = socket(socket);
        var wait = timeout(timeout);
        var carrier = carrier(managed, Map.of());
        return observe("request", managed, carrier, () -> {
            var out = managed.headerEnvelope() ? HeaderEnvelope.wrap(managed.type(), request, carrier) : request;
            Message reply;
            if (managed.type() == SocketType.REQ) {
                reply = reqRequest(managed, out, wait);
            } else if (managed.type() == SocketType.CLIENT) {
                reply = clientRequest(managed, request, wait); // single frame: never a header envelope
            } else {
                reply = join(dealer(managed).request(out, wait, sendTimeout()));
            }
            return ZmqErrorReply.check(managed.name(), unwrapReply(managed, reply));
        });
    }

    @Override
    public CompletableFuture<Message> sendAndReceiveAsync(String socket, Message request) {
        return sendAndReceiveAsync(socket, request, null);
    }

    /**
     * The reply, or a future failed with {@link ZmqReplyTimeoutException} after {@code timeout}. Observed like
     * {@link #sendAndReceive(String, Message, Duration)}: the observation starts before the request goes out (so its
     * propagated context is in the header frame) and stops when the returned future completes, with the failure
     * recorded; no thread waits for that.
     */
    @Override
    public CompletableFuture<Message> sendAndReceiveAsync(String socket, Message request, Duration timeout) {
        ManagedSocket managed;
        try {
            managed = socket(socket);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        var wait = timeout(timeout);
        var carrier = carrier(managed, Map.of());
        return observeAsync("request", managed, carrier, () -> {
            var out = managed.headerEnvelope() ? HeaderEnvelope.wrap(managed.type(), request, carrier) : request;
            if (managed.type() == SocketType.REQ) {
                return CompletableFuture.supplyAsync(inCurrentScope(
                        () -> ZmqErrorReply.check(managed.name(), unwrapReply(managed, reqRequest(managed, out, wait)))), asyncRequests);
            }
            if (managed.type() == SocketType.CLIENT) {
                return CompletableFuture.supplyAsync(inCurrentScope(
                        () -> ZmqErrorReply.check(managed.name(), clientRequest(managed, request, wait))), asyncRequests);
            }
            return dealer(managed).request(out, wait, sendTimeout())
                    .thenApply(reply -> ZmqErrorReply.check(managed.name(), unwrapReply(managed, reply)));
        });
    }

    @Override
    public <T> T convertSendAndReceive(String socket, Object request, Class<T> replyType) {
        return convertSendAndReceive(socket, request, replyType, null);
    }

    /** Converts {@code request}, sends it and converts the reply's body to {@code replyType}. */
    @Override
    public <T> T convertSendAndReceive(String socket, Object request, Class<T> replyType, Duration timeout) {
        return fromBody(sendAndReceive(socket, FrameConversion.join(null, toFrames(request)), timeout), replyType);
    }

    @Override
    public <T> CompletableFuture<T> convertSendAndReceiveAsync(String socket, Object request, Class<T> replyType) {
        return convertSendAndReceiveAsync(socket, request, replyType, null);
    }

    @Override
    public <T> CompletableFuture<T> convertSendAndReceiveAsync(String socket, Object request, Class<T> replyType, Duration timeout) {
        Message message;
        try {
            message = FrameConversion.join(null, toFrames(request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sendAndReceiveAsync(socket, message, timeout).thenApply(reply -> fromBody(reply, replyType));
    }

    // ------------------------------------------------------------------ internals

    private String defaultSocket() {
        var name = defaultSocket;
        if (name == null || name.isBlank()) {
            throw new ZmqTemplateException("No socket given and zmq.template.default-socket is not set");
        }
        return name;
    }

    private ManagedSocket socket(String name) {
        var known = resolved.get(name);
        if (known != null && !known.isClosed()) {
            return known;
        }
        var socket = sockets.apply(name);
        if (socket == null) {
            throw new ZmqTemplateException("No socket named '" + name + "': declare zmq.sockets." + name + " (type, bind/connect)");
        }
        var managed = registry.find(socket).orElseGet(() -> new ManagedSocket(name, socket.type(), ManagedSocket.Origin.CONFIGURATION,
                socket, registry.stats(name, socket.type())));
        resolved.put(name, managed);
        return managed;
    }

    private void doSend(ManagedSocket managed, Message message) {
        var sendTimeout = sendTimeout();
        try {
            if (sendTimeout != null) {
                if (!managed.socket().send(message, sendTimeout)) {
                    managed.stats().refused();
                    throw new ZmqSendTimeoutException(managed.name(), sendTimeout);
                }
            } else {
                managed.socket().send(message);
            }
        } catch (ZmqException e) {
            if (e.error() == ZmqError.EAGAIN || e.error() == ZmqError.EHOSTUNREACH) {
                managed.stats().refused();
            }
            managed.error("send failed: " + e.getMessage());
            throw new ZmqTemplateException("Send on socket '" + managed.name() + "' failed: " + e.getMessage(), e);
        }
    }

    private DealerRequester dealer(ManagedSocket managed) {
        if (managed.type() != SocketType.DEALER) {
            throw new ZmqTemplateException("Socket '" + managed.name() + "' is a " + managed.type()
                    + ": request-reply needs a DEALER (concurrent requests) or a REQ socket");
        }
        if (!running) {
            throw new ZmqTemplateException("Request-reply on socket '" + managed.name() + "' is stopped (shutting down)");
        }
        return dealers.computeIfAbsent(managed.name(), n -> new DealerRequester(n, managed, timer, Duration.ofMillis(100)));
    }

    /**
     * A request over a CLIENT socket (single frame): one request at a time per socket, as a CLIENT's
     * replies carry nothing to match them by; a late reply to an earlier, timed-out request is
     * thrown away before the next request goes out.
     */
    private Message clientRequest(ManagedSocket managed, Message request, Duration timeout) {
        var lock = reqLocks.computeIfAbsent(managed.name(), n -> new ReentrantLock());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!lock.tryLock(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                throw new ZmqReplyTimeoutException(managed.name(), timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZmqTemplateException("Interrupted waiting to use socket '" + managed.name() + "'", e);
        }
        try {
            var socket = managed.socket();
            while (socket.tryRecv() != null) {
                managed.stats().unusable(); // a reply that came after its request timed out
            }
            doSend(managed, request);
            var reply = socket.recv(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (reply == null) {
                throw new ZmqReplyTimeoutException(managed.name(), timeout);
            }
            return reply;
        } catch (ZmqException e) {
            throw new ZmqTemplateException("Request on socket '" + managed.name() + "' failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private Message reqRequest(ManagedSocket managed, Message request, Duration timeout) {
        var lock = reqLocks.computeIfAbsent(managed.name(), n -> new ReentrantLock());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!lock.tryLock(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                throw new ZmqReplyTimeoutException(managed.name(), timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZmqTemplateException("Interrupted waiting to use socket '" + managed.name() + "'", e);
        }
        try {
            var socket = managed.socket();
            if (!socket.get(SocketOption.REQ_RELAXED)) {
                socket.set(SocketOption.REQ_RELAXED, true);
            }
            if (!socket.get(SocketOption.REQ_CORRELATE)) {
                socket.set(SocketOption.REQ_CORRELATE, true);
            }
            doSend(managed, request);
            var remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            var reply = socket.recv(remaining);
            if (reply == null) {
                throw new ZmqReplyTimeoutException(managed.name(), timeout);
            }
            return reply;
        } catch (ZmqException e) {
            throw new ZmqTemplateException("Request on socket '" + managed.name() + "' failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The bounded send timeout, or null when {@code zmq.template.send-timeout} is negative (the socket's SNDTIMEO rules). */
    private Duration sendTimeout() {
        var timeout = sendTimeout;
        return timeout == null || timeout.isNegative() ? null : timeout;
    }

    private Duration timeout(Duration perCall) {
        var timeout = perCall != null ? perCall : replyTimeout;
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new ZmqTemplateException("A reply timeout must be positive, got " + timeout
                    + " (per call, or zmq.template.reply-timeout)");
        }
        return timeout;
    }

    private static Message join(CompletableFuture<Message> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw new ZmqTemplateException("Interrupted while waiting for a reply", e);
        }
    }

    private static RuntimeException unwrap(Throwable t) {
        if (t instanceof CompletionException c && c.getCause() != null) {
            return unwrap(c.getCause());
        }
        return t instanceof RuntimeException r ? r : new ZmqTemplateException(t.getMessage(), t);
    }

    private List<byte[]> toFrames(Object payload) {
        return FrameConversion.toFrames(payload, converter, new MessageHeaders(Map.of()));
    }

    @SuppressWarnings("unchecked")
    private <T> T fromBody(Message reply, Class<T> type) {
        if (type == Message.class) {
            return (T) reply;
        }
        if (type == byte[].class) {
            return (T) reply.last();
        }
        var converted = converter.fromMessage(MessageBuilder.withPayload(reply.last()).build(), type);
        if (converted == null) {
            throw new ZmqTemplateException("Cannot convert the reply " + reply + " to " + type.getName());
        }
        return (T) converted;
    }

    private <T> T observe(String operation, ManagedSocket socket, Map<String, String> carrier, Supplier<T> action) {
        var observations = this.observations;
        if (observations == null) {
            return action.get();
        }
        var context = new ZmqSenderContext(carrier, socket.name(), socket.type(), operation);
        return ZmqObservations.sender(observationConvention, context, observations).observe(action);
    }

    /**
     * Like {@link #observe}, for an operation that completes later: the observation is started (its propagating
     * handlers write into {@code carrier}) and in scope while {@code action} starts the operation, and is stopped
     * when the operation's future completes, with its failure as the error. As spring-kafka's KafkaTemplate does for
     * its sends, a failure to start the operation is recorded and rethrown. The future returned completes after the
     * observation has stopped.
     */
    private <T> CompletableFuture<T> observeAsync(String operation, ManagedSocket socket, Map<String, String> carrier,
                                                  Supplier<CompletableFuture<T>> action) {
        var observations = this.observations;
        if (observations == null) {
            return action.get();
        }
        var context = new ZmqSenderContext(carrier, socket.name(), socket.type(), operation);
        var observation = ZmqObservations.sender(observationConvention, context, observations).start();
        CompletableFuture<T> result;
        try {
            result = observation.scoped(action); // records a failure as the observation's error
        } catch (RuntimeException e) {
            observation.stop();
            throw e;
        }
        return result.whenComplete((value, failure) -> {
            if (failure != null) {
                observation.error(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
            }
            observation.stop();
        });
    }

    /** {@code action} with the current observation (if any) in scope on the thread that runs it. */
    private <T> Supplier<T> inCurrentScope(Supplier<T> action) {
        var observations = this.observations;
        var current = observations == null ? null : observations.getCurrentObservation();
        if (current == null) {
            return action;
        }
        return () -> {
            var scope = current.openScope(); // not scoped(): the failure is recorded once, when the future completes
            try {
                return action.get();
            } finally {
                scope.close();
            }
        };
    }

    /** The header map to send: {@code headers} as strings; refused on a socket without the envelope. */
    private static Map<String, String> carrier(ManagedSocket socket, Map<String, ?> headers) {
        if (!headers.isEmpty() && !socket.headerEnvelope()) {
            throw new ZmqTemplateException("Socket '" + socket.name() + "' has no header envelope, so headers " + headers.keySet()
                    + " cannot be sent: set zmq.sockets." + socket.name() + ".headers=true (on the receiving side too)");
        }
        var carrier = new LinkedHashMap<String, String>();
        headers.forEach((name, value) -> carrier.put(name, value == null ? "" : value.toString()));
        return carrier;
    }

    /** The reply without its header frame on a socket with the envelope. */
    private static Message unwrapReply(ManagedSocket socket, Message reply) {
        if (!socket.headerEnvelope()) {
            return reply;
        }
        try {
            return HeaderEnvelope.unwrap(socket.type(), reply).message();
        } catch (IllegalArgumentException e) {
            throw new ZmqTemplateException("The reply on socket '" + socket.name() + "' has no valid header frame (" + e.getMessage()
                    + "): does the replier have the header envelope on too?", e);
        }
    }

    private static String contentType(Object payload) {
        if (payload instanceof String) {
            return "text/plain;charset=UTF-8";
        }
        if (payload instanceof byte[] || payload instanceof Message || payload instanceof List<?>
                || payload instanceof org.springframework.messaging.Message<?>) {
            return null;
        }
        return "application/json";
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start() {
        lifecycleRunning = true;
    }

    /** Fails requests still waiting and stops the reply readers; plain sends keep working until the sockets close. */
    @Override
    public void stop() {
        lifecycleRunning = false;
        running = false;
        dealers.values().forEach(DealerRequester::stop);
        for (var dealer : dealers.values()) {
            try {
                dealer.awaitStopped(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
        asyncRequests.shutdown();
    }

    @Override
    public boolean isRunning() {
        return lifecycleRunning;
    }

    @Override
    public int getPhase() {
        return ZmqPhases.TEMPLATE;
    }
}
