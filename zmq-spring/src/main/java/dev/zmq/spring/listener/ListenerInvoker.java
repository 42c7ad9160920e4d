package dev.zmq.spring.listener;

import dev.zmq.spring.recovery.ZmqFailedMessage;
import dev.zmq.spring.recovery.ZmqMessageRecoverer;
import dev.zmq.spring.socket.ManagedSocket;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
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
    private final Consumer<List<byte[]>> sendTo;
    private final ObservationRegistry observations;
    private final Duration asyncReplyTimeout;
    private final RetryTemplate retry;
    private final ZmqMessageRecoverer recoverer;
    private final ZmqListenerOutcomes outcomes;

    ListenerInvoker(String listenerId, InvocableHandlerMethod method, MessageConverter converter,
                    ZmqListenerErrorHandler errorHandler, Consumer<List<byte[]>> sendTo, ObservationRegistry observations,
                    Duration asyncReplyTimeout, RetryTemplate retry, ZmqMessageRecoverer recoverer, ZmqListenerOutcomes outcomes) {
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
        var message = MessageBuilder.withPayload(in.body())
                .setHeader(ZmqHeaders.TOPIC, in.topic())
                .setHeader(ZmqHeaders.ROUTING_ID, in.routingId())
                .setHeader(ZmqHeaders.PEER_ADDRESS, in.content().property("Peer-Address"))
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
        return Observation.createNotStarted("zmq.listener", observations)
                .contextualName(listenerId + " receive")
                .lowCardinalityKeyValue("zmq.listener.id", listenerId)
                .lowCardinalityKeyValue("zmq.socket.name", socket.name())
                .lowCardinalityKeyValue("zmq.socket.type", socket.type().name())
                .observe(() -> handle(message, in, socket, mode));
    }

    private List<byte[]> handle(Message<byte[]> message, InboundMessage in, ManagedSocket socket, ReplyMode mode) {
        var attempts = new int[1];
        Object result;
        try {
            result = attempt(message, attempts);
        } catch (Throwable e) {
            return onError(message, in, socket, mode, e, attempts[0]);
        }
        List<byte[]> reply;
        try {
            var frames = FrameConversion.toFrames(result, converter, message.getHeaders());
            if (sendTo != null) {
                if (frames != null) {
                    sendTo.accept(frames);
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

    /** Invokes the listener (awaiting an async result), again while the retry settings allow. */
    private Object attempt(Message<byte[]> message, int[] attempts) throws Throwable {
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

    private Object once(Message<byte[]> message) throws Throwable {
        var result = method.invoke(message);
        if (AsyncResults.isAsync(result)) {
            result = AsyncResults.await(result, asyncReplyTimeout, listenerId);
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
        recover(new ZmqFailedMessage(listenerId, socket.name(), in.content(), e, attempts));
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
            reply = ZmqListenerErrorHandler.errorReply(failure);
        }
        try {
            return FrameConversion.toFrames(reply, converter, message.getHeaders());
        } catch (RuntimeException conversion) {
            LOG.error("Cannot convert the error reply of ZeroMQ listener '" + listenerId + "'", conversion);
            return FrameConversion.toFrames(ZmqListenerErrorHandler.errorReply(failure), converter, message.getHeaders());
        }
    }

    private void recover(ZmqFailedMessage failed) {
        try {
            recoverer.recover(failed);
            outcomes.recovered(failed.attempts());
        } catch (Throwable recoveryFailure) {
            outcomes.discarded(failed.attempts());
            LOG.error("ZeroMQ listener '" + listenerId + "' discards " + failed.message() + " from socket '" + failed.socket()
                    + "' after " + failed.attempts() + " attempt(s) (" + failed.failure() + "): its recoverer failed", recoveryFailure);
        }
    }
}
