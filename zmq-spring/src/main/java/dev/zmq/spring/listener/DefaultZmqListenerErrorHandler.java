package dev.zmq.spring.listener;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.messaging.Message;

/**
 * Lets the container send its fallback error reply. The failure itself has been reported by the
 * listener's recoverer by then (logged at ERROR by default), so this logs at DEBUG only.
 */
public class DefaultZmqListenerErrorHandler implements ZmqListenerErrorHandler {
    private static final Log LOG = LogFactory.getLog(DefaultZmqListenerErrorHandler.class);

    @Override
    public Object handleError(Message<?> message, ZmqListenerExecutionFailedException exception) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("ZeroMQ listener '" + exception.listenerId() + "' failed to handle "
                + message.getHeaders().get(ZmqHeaders.RAW_MESSAGE), exception.getCause() != null ? exception.getCause() : exception);
        }
        return null;
    }
}
