package dev.zmq.spring.listener;

import dev.zmq.spring.socket.ManagedSocket;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Calls the listener method for one message and works out what to answer: the converted return
 * value, or what the error handler says when the method throws. Never throws itself.
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

    ListenerInvoker(String listenerId, InvocableHandlerMethod method, MessageConverter converter,
                    ZmqListenerErrorHandler errorHandler, Consumer<List<byte[]>> sendTo, ObservationRegistry observations,
                    Duration asyncReplyTimeout) {
        this.asyncReplyTimeout = asyncReplyTimeout;
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
            return handle(message, socket, mode);
        }
        return Observation.createNotStarted("zmq.listener", observations)
                .contextualName(listenerId + " receive")
                .lowCardinalityKeyValue("zmq.listener.id", listenerId)
                .lowCardinalityKeyValue("zmq.socket.name", socket.name())
                .lowCardinalityKeyValue("zmq.socket.type", socket.type().name())
                .observe(() -> handle(message, socket, mode));
    }

    private List<byte[]> handle(Message<byte[]> message, ManagedSocket socket, ReplyMode mode) {
        Object result;
        try {
            result = method.invoke(message);
            if (AsyncResults.isAsync(result)) {
                result = AsyncResults.await(result, asyncReplyTimeout, listenerId);
            }
        } catch (Throwable e) {
            return onError(message, socket, mode, e);
        }
        try {
            var frames = FrameConversion.toFrames(result, converter, message.getHeaders());
            if (sendTo != null) {
                if (frames != null) {
                    sendTo.accept(frames);
                }
                return null;
            }
            return mode.replies() ? frames : null;
        } catch (RuntimeException e) {
            return onError(message, socket, mode, e);
        }
    }

    private List<byte[]> onError(Message<byte[]> message, ManagedSocket socket, ReplyMode mode, Throwable e) {
        var failure = new ZmqListenerExecutionFailedException(listenerId,
                "Listener '" + listenerId + "' failed: " + e.getMessage(), e);
        socket.error("listener " + listenerId + ": " + e);
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
}
