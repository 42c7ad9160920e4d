package dev.zmq.internal.session;

import dev.zmq.SocketEvent;
import dev.zmq.SocketType;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.options.Options;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.pipe.PipeEndpoint;

/**
 * What a session (and a transport making sessions) needs from the socket it belongs to, as libzmq's
 * session_base_t sees its socket_base_t: the socket's settings, its I/O threads, its pipes, its
 * counters and monitor. The socket implements it; sessions and transports never see the socket's
 * class, so they sit below it. Control path only: messages go through the {@link Pipe} itself.
 */
public interface SessionHost {
    /** The socket's type. */
    SocketType type();

    /** The socket's live options; a connection reads what it needs when it starts. */
    Options options();

    /** An I/O thread for a new connection, among those AFFINITY allows. */
    IoThread nextIoThread();

    /** LINGER in milliseconds, with -1 (infinite) bounded by the context's maxLinger. */
    long lingerMillis();

    /** Registers a session created for the socket (by a listener or a transport); false if the socket is closed. */
    boolean addSession(Session session);

    /** A session ended; the last one to end after close completes the socket's termination. */
    void sessionEnded(Session session);

    /** A connection over {@code channel}, with the mechanism and metadata the socket's options say. */
    Engine newEngine(IoThread io, java.nio.channels.SocketChannel channel, ZmtpEngine.Owner owner, String endpoint, String peerAddress);

    /** Starts a connection's handshake. Call on its I/O thread. */
    void startEngine(Engine engine);

    /**
     * Creates a pipe for a peer and gives it to the pattern. {@code peerType} is null for a pipe
     * created before its connection exists. Returns null if the pattern refuses the peer.
     */
    Pipe attachPipe(PipeEndpoint endpoint, SocketType peerType, byte[] identity);

    /**
     * inproc: creates this side's pipe and gives it to the pattern, with queues of its own
     * ({@code first} null) or over the queues of the other socket's pipe {@code first}. Null if the
     * pattern refuses the peer.
     */
    Pipe attachInprocPipe(PipeEndpoint endpoint, SocketType peerType, byte[] identity, Pipe first);

    /** inproc: our pipe {@code ours} learns the other socket's pipe over its queues (see {@link Pipe#linkMate}). */
    void linkInproc(Pipe ours, Pipe theirs);

    /** Tells the pattern who is on the other end of a pipe created before its connection; false if refused. */
    boolean identifyPipe(Pipe pipe, SocketType peerType, byte[] identity);

    /** Takes a pipe away from the pattern and drops what it holds. */
    void detachPipe(Pipe pipe);

    /**
     * The peer of {@code pipe} left. As libzmq, what it sent before leaving is still delivered: the
     * pipe stops taking messages but stays readable until drained, then is detached.
     */
    void peerGone(Pipe pipe);

    /** A pipe that outlives its connection lost it (the session will reconnect). */
    void pipeDisconnected(Pipe pipe);

    /** A connection dropped {@code count} messages it had taken from a pipe (a datagram the network refused). */
    void countDroppedOut(int count);

    /** A connection discarded {@code count} messages that arrived malformed (a datagram that breaks the format). */
    void countDiscardedIn(int count);

    /** A monitor event of this socket (counted where the socket counts it). */
    void emit(SocketEvent.Type type, String endpoint, String peer, long value, String reason);
}
