package dev.zmq.spring.listener;

import dev.zmq.spring.recovery.ZmqListenerRetry;
import dev.zmq.spring.recovery.ZmqMessageRecoverer;
import dev.zmq.spring.socket.SocketSpec;
import java.lang.reflect.Method;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.ClassUtils;

/**
 * A listener endpoint whose handler is a bean method, its arguments resolved as for
 * {@code @ZmqListener} (which is turned into one of these).
 *
 * @param id container id
 * @param bean the bean whose method handles messages
 * @param method the method (invocable on {@code bean})
 * @param socketName a configured socket, or null when {@code inlineSocket} is set
 * @param inlineSocket the socket declared with the listener, or null
 * @param concurrency worker threads, or null for the factory's default
 * @param autoStartup whether to start with the application, or null for the factory's default
 * @param errorHandler this listener's error handler, or null for the factory's
 * @param sendTo the socket the return value goes to, or null
 * @param source where the listener is declared, for error messages
 * @param retry retry settings, components not set coming from the factory
 * @param recoverer what happens to a message after the last failed attempt, or null
 * @param deadLetter the socket failed messages go to, or null
 * @param headers whether the inline socket has the header envelope, or null for no
 * @param batch whether the listener takes a list of the messages available, or null for no
 * @param batchSize the most messages of a batch, or null for the factory's default
 */
public record MethodZmqListenerEndpoint(String id, Object bean, Method method, String socketName, SocketSpec inlineSocket,
                                        Integer concurrency, Boolean autoStartup, ZmqListenerErrorHandler errorHandler,
                                        String sendTo, String source, ZmqListenerRetry retry, ZmqMessageRecoverer recoverer,
                                        String deadLetter, Boolean headers, Boolean batch, Integer batchSize)
        implements ZmqListenerEndpoint {

    public MethodZmqListenerEndpoint {
        retry = retry == null ? ZmqListenerRetry.UNSET : retry;
    }

    /** An endpoint with the factory's retry and recovery settings. */
    public MethodZmqListenerEndpoint(String id, Object bean, Method method, String socketName, SocketSpec inlineSocket,
                                     Integer concurrency, Boolean autoStartup, ZmqListenerErrorHandler errorHandler,
                                     String sendTo, String source) {
        this(id, bean, method, socketName, inlineSocket, concurrency, autoStartup, errorHandler, sendTo, source, null, null, null, null, null, null);
    }

    /** A listener on the configured socket {@code socketName}, with the container factory's defaults. */
    public static MethodZmqListenerEndpoint of(String id, Object bean, Method method, String socketName) {
        return new MethodZmqListenerEndpoint(id, bean, method, socketName, null, null, null, null, null,
                "listener '" + id + "' (" + ClassUtils.getShortName(method.getDeclaringClass()) + "." + method.getName() + "())");
    }

    /** The bean method, its arguments resolved by {@code factory}; the container converts its payloads with {@code converter}. */
    @Override
    public InvocableHandlerMethod createHandlerMethod(MessageHandlerMethodFactory factory, MessageConverter converter) {
        return ZmqMessageHandlerMethodFactory.create(factory, bean, method, source);
    }
}
