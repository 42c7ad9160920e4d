package dev.zmq.internal.engine;

import dev.zmq.SocketType;
import dev.zmq.internal.wire.mechanism.Mechanism;
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
     * ZMTP 3.1 heartbeat settings.
     *
     * @param intervalMillis HEARTBEAT_IVL, 0 for none
     * @param ttlMillis HEARTBEAT_TTL
     * @param timeoutMillis HEARTBEAT_TIMEOUT, -1 for the interval
     */
    public record Heartbeat(int intervalMillis, int ttlMillis, int timeoutMillis) {
    }
}
