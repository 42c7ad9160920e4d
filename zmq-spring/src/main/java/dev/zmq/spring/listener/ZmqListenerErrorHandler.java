package dev.zmq.spring.listener;

import org.springframework.messaging.Message;

/**
 * Decides what a requester gets when a {@code @ZmqListener} method failed (after its retries, and
 * after the recoverer had the message). The container survives whatever this does. On REP and
 * ROUTER the returned value is sent as the reply (converted like a return value); when it returns
 * null or throws, the container sends an error reply ({@link dev.zmq.spring.core.ZmqErrorReply}) so
 * the requester is never left waiting and can tell the error from a reply. On other socket types
 * the return value is ignored.
 */
@FunctionalInterface
public interface ZmqListenerErrorHandler {

    Object handleError(Message<?> message, ZmqListenerExecutionFailedException exception) throws Exception;

}
