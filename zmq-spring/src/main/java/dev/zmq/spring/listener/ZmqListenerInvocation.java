package dev.zmq.spring.listener;

import org.springframework.messaging.Message;

/**
 * One call of a listener method as a {@link ZmqListenerInvocationObserver} sees it.
 *
 * @param listenerId the listener's id
 * @param message what the arguments were resolved from: the body (a {@code List<byte[]>} for a batch) and the
 *                headers ({@link ZmqHeaders}, the header envelope's entries)
 * @param result the method's return value (awaited when asynchronous), or null
 * @param failure why the last attempt failed, or null
 * @param attempts how many times the method was called for this message (or batch)
 */
public record ZmqListenerInvocation(String listenerId, Message<?> message, Object result, Throwable failure, int attempts) {
}
