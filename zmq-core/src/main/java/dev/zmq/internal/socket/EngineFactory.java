package dev.zmq.internal.socket;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.engine.EngineSettings;
import dev.zmq.internal.engine.RawEngine;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.options.Options;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.mechanism.Mechanisms;
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
        var metadata = new Metadata().put(Metadata.SOCKET_TYPE, type.wireName());
        if (type == SocketType.REQ || type == SocketType.DEALER || type == SocketType.ROUTER) {
            // libzmq sends Identity only for these types.
            metadata.put(Metadata.IDENTITY, options.get(SocketOption.ROUTING_ID));
        }
        var settings = new EngineSettings(type, Mechanisms.create(options, metadata), context.zap(),
                options.get(SocketOption.MAXMSGSIZE), maxMultipartSize(), options.integer(SocketOption.HANDSHAKE_IVL),
                new EngineSettings.Heartbeat(options.integer(SocketOption.HEARTBEAT_IVL),
                        options.integer(SocketOption.HEARTBEAT_TTL), options.integer(SocketOption.HEARTBEAT_TIMEOUT)));
        return new ZmtpEngine(io, channel, owner, pipes, events, endpoint, peerAddress, settings);
    }

    /** The bound on one inbound message's frames together: MAX_MULTIPART_SIZE, or derived from MAXMSGSIZE. */
    long maxMultipartSize() {
        long explicit = options.get(SocketOption.MAX_MULTIPART_SIZE);
        if (explicit >= 0) {
            return explicit;
        }
        long frame = options.get(SocketOption.MAXMSGSIZE);
        if (frame < 0) {
            return -1;
        }
        return Math.max(frame > Long.MAX_VALUE / 64 ? Long.MAX_VALUE : frame * 64, 1L << 20);
    }

    /** Starts a connection's handshake. Call on its I/O thread. */
    void startEngine(Engine engine) {
        engine.start(options.get(SocketOption.ROUTING_ID));
    }
}
