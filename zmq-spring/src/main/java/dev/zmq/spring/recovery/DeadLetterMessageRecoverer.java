package dev.zmq.spring.recovery;

import dev.zmq.Message;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.headers.ZmqHeaderFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends a failed message to a dead-letter socket (a PUSH, PUB, DEALER... declared under
 * {@code zmq.sockets}) as {@code [header frame, original frames...]}. The header frame
 * ({@link ZmqHeaderFrame}) carries {@value #LISTENER}, {@value #SOCKET}, {@value #ATTEMPTS},
 * {@value #EXCEPTION} (the exception's class name), {@value #REASON} (its message) and {@value #TIME}.
 * A send that finds no room within the send timeout fails the recovery (the container then logs and
 * counts the message as discarded).
 */
public class DeadLetterMessageRecoverer implements ZmqMessageRecoverer {
    /** Header: the id of the listener that failed. */
    public static final String LISTENER = "dead-letter-listener";
    /** Header: the socket the message came from. */
    public static final String SOCKET = "dead-letter-socket";
    /** Header: how many times the listener was invoked. */
    public static final String ATTEMPTS = "dead-letter-attempts";
    /** Header: the class name of the exception of the last attempt. */
    public static final String EXCEPTION = "dead-letter-exception";
    /** Header: the message of that exception (may be empty). */
    public static final String REASON = "dead-letter-reason";
    /** Header: when the message was given up (ISO-8601 instant). */
    public static final String TIME = "dead-letter-time";

    private static final Log LOG = LogFactory.getLog(DeadLetterMessageRecoverer.class);

    private final String name;
    private final ZmqSocket socket;
    private final Duration sendTimeout;

    /**
     * @param name the dead-letter socket's name, for messages
     * @param socket where dead letters are sent
     * @param sendTimeout how long a send may wait for room before the recovery fails
     */
    public DeadLetterMessageRecoverer(String name, ZmqSocket socket, Duration sendTimeout) {
        this.name = name;
        this.socket = socket;
        this.sendTimeout = sendTimeout;
    }

    public String socketName() {
        return name;
    }

    @Override
    public void recover(ZmqFailedMessage failed) {
        var headers = new LinkedHashMap<String, String>();
        headers.put(LISTENER, failed.listenerId());
        headers.put(SOCKET, failed.socket());
        headers.put(ATTEMPTS, Integer.toString(failed.attempts()));
        headers.put(EXCEPTION, failed.failure().getClass().getName());
        headers.put(REASON, failed.failure().getMessage() == null ? "" : failed.failure().getMessage());
        headers.put(TIME, Instant.now().toString());
        Message letter = failed.message().prepend(ZmqHeaderFrame.encode(headers));
        if (!socket.send(letter, sendTimeout)) {
            throw new IllegalStateException("Dead-letter socket '" + name + "' took no message within " + sendTimeout
                    + " (no peer connected, or every peer at its high-water mark)");
        }
        LOG.warn("ZeroMQ listener '" + failed.listenerId() + "' failed " + failed.attempts() + " time(s) ("
                + failed.failure() + "); the message went to dead-letter socket '" + name + "'");
    }
}
