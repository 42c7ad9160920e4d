package dev.zmq.spring.listener;

/** A {@code @ZmqListener} failed to handle a message; the cause says why. */
public class ZmqListenerExecutionFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String listenerId;

    public ZmqListenerExecutionFailedException(String listenerId, String message, Throwable cause) {
        super(message, cause);
        this.listenerId = listenerId;
    }

    public String listenerId() {
        return listenerId;
    }
}
