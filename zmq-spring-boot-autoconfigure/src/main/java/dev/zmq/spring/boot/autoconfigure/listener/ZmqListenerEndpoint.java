package dev.zmq.spring.boot.autoconfigure.listener;

import dev.zmq.spring.boot.autoconfigure.socket.SocketSpec;
import java.lang.reflect.Method;

/**
 * One {@code @ZmqListener}, its placeholders resolved: what a {@link ZmqListenerContainerFactory}
 * needs to build its container.
 *
 * @param id container id
 * @param bean the bean whose method handles messages
 * @param method the method (invocable on {@code bean})
 * @param socketName a configured socket, or null when {@code inlineSocket} is set
 * @param inlineSocket the socket declared on the annotation, or null
 * @param concurrency worker threads, or null for the factory's default
 * @param autoStartup whether to start with the application, or null for the factory's default
 * @param errorHandler this listener's error handler, or null for the factory's
 * @param sendTo the socket named by {@code @SendTo}, or null
 * @param source where the listener is declared, for error messages
 */
public record ZmqListenerEndpoint(String id, Object bean, Method method, String socketName, SocketSpec inlineSocket,
                                  Integer concurrency, Boolean autoStartup, ZmqListenerErrorHandler errorHandler,
                                  String sendTo, String source) {
}
