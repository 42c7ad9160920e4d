package dev.zmq;

/**
 * Thrown by every zmq-core operation that fails. {@link #error()} tells why in libzmq's terms;
 * the message says what went wrong and, where there is one, what to do about it.
 */
public class ZmqException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ZmqError error;

    public ZmqException(ZmqError error, String message) {
        super(message);
        this.error = error;
    }

    public ZmqException(ZmqError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The libzmq-style reason for the failure. */
    public ZmqError error() {
        return error;
    }

    @Override
    public String toString() {
        return getClass().getName() + " [" + error + "]: " + getMessage();
    }
}
