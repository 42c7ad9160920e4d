package dev.zmq.spring.core;

/**
 * The replier answered a request with an error reply ({@link ZmqErrorReply}): its listener failed.
 * Thrown by {@link ZmqTemplate}'s request methods instead of returning or converting the reply.
 */
public class ZmqRemoteException extends ZmqTemplateException {
    private static final long serialVersionUID = 1L;

    private final String socket;
    private final String code;
    private final String remoteMessage;

    public ZmqRemoteException(String socket, String code, String remoteMessage) {
        super("The replier on socket '" + socket + "' answered with an error: " + code
                + (remoteMessage == null || remoteMessage.isEmpty() ? "" : " (" + remoteMessage + ")"));
        this.socket = socket;
        this.code = code;
        this.remoteMessage = remoteMessage;
    }

    /** The socket the request was sent on. */
    public String socket() {
        return socket;
    }

    /** The error code: {@link ZmqErrorReply#BAD_REQUEST}, {@link ZmqErrorReply#TIMEOUT}, {@link ZmqErrorReply#INTERNAL} or the listener's own. */
    public String code() {
        return code;
    }

    /** The message the replier sent (its exception's text only when it is configured to send it). */
    public String remoteMessage() {
        return remoteMessage;
    }
}
