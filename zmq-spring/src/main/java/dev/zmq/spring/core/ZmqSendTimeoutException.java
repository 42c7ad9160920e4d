package dev.zmq.spring.core;

import java.time.Duration;

/**
 * A send of {@link ZmqTemplate} could not queue its message in time: no peer was connected, or every
 * peer was at its high-water mark, for the whole send timeout. The message was not sent.
 */
public class ZmqSendTimeoutException extends ZmqTemplateException {
    private static final long serialVersionUID = 1L;

    private final String socket;
    private final transient Duration timeout;

    public ZmqSendTimeoutException(String socket, Duration timeout) {
        super("Could not send on socket '" + socket + "' within " + timeout.toMillis()
                + " ms (zmq.template.send-timeout): no peer has room (none connected, or all at the high-water mark); "
                + "the message was not sent. Check that a peer is connected, or raise zmq.template.send-timeout.");
        this.socket = socket;
        this.timeout = timeout;
    }

    public String socket() {
        return socket;
    }

    public Duration timeout() {
        return timeout;
    }
}
