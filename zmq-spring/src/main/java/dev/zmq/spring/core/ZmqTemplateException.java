package dev.zmq.spring.core;

/** A {@link ZmqTemplate} operation failed; the message names the socket and why. */
public class ZmqTemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ZmqTemplateException(String message) {
        super(message);
    }

    public ZmqTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
