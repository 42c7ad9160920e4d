package dev.zmq.internal.socket;

import dev.zmq.SocketType;
import dev.zmq.ZmqSocket;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.monitor.MonitorDispatcher;
import dev.zmq.internal.transport.Transports;
import dev.zmq.internal.wire.mechanism.ZapRequester;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * What a socket needs from the context that made it (libzmq's ctx_t as socket_base_t sees it). The
 * context implements it; the socket package never sees the context's class, so it sits below it.
 */
public interface SocketContext {
    /** Whether the context was closed (the socket's calls then fail with ETERM). */
    boolean isClosed();

    /** The bound on an infinite LINGER. */
    Duration maxLinger();

    /**
     * The longest a thread that ran out of work polls before it sleeps ({@code ZmqContext.ioBusyPoll}):
     * the I/O threads', and a socket's receive that waits for the answer to what it sent.
     */
    default Duration busyPoll() {
        return Duration.ZERO;
    }

    /** An I/O thread among those whose bit is set in {@code affinity} (ZMQ_AFFINITY; 0 allows all). */
    IoThread nextIoThread(long affinity);

    /** The transports by scheme. */
    Transports transports();

    /** Runs blocking name lookups (CONNECT_ALL_ADDRESSES) off the I/O threads. */
    Executor nameLookups();

    /** Runs the socket's monitor listeners. */
    MonitorDispatcher monitorDispatcher();

    /** The context's ZAP client, for the connections' handshakes. */
    ZapRequester zap();

    /** A new socket of this context (the PAIR of a libzmq-style monitor). */
    ZmqSocket createSocket(SocketType type);

    /** A closed socket finished lingering: the context no longer waits for it. */
    void forget(SocketCore socket);
}
