package dev.zmq.interop;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One socket of one ZeroMQ implementation (ours, JeroMQ in-process, or libzmq in a child
 * process), with just what the interop tests need. Failures are reported as {@link ZmqException}
 * with the libzmq errno name, whatever the implementation.
 */
interface PeerSocket extends AutoCloseable {

    /** How long a send may wait for room before it fails with EAGAIN. */
    Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    Impl impl();

    SocketType type();

    /** Binds and returns the endpoint actually bound (with the real port). */
    String bind(String endpoint);

    void connect(String endpoint);

    /**
     * Sets an option, named as in libzmq. Implementations support at least ROUTING_ID,
     * ROUTER_MANDATORY, REQ_CORRELATE, REQ_RELAXED, LINGER, SNDHWM and RCVHWM.
     */
    <T> void set(SocketOption<T> option, T value);

    /**
     * Sends a whole message, waiting up to {@link #SEND_TIMEOUT} for room.
     *
     * @throws ZmqException EAGAIN on timeout, EHOSTUNREACH for an unroutable ROUTER_MANDATORY message
     */
    void send(Message message);

    /** The next whole message, or null if none arrived within {@code timeout}. */
    Message recv(Duration timeout);

    /** Sends the messages in order; implementations may do it in one batch. */
    default void sendAll(List<Message> messages) {
        messages.forEach(this::send);
    }

    /**
     * Receives exactly {@code count} messages, each within {@code timeout} of the previous one.
     *
     * @throws ZmqException EAGAIN if one did not arrive in time
     */
    default List<Message> recvAll(int count, Duration timeout) {
        var out = new ArrayList<Message>(count);
        for (int i = 0; i < count; i++) {
            var m = recv(timeout);
            if (m == null) {
                throw new ZmqException(ZmqError.EAGAIN, impl() + " " + type() + " received only " + i + " of " + count + " messages");
            }
            out.add(m);
        }
        return out;
    }

    @Override
    void close();

    /** A short label for failure messages, e.g. {@code libzmq ROUTER}. */
    default String label() {
        return impl().label() + " " + type();
    }
}
