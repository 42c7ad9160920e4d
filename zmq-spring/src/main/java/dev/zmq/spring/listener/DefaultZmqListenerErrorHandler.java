package dev.zmq.spring.listener;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.messaging.Message;

/** Logs the failure with the listener id and lets the container send its fallback error reply. */
public class DefaultZmqListenerErrorHandler implements ZmqListenerErrorHandler {
    private static final Log LOG = LogFactory.getLog(DefaultZmqListenerErrorHandler.class);

    @Override
    public Object handleError(Message<?> message, ZmqListenerExecutionFailedException exception) {
        LOG.error("ZeroMQ listener '" + exception.listenerId() + "' failed to handle "
                + message.getHeaders().get(ZmqHeaders.RAW_MESSAGE), exception.getCause() != null ? exception.getCause() : exception);
        return null;
    }
}
