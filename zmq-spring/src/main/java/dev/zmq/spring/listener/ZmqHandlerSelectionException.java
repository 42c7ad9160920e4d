package dev.zmq.spring.listener;

import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;

/**
 * No {@link ZmqHandler} of a class-level {@link ZmqListener} matches a message, or several do. Like a payload
 * that does not convert, it is not retried: the message goes to the recoverer, and a REP or ROUTER requester gets
 * an error reply with code {@code BAD_REQUEST}.
 */
public class ZmqHandlerSelectionException extends MessageConversionException {
    private static final long serialVersionUID = 1L;

    public ZmqHandlerSelectionException(Message<?> failedMessage, String description) {
        super(failedMessage, description);
    }
}
