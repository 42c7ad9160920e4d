package dev.zmq.internal.engine;

import dev.zmq.internal.wire.ZmtpProtocolException;

/**
 * The second stage of a connection, between the greeting and the message exchange: it reads the
 * frames until the peer is known, then hands the connection over ({@link ZmtpEngine#handshakeDone}).
 */
sealed interface HandshakeStage permits SecurityHandshake, LegacyHandshake {
    /** Refuses a frame from its header, before its body is read or allocated. */
    void checkHeader(int flags, long size) throws ZmtpProtocolException;

    /** A frame of the handshake. */
    void onFrame(int flags, byte[] body) throws ZmtpProtocolException;
}
