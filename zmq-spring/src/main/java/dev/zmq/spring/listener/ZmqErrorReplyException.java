package dev.zmq.spring.listener;

/**
 * Thrown by a REP or ROUTER listener to answer with an error reply of its own code and message, which are
 * sent whatever {@code zmq.listener.error-reply.include-message} says (they are meant for the requester).
 * A requester using {@code ZmqTemplate} gets them as a {@code ZmqRemoteException}.
 */
public class ZmqErrorReplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    /**
     * @param code ASCII, e.g. {@code "NOT_FOUND"}
     * @param message for the requester
     */
    public ZmqErrorReplyException(String code, String message) {
        super(message);
        if (code == null || code.isEmpty() || !code.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("An error code is printable ASCII without spaces, got '" + code + "'");
        }
        this.code = code;
    }

    public String code() {
        return code;
    }
}
