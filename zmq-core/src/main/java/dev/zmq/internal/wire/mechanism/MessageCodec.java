package dev.zmq.internal.wire.mechanism;

import dev.zmq.internal.wire.ZmtpProtocolException;

/**
 * Protects traffic after the handshake (CURVE's MESSAGE commands). Every data frame and every
 * command (PING, SUBSCRIBE...) becomes the body of one frame sent without flags; received frames
 * are opened back to their body and flags. Used on one I/O thread.
 */
public interface MessageCodec {

    /** The wire body carrying {@code frame} with the given MORE/COMMAND flags (as {@code FrameFlags}). */
    byte[] encode(byte[] frame, int flags);

    /**
     * Opens a received frame body; returns its content and leaves its flags in {@link #lastFlags()}.
     * Throws with libzmq's code for a malformed, replayed or tampered frame.
     */
    byte[] decode(byte[] wire) throws ZmtpProtocolException;

    /** The MORE/COMMAND flags ({@code FrameFlags}) of the frame last decoded. */
    int lastFlags();
}
