package dev.zmq.spring.listener;

import dev.zmq.spring.core.ZmqErrorReply;
import dev.zmq.spring.recovery.ZmqFailedMessage;
import dev.zmq.spring.recovery.ZmqMessageRecoverer;
import dev.zmq.spring.socket.ManagedSocket;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import dev.zmq.spring.headers.ZmqHeaderFrame;
import dev.zmq.spring.observation.ZmqListenerObservationConvention;
import dev.zmq.spring.observation.ZmqObservations;
import dev.zmq.spring.observation.ZmqReceiverContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.messaging.Message;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Calls the listener method for one message, as many times as the retry settings allow, and works
 * out what to answer: the converted return value, or, after the last failed attempt, the recoverer
 * is called and the error handler says what to answer. Every message ends as one outcome
 * ({@link ZmqListenerOutcomes}). Never throws itself.
 */
final class ListenerInvoker {
    private static final Log LOG = LogFactory.getLog(ListenerInvoker.class);

    private final String listenerId;
    private final InvocableHandlerMethod method;
    private final MessageConverter converter;
    private final ZmqListenerErrorHandler errorHandler;
    private final SendToTarget sendTo;
    private final ObservationRegistry observations;
    private final Duration asyncReplyTimeout;
    private final RetryTemplate retry;
    private final ZmqMessageRecoverer recoverer;
    private final ZmqListenerOutcomes outcomes;
    private final ErrorReplies errorReplies;
    private final ZmqListenerObservationConvention convention;
    private volatile List<ZmqListenerInvocationObserver> invocationObservers = List.of();

    /** Where {@code @SendTo} sends a listener's result. */
    @FunctionalInterface
    interface SendToTarget {
        void send(List<byte[]> frames, Message<?> request, Object result);
    }

    ListenerInvoker(String listenerId, InvocableHandlerMethod method, MessageConverter converter,
                    ZmqListenerErrorHandler errorHandler, SendToTarget sendTo, ObservationRegistry observations,
                    Duration asyncReplyTimeout, RetryTemplate retry, ZmqMessageRecoverer recoverer, ZmqListenerOutcomes outcomes,
                    ErrorReplies errorReplies, ZmqListenerObservationConvention convention) {
        this.errorReplies = errorReplies;
        this.convention = convention;
        this.asyncReplyTimeout = asyncReplyTimeout;
        this.retry = retry;
        this.recoverer = recoverer;
        this.outcomes = outcomes;
        this.listenerId = listenerId;
        this.method = method;
        this.converter = converter;
        this.errorHandler = errorHandler;
        this.sendTo = sendTo;
        this.observations = observations;
    }

    /** The reply frames for {@code in} on a socket that replies; null when there is nothing to reply. */
    List<byte[]> invoke(InboundMessage in, ManagedSocket socket, ReplyMode mode) {
        var builder = MessageBuilder.withPayload(in.body());
        in.headers().forEach(builder::setHeader);
        var message = builder
                .setHeader(ZmqHeaders.ENVELOPE, in.headers())
                .setHeader(ZmqHeaders.TOPIC, in.topic())
                .setHeader(ZmqHeaders.ROUTING_ID, in.routingId())
                .setHeader(ZmqHeaders.PEER_ADDRESS, mode == ReplyMode.DGRAM ? datagramSender(in.routingId())
                        : in.content().property("Peer-Address"))
                .setHeader(ZmqHeaders.SOCKET, socket.name())
                .setHeader(ZmqHeaders.SOCKET_TYPE, socket.type())
                .setHeader(ZmqHeaders.LISTENER_ID, listenerId)
                .setHeader(ZmqHeaders.RAW_MESSAGE, in.content())
                .setHeader(ZmqHeaders.FRAME_COUNT, in.content().size())
                .setHeader(ZmqHeaders.USER_ID, in.content().property("User-Id"))
                .setHeader(ZmqHeaders.PROPERTIES, in.content().properties())
                .build();
        if (observations == null) {
            return handle(message, in, socket, mode);
        }
        var context = new ZmqReceiverContext(in.headers(), listenerId, socket.name(), socket.type());
        return ZmqObservations.listener(convention, context, observations)
                .observe(() -> handle(message, in, socket, mode));
    }

    /** The IP address of a DGRAM message's address frame ({@code ip:port}, IPv4 only as libzmq's DGRAM). */
    private static String datagramSender(byte[] address) {
        var text = new String(address, java.nio.charset.StandardCharsets.US_ASCII);
        int colon = text.lastIndexOf(':');
        return colon < 0 ? text : text.substring(0, colon);
    }

    void setInvocationObservers(List<ZmqListenerInvocationObserver> observers) {
        this.invocationObservers = List.copyOf(observers);
    }

    private void notify(Message<?> message, Object result, Throwable failure, int attempts) {
        for (var observer : invocationObservers) {
            try {
                observer.invoked(new ZmqListenerInvocation(listenerId, message, result, failure, attempts));
            } catch (RuntimeException e) {
                LOG.warn("Invocation observer of ZeroMQ listener '" + listenerId + "' failed", e);
            }
        }
    }

    /** {@code reply} after a header frame echoing the request's correlation id (sockets with the header envelope). */
    List<byte[]> withReplyHeaders(InboundMessage in, List<byte[]> reply) {
        var headers = new LinkedHashMap<String, String>();
        var correlation = in.headers().get(ZmqHeaders.CORRELATION_ID);
        if (correlation != null) {
            headers.put(ZmqHeaders.CORRELATION_ID, correlation);
        }
        var all = new ArrayList<byte[]>(reply.size() + 1);
        all.add(ZmqHeaderFrame.encode(headers));
        all.addAll(reply);
        return all;
    }

    private List<byte[]> handle(Message<byte[]> message, InboundMessage in, ManagedSocket socket, ReplyMode mode) {
        var attempts = new int[1];
        Object result;
        try {
            result = attempt(message, attempts);
        } catch (Throwable e) {
            notify(message, null, e, attempts[0]);
            return onError(message, in, socket, mode, e, attempts[0]);
        }
        notify(message, result, null, attempts[0]);
        List<byte[]> reply;
        try {
            var frames = FrameConversion.toFrames(result, converter, message.getHeaders());
            if (mode.replies() && sendTo == null && ZmqErrorReply.startsWithMarker(frames)) {
                throw new IllegalStateException("A reply may not start with the error-reply marker frame 0xFF 'Z' 'E' 1: "
                        + "requesters would take it for an error (throw ZmqErrorReplyException to answer with an error)");
            }
            if (sendTo != null) {
                if (frames != null) {
                    sendTo.send(frames, message, result);
                }
                reply = null;
            } else {
                reply = mode.replies() ? frames : null;
            }
        } catch (RuntimeException e) {
            // the listener ran: its side effects happened, so no retry; the reply (or @SendTo) failed
            return onError(message, in, socket, mode, e, attempts[0]);
        }
        outcomes.succeeded(attempts[0]);
        return reply;
    }

    /**
     * Calls a batch listener once for {@code batch} (again while the retry settings allow); after the last
     * failed attempt each message of the batch goes to the recoverer. Batch listeners do not reply.
     */
    void invokeBatch(List<InboundMessage> batch, ManagedSocket socket) {
        var bodies = new ArrayList<byte[]>(batch.size());
        var contents = new ArrayList<dev.zmq.Message>(batch.size());
        for (var in : batch) {
            bodies.add(in.body());
            contents.add(in.content());
        }
        Message<List<byte[]>> message = MessageBuilder.withPayload((List<byte[]>) bodies)
                .setHeader(ZmqHeaders.BATCH, true)
                .setHeader(ZmqHeaders.BATCH_MESSAGES, List.copyOf(contents))
                .setHeader(ZmqHeaders.SOCKET, socket.name())
                .setHeader(ZmqHeaders.SOCKET_TYPE, socket.type())
                .setHeader(ZmqHeaders.LISTENER_ID, listenerId)
                .setHeader(ZmqHeaders.FRAME_COUNT, batch.size())
                .build();
        if (observations == null) {
            handleBatch(message, batch, socket);
            return;
        }
        var context = new ZmqReceiverContext(batch.get(0).headers(), listenerId, socket.name(), socket.type());
        ZmqObservations.listener(convention, context, observations).observe(() -> handleBatch(message, batch, socket));
    }

    private void handleBatch(Message<List<byte[]>> message, List<InboundMessage> batch, ManagedSocket socket) {
        var attempts = new int[1];
        try {
            var result = attempt(message, attempts);
            notify(message, result, null, attempts[0]);
            if (sendTo != null) {
                var frames = FrameConversion.toFrames(result, converter, message.getHeaders());
                if (frames != null) {
                    sendTo.send(frames, message, result);
                }
            }
        } catch (Throwable e) {
            notify(message, null, e, attempts[0]);
            socket.error("listener " + listenerId + ": " + e);
            try {
                errorHandler.handleError(message, new ZmqListenerExecutionFailedException(listenerId,
                        "Listener '" + listenerId + "' failed on a batch of " + batch.size() + ": " + e.getMessage(), e));
            } catch (Throwable handlerFailure) {
                LOG.error("Error handler of ZeroMQ listener '" + listenerId + "' failed", handlerFailure);
            }
            outcomes.retried(attempts[0] - 1L);
            for (var in : batch) {
                recover(new ZmqFailedMessage(listenerId, socket.name(), in.content(), e, attempts[0]), 1);
            }
            return;
        }
        outcomes.retried(attempts[0] - 1L);
        for (int i = 0; i < batch.size(); i++) {
            outcomes.succeeded(1);
        }
    }

    /** Invokes the listener (awaiting an async result), again while the retry settings allow. */
    private Object attempt(Message<?> message, int[] attempts) throws Throwable {
        if (retry == null) {
            attempts[0]++;
            return once(message);
        }
        try {
            return retry.execute(() -> {
                attempts[0]++;
                return once(message);
            });
        } catch (RetryException e) {
            throw e.getLastException() != null ? e.getLastException() : e.getCause() != null ? e.getCause() : e;
        }
    }

    private Object once(Message<?> message) throws Throwable {
        var result = method.invoke(message);
        if (AsyncResults.isAsync(result)) {
            result = AsyncResults.await(result, asyncReplyTimeout, listenerId,
                    method instanceof SuspendingInvocableHandlerMethod ? "suspend function" : null);
        }
        return result;
    }

    /** Failures another attempt cannot cure: the message cannot be converted or validated. */
    static boolean retryable(Throwable failure) {
        for (var t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MessageConversionException || t instanceof MethodArgumentResolutionException
                    || t instanceof InterruptedException) {
                return false;
            }
        }
        return true;
    }

    private List<byte[]> onError(Message<byte[]> message, InboundMessage in, ManagedSocket socket, ReplyMode mode, Throwable e,
                                 int attempts) {
        var failure = new ZmqListenerExecutionFailedException(listenerId,
                "Listener '" + listenerId + "' failed: " + e.getMessage(), e);
        socket.error("listener " + listenerId + ": " + e);
        recover(new ZmqFailedMessage(listenerId, socket.name(), in.content(), e, attempts), attempts);
        Object reply;
        try {
            reply = errorHandler.handleError(message, failure);
        } catch (Throwable handlerFailure) {
            LOG.error("Error handler of ZeroMQ listener '" + listenerId + "' failed", handlerFailure);
            reply = null;
        }
        if (!mode.replies()) {
            return null;
        }
        if (reply == null) {
            return mode.errorReplies() ? errorReplies.of(failure) : null;
        }
        try {
            return FrameConversion.toFrames(reply, converter, message.getHeaders());
        } catch (RuntimeException conversion) {
            LOG.error("Cannot convert the error reply of ZeroMQ listener '" + listenerId + "'", conversion);
            return errorReplies.of(failure);
        }
    }

    /** @param countedAttempts the attempts to count for this message (1 for a message of a batch, whose retries count once) */
    private void recover(ZmqFailedMessage failed, int countedAttempts) {
        try {
            recoverer.recover(failed);
            outcomes.recovered(countedAttempts);
        } catch (Throwable recoveryFailure) {
            outcomes.discarded(countedAttempts);
            LOG.error("ZeroMQ listener '" + listenerId + "' discards " + failed.message() + " from socket '" + failed.socket()
                    + "' after " + failed.attempts() + " attempt(s) (" + failed.failure() + "): its recoverer failed", recoveryFailure);
        }
    }
}
