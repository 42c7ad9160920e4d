package dev.zmq.spring.recovery;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** The default recoverer: logs the failure at ERROR with the listener id, the attempts and the frames. */
public class LoggingMessageRecoverer implements ZmqMessageRecoverer {
    private static final Log LOG = LogFactory.getLog(LoggingMessageRecoverer.class);

    @Override
    public void recover(ZmqFailedMessage failed) {
        LOG.error("ZeroMQ listener '" + failed.listenerId() + "' failed " + failed.attempts() + " time(s) on " + failed.message()
                + " from socket '" + failed.socket() + "'; the message is given up", failed.failure());
    }
}
