package dev.zmq.internal.engine;

import dev.zmq.Message;
import java.util.ArrayDeque;

/**
 * One connection as its session sees it, whatever it speaks on the wire: ZMTP ({@link ZmtpEngine})
 * or raw bytes for STREAM sockets ({@link RawEngine}). Every method runs on the connection's I/O thread,
 * except {@link #tryDirectFlush}.
 */
public interface Engine {
    /** Registers the channel and starts talking (a ZMTP greeting; nothing for raw connections). */
    void start(byte[] routingId);

    /** The pipe has new outbound messages, or the session wants output retried. */
    void flush();

    /**
     * An application thread that queued a message writes it itself, if this connection allows that
     * and is idle. Any thread. False: the caller hands the flush to the I/O thread.
     */
    default boolean tryDirectFlush() {
        return false;
    }

    /** Lets a reader paused at RCVHWM go on (the application consumed enough). */
    void resumeReading();

    /**
     * The application started giving received frame arrays back to this connection's pipe: from now
     * on, let go of them whenever they stay unused (see {@code Pipe.dropReturnedFramesIfUnused}).
     * Connections that do not decode into returned arrays ignore it.
     */
    default void returnedFramesHeld() {
    }

    /** Closes the connection because our socket is closing or dropping it: no failure events. */
    void shutdown(String reason);

    /** Whether nothing is waiting to be written by this connection. */
    boolean outputIdle();

    /** Messages taken from the pipe but not yet started on the wire: the session may requeue them. */
    ArrayDeque<Message> unsentMessages();

    /** Whether the connection is carrying messages (handshake done). */
    boolean isActive();

    /** The remote address, for logs and monitoring. */
    String peerAddress();
}
