package dev.zmq.internal.wire.mechanism;

import dev.zmq.internal.wire.FrameDecoder;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Protects traffic after the handshake (CURVE's MESSAGE commands). Every data frame and every
 * command (PING, SUBSCRIBE...) becomes the body of one frame sent without flags; received frames
 * are opened back to their body and flags. Used on one I/O thread.
 */
public interface MessageCodec {

    /** The wire body carrying {@code frame} with the given MORE/COMMAND flags (as {@code FrameFlags}). */
    byte[] encode(byte[] frame, int flags);

    /** The size of the wire body that carries a frame of {@code frameLength} bytes. */
    int encodedLength(int frameLength);

    /**
     * Writes the wire body carrying {@code frame} straight into {@code out} (the same bytes as
     * {@link #encode(byte[], int)}, without an array of its own). The caller checked that {@code out}
     * has room for {@link #encodedLength} bytes.
     */
    void encode(byte[] frame, int flags, ByteBuffer out);

    /**
     * Writes the wire body carrying {@code frame} into {@code out} at {@code at} (the same bytes as
     * {@link #encode(byte[], int)}); the caller checked that {@link #encodedLength} bytes fit there.
     */
    void encode(byte[] frame, int flags, byte[] out, int at);

    /**
     * Opens a received frame body; returns its content and leaves its flags in {@link #lastFlags()}.
     * Throws with libzmq's code for a malformed, replayed or tampered frame.
     */
    default byte[] decode(byte[] wire) throws ZmtpProtocolException {
        return decode(wire, 0, wire.length);
    }

    /**
     * Opens the frame body {@code wire[off..off+len)} (which may be a scratch array, read only
     * during the call) into an array of its own, as {@link #decode(byte[])}.
     */
    default byte[] decode(byte[] wire, int off, int len) throws ZmtpProtocolException {
        open(wire, off, len);
        return opened();
    }

    /**
     * Opens the frame body {@code wire[off..off+len)} (which may be a scratch array, read only
     * during the call) into an array of its own, which {@link #opened()} then returns, and its flags
     * {@link #lastFlags()}. Throws, as {@link #decode(byte[])}, having told the listener of
     * {@link #reportFailuresTo} first.
     *
     * <p>Two calls instead of {@link #decode}'s one for the connection's per-frame path: its caller
     * then passes no result on, which keeps it small enough (stack and bytecodes) for C1 to inline.
     */
    void open(byte[] wire, int off, int len) throws ZmtpProtocolException;

    /** The frame the last {@link #open} opened (until the next one). */
    byte[] opened();

    /** {@code listener} hears of every frame {@link #open} refuses, before the exception is thrown. */
    default void reportFailuresTo(Consumer<ZmtpProtocolException> listener) {
    }

    /**
     * From now on {@link #open} (and so {@link #decode(byte[], int, int)}) opens a frame into an array {@code source} gives,
     * when it has one of the frame's size, instead of a new one (arrays the application gave back
     * once it copied their frames out). By default, always new arrays.
     */
    default void reuseArraysFrom(FrameDecoder.ArraySource source) {
    }

    /** The MORE/COMMAND flags ({@code FrameFlags}) of the frame last decoded. */
    int lastFlags();
}
