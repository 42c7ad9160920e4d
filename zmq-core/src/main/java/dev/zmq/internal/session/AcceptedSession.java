package dev.zmq.internal.session;

import dev.zmq.SocketType;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A connection accepted by a bound endpoint. Its pipe exists only while the connection does, as
 * in libzmq: messages queued for an accepted peer that leaves are dropped with it.
 */
public final class AcceptedSession extends Session {
    private final Consumer<AcceptedSession> onEnd;

    private final String endpoint;

    public AcceptedSession(SessionHost host, IoThread io, String endpoint, Consumer<AcceptedSession> onEnd) {
        super(host, io);
        this.endpoint = endpoint;
        this.onEnd = onEnd;
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
        onEnd.accept(this);
    }
}
