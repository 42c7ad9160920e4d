package dev.zmq.spring.core;

import java.time.Duration;

/** No reply arrived in time for a request of {@link ZmqTemplate}. */
public class ZmqReplyTimeoutException extends ZmqTemplateException {
    private static final long serialVersionUID = 1L;

    private final String socket;
    private final transient Duration timeout;

    public ZmqReplyTimeoutException(String socket, Duration timeout) {
        super("No reply on socket '" + socket + "' within " + timeout.toMillis()
                + " ms (the call's timeout, or zmq.template.reply-timeout): is a replier connected and answering?");
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
