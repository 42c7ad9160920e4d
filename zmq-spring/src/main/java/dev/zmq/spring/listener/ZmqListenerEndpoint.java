package dev.zmq.spring.listener;

import dev.zmq.spring.recovery.ZmqListenerRetry;
import dev.zmq.spring.recovery.ZmqMessageRecoverer;
import dev.zmq.spring.socket.SocketSpec;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * What a {@link ZmqListenerContainerFactory} needs to build a listener container: the socket, the
 * container settings and the handler. {@code @ZmqListener} methods become
 * {@link MethodZmqListenerEndpoint}s, classes annotated with {@code @ZmqListener} become
 * {@link MultiMethodZmqListenerEndpoint}s; a {@link ZmqListenerConfigurer} may register any endpoint.
 */
public interface ZmqListenerEndpoint {

    /** The container id, unique in the {@link ZmqListenerEndpointRegistry}. */
    String id();

    /** A configured socket (bean name), or null when {@link #inlineSocket()} is set. */
    String socketName();

    /** The socket declared with the listener, created and owned by its container; or null. */
    SocketSpec inlineSocket();

    /** Worker threads, or null for the container factory's default. */
    Integer concurrency();

    /** Whether the container starts with the application, or null for the factory's default. */
    Boolean autoStartup();

    /** This listener's error handler, or null for the factory's. */
    ZmqListenerErrorHandler errorHandler();

    /** The socket the return value is sent to ({@code @SendTo}), or null. */
    String sendTo();

    /** This listener's retry settings; the components not set come from the container factory. */
    default ZmqListenerRetry retry() {
        return ZmqListenerRetry.UNSET;
    }

    /** What happens to a message after the last failed attempt, or null for {@link #deadLetter()} or the factory's. */
    default ZmqMessageRecoverer recoverer() {
        return null;
    }

    /** The socket (a bean name, under {@code zmq.sockets}) failed messages are sent to, or null. */
    default String deadLetter() {
        return null;
    }

    /**
     * Whether the inline socket has the header envelope (every message starts with a header frame), or null
     * for no; a configured socket has it from {@code zmq.sockets.<name>.headers}.
     */
    default Boolean headers() {
        return null;
    }

    /** Whether the listener takes a {@code List} of the messages available (up to {@link #batchSize()}), or null for no. */
    default Boolean batch() {
        return null;
    }

    /** The most messages of one batch, or null for the container factory's default. */
    default Integer batchSize() {
        return null;
    }

    /** Where the listener is declared, for error messages. */
    String source();

    /**
     * The handler invoked for each message. {@code factory} resolves its arguments; {@code converter} is the container
     * factory's payload converter, the one the container converts payloads and return values with, for a handler that
     * converts payloads itself (a class-level listener chooses its {@link ZmqHandler} by the payload's type). The
     * container factory calls this once, when it creates the endpoint's container.
     */
    InvocableHandlerMethod createHandlerMethod(MessageHandlerMethodFactory factory, MessageConverter converter);
}
