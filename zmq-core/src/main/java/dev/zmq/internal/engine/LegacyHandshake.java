package dev.zmq.internal.engine;

import dev.zmq.SocketType;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.util.Map;

/** The handshake of a ZMTP 1.0/2.0 peer: its identity frame, instead of a mechanism's commands and READY. */
final class LegacyHandshake implements HandshakeStage {
    /** A ZMTP 1.0/2.0 identity frame is at most 255 bytes, as libzmq's routing ids. */
    private static final int MAX_IDENTITY = 255;

    private final ZmtpEngine engine;
    private final SocketType peerType;
    private final String peerAddress;

    LegacyHandshake(ZmtpEngine engine, SocketType peerType, String peerAddress) {
        this.engine = engine;
        this.peerType = peerType;
        this.peerAddress = peerAddress;
    }

    @Override
    public void checkHeader(int flags, long size) throws ZmtpProtocolException {
        if (size > MAX_IDENTITY) {
            throw new ZmtpProtocolException("ZMTP 1.0/2.0 identity frame of " + size + " bytes (at most " + MAX_IDENTITY + ")");
        }
    }

    @Override
    public void onFrame(int flags, byte[] body) throws ZmtpProtocolException {
        if ((flags & FrameFlags.MORE) != 0) {
            throw new ZmtpProtocolException("ZMTP 1.0/2.0 identity frame with the MORE flag");
        }
        // No metadata, no ZAP: the properties are the peer's address only.
        engine.handshakeDone(peerType, body, null, ConnectionProperties.of(peerAddress, Map.of(), null), false);
    }
}
