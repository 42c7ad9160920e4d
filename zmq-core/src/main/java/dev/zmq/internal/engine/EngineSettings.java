package dev.zmq.internal.engine;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.internal.options.Options;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.mechanism.Mechanism;
import dev.zmq.internal.wire.mechanism.Mechanisms;
import dev.zmq.internal.wire.mechanism.ZapRequester;

/**
 * What one ZMTP connection is configured with, built once per connection from its socket's options
 * (the mechanism is a fresh one for each connection; the rest is shared values).
 *
 * @param socketType our socket's type
 * @param mechanism the security mechanism for this connection (NULL, PLAIN or CURVE, client or server)
 * @param zap the context's ZAP handler, for server-side mechanisms
 * @param maxFrameBytes MAXMSGSIZE: the largest data frame accepted, -1 for no limit
 * @param maxMessageBytes the largest inbound message (all its frames), -1 for no limit; see SocketOption.MAX_MULTIPART_SIZE
 * @param handshakeMillis HANDSHAKE_IVL, 0 for no limit
 * @param heartbeat the ZMTP 3.1 heartbeat settings
 */
public record EngineSettings(SocketType socketType, Mechanism mechanism, ZapRequester zap, long maxFrameBytes,
                             long maxMessageBytes, int handshakeMillis, Heartbeat heartbeat) {

    /**
     * The settings of a new connection of a socket of {@code type} with {@code options} (read now:
     * options set later apply to later connections), with a fresh mechanism and the handshake
     * metadata that goes with it.
     */
    public static EngineSettings of(SocketType type, Options options, ZapRequester zap) {
        var metadata = new Metadata().put(Metadata.SOCKET_TYPE, type.wireName());
        if (type == SocketType.REQ || type == SocketType.DEALER || type == SocketType.ROUTER) {
            // libzmq sends Identity only for these types.
            metadata.put(Metadata.IDENTITY, options.get(SocketOption.ROUTING_ID));
        }
        return new EngineSettings(type, Mechanisms.create(options, metadata), zap, options.get(SocketOption.MAXMSGSIZE),
                maxMessageBytes(options), options.integer(SocketOption.HANDSHAKE_IVL),
                new Heartbeat(options.integer(SocketOption.HEARTBEAT_IVL), options.integer(SocketOption.HEARTBEAT_TTL),
                        options.integer(SocketOption.HEARTBEAT_TIMEOUT)));
    }

    /** The bound on one inbound message's frames together: MAX_MULTIPART_SIZE, or derived from MAXMSGSIZE. */
    static long maxMessageBytes(Options options) {
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

    /**
     * ZMTP 3.1 heartbeat settings.
     *
     * @param intervalMillis HEARTBEAT_IVL, 0 for none
     * @param ttlMillis HEARTBEAT_TTL
     * @param timeoutMillis HEARTBEAT_TIMEOUT, -1 for the interval
     */
    public record Heartbeat(int intervalMillis, int ttlMillis, int timeoutMillis) {
    }
}
