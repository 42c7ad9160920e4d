package dev.zmq.internal.socket;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.engine.EngineSettings;
import dev.zmq.internal.engine.RawEngine;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.options.Options;
import java.nio.channels.SocketChannel;

/** Makes the connections of one socket: ZMTP, or raw bytes for STREAM, set up as the socket's options say. */
final class EngineFactory {
    private final SocketContext context;
    private final SocketType type;
    private final Options options;
    private final ZmtpEngine.PipeAccess pipes;
    private final ZmtpEngine.Events events;

    EngineFactory(SocketContext context, SocketType type, Options options, ZmtpEngine.PipeAccess pipes, ZmtpEngine.Events events) {
        this.context = context;
        this.type = type;
        this.options = options;
        this.pipes = pipes;
        this.events = events;
    }

    /** A connection for this socket, with the mechanism and metadata its options say. */
    Engine newEngine(IoThread io, SocketChannel channel, ZmtpEngine.Owner owner, String endpoint, String peerAddress) {
        if (type == SocketType.STREAM) {
            return new RawEngine(io, channel, owner, pipes, events, endpoint, peerAddress, options.flag(SocketOption.STREAM_NOTIFY));
        }
        return new ZmtpEngine(io, channel, owner, events, endpoint, peerAddress, EngineSettings.of(type, options, context.zap()));
    }

    /** Starts a connection's handshake. Call on its I/O thread. */
    void startEngine(Engine engine) {
        engine.start(options.get(SocketOption.ROUTING_ID));
    }
}
