package dev.zmq.internal.session;

import dev.zmq.SocketType;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * A connection accepted by a bound endpoint. Its pipe exists only while the connection does, as
 * in libzmq: messages queued for an accepted peer that leaves are dropped with it.
 */
public final class AcceptedSession extends Session implements Runnable {
    /** The sessions of the listener that accepted this one, which this one leaves when it ends. */
    private final Set<AcceptedSession> listed;

    private final String endpoint;
    /** The accepted channel and its peer's address, from {@link #startOn} until {@link #run} takes them. */
    private SocketChannel accepted;
    private String acceptedPeer;

    /**
     * Takes the listener's set of its sessions, not a callback: a method reference there (and the
     * listener's lambda posting the start) were two classes spun at the first accept, inside the
     * window of a latency tool whose peer connects (~1 ms cold).
     */
    public AcceptedSession(SessionHost host, IoThread io, String endpoint, Set<AcceptedSession> listed) {
        super(host, io);
        this.endpoint = endpoint;
        this.listed = listed;
    }

    /** Starts the handshake on {@code channel} on this session's I/O thread ({@link #run}). Any thread. */
    public void startOn(SocketChannel channel, String peerAddress) {
        accepted = channel;
        acceptedPeer = peerAddress;
        io.execute(this); // the task queue publishes the two fields to the I/O thread
    }

    /** On this session's I/O thread, after {@link #startOn}: the channel made non-blocking, then {@link #start}. */
    @Override
    public void run() {
        var channel = accepted;
        accepted = null;
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            terminate();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
            return;
        }
        start(channel, acceptedPeer);
    }

    /** Starts the ZMTP handshake on {@code channel}. Call on this session's I/O thread. */
    public void start(SocketChannel channel, String peerAddress) {
        try {
            engine = host.newEngine(io, channel, this, endpoint, peerAddress);
        } catch (RuntimeException | OutOfMemoryError e) {
            // Typically no direct memory left for the engine's buffers. Without an engine nothing
            // would ever close this connection or end this session: do both, then let it be logged.
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
            terminate(true);
            throw e;
        }
        host.startEngine(engine);
    }

    @Override
    public Pipe onHandshake(Engine e, SocketType peerType, byte[] identity) {
        if (terminated) {
            return null;
        }
        pipe = attachNewPipe(peerType, identity);
        return pipe;
    }

    @Override
    public void onClosed(Engine e, String reason, boolean wasActive) {
        engine = null;
        terminate(true);
    }

    @Override
    protected void onTerminate() {
        listed.remove(this);
    }
}
