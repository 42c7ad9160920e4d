package dev.zmq.spring.listener;

import org.springframework.messaging.Message;

/**
 * Decides what happens when a {@code @ZmqListener} method throws. The container survives whatever
 * this does. On REP and ROUTER the returned value is sent as the reply (converted like a return
 * value); when it returns null or throws, the container replies {@link #errorReply(Throwable)} so
 * the requester is never left waiting. On other socket types the return value is ignored.
 */
@FunctionalInterface
public interface ZmqListenerErrorHandler {

    Object handleError(Message<?> message, ZmqListenerExecutionFailedException exception) throws Exception;

    /** The fallback reply to a failed request: one frame {@code ERROR <Exception>: <message>}. */
    static String errorReply(Throwable failure) {
        var cause = failure instanceof ZmqListenerExecutionFailedException && failure.getCause() != null ? failure.getCause() : failure;
        return "ERROR " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
