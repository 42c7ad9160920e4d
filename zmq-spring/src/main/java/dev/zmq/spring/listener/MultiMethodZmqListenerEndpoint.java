package dev.zmq.spring.listener;

import dev.zmq.spring.recovery.ZmqListenerRetry;
import dev.zmq.spring.recovery.ZmqMessageRecoverer;
import dev.zmq.spring.socket.SocketSpec;
import java.lang.reflect.Method;
import java.util.List;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * A listener endpoint of a class annotated with {@link ZmqListener}: each message goes to one of its
 * {@link ZmqHandler} methods, chosen by payload type (see {@link ZmqHandler}). The handlers are checked when the
 * endpoint is created: ambiguous ones fail startup.
 *
 * @param id container id
 * @param bean the bean whose methods handle messages
 * @param handlers the {@code @ZmqHandler} methods (invocable on {@code bean})
 * @param socketName a configured socket, or null when {@code inlineSocket} is set
 * @param inlineSocket the socket declared with the listener, or null
 * @param concurrency worker threads, or null for the factory's default
 * @param autoStartup whether to start with the application, or null for the factory's default
 * @param errorHandler this listener's error handler, or null for the factory's
 * @param sendTo the socket the return values go to, or null
 * @param source where the listener is declared, for error messages
 * @param retry retry settings, components not set coming from the factory
 * @param recoverer what happens to a message after the last failed attempt, or null
 * @param deadLetter the socket failed messages go to, or null
 * @param headers whether the inline socket has the header envelope, or null for no
 */
public record MultiMethodZmqListenerEndpoint(String id, Object bean, List<Method> handlers, String socketName, SocketSpec inlineSocket,
                                             Integer concurrency, Boolean autoStartup, ZmqListenerErrorHandler errorHandler,
                                             String sendTo, String source, ZmqListenerRetry retry, ZmqMessageRecoverer recoverer,
                                             String deadLetter, Boolean headers) implements ZmqListenerEndpoint {

    public MultiMethodZmqListenerEndpoint {
        handlers = List.copyOf(handlers);
        retry = retry == null ? ZmqListenerRetry.UNSET : retry;
        ZmqHandlerDispatcher.check(handlers, source);
    }

    /**
     * A dispatcher over the {@code @ZmqHandler} methods, their arguments resolved by {@code factory}: it converts each
     * payload with {@code converter} to choose the method.
     */
    @Override
    public InvocableHandlerMethod createHandlerMethod(MessageHandlerMethodFactory factory, MessageConverter converter) {
        var signatures = ZmqHandlerDispatcher.check(handlers, source);
        var methods = handlers.stream().map(m -> ZmqMessageHandlerMethodFactory.create(factory, bean, m, source)).toList();
        return new ZmqHandlerDispatcher(bean, signatures, methods, converter, source);
    }
}
