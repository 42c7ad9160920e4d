package dev.zmq.internal.session;

import dev.zmq.SocketType;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.socket.SocketCore;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A connection accepted by a bound endpoint. Its pipe exists only while the connection does, as
 * in libzmq: messages queued for an accepted peer that leaves are dropped with it.
 */
public final class AcceptedSession extends Session {
    private final Consumer<AcceptedSession> onEnd;

    private final String endpoint;

    public AcceptedSession(SocketCore socket, IoThread io, String endpoint, Consumer<AcceptedSession> onEnd) {
        super(socket, io);
        this.endpoint = endpoint;
        this.onEnd = onEnd;
    }

    /** Starts the ZMTP handshake on {@code channel}. Call on this session's I/O thread. */
    public void start(SocketChannel channel, String peerAddress) {
        engine = socket.newEngine(io, channel, this, endpoint, peerAddress);
        socket.startEngine(engine);
    }

    @Override
    public Pipe onHandshake(ZmtpEngine e, SocketType peerType, byte[] identity) {
        if (terminated) {
            return null;
        }
        pipe = attachNewPipe(peerType, identity);
        return pipe;
    }

    @Override
    public void onClosed(ZmtpEngine e, String reason, boolean wasActive) {
        engine = null;
        terminate(true);
    }

    @Override
    protected void onTerminate() {
        onEnd.accept(this);
    }
}
