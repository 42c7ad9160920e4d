package dev.zmq.internal.wire.mechanism;

import dev.zmq.SocketEvent;
import dev.zmq.internal.crypto.SequenceBox;
import dev.zmq.internal.wire.FrameDecoder;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.Scratch;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * CurveZMQ MESSAGE commands (RFC 26), laid out as libzmq 4.3 sends them: each frame becomes
 * {@code [7]"MESSAGE"}, an 8-byte big-endian short nonce, then Box[flags + data] under the
 * connection's short-term keys, where flags bit 0 is MORE and bit 1 COMMAND (libzmq carries
 * commands such as PING and SUBSCRIBE this way). The ZMTP frame carrying it has no flags.
 *
 * <p>Nonces: ours count up from the value after the last handshake command we boxed; the peer's
 * must strictly increase (a replayed or reordered MESSAGE is refused), as libzmq checks.
 */
final class CurveCodec implements MessageCodec {
    private static final byte[] NAME = {7, 'M', 'E', 'S', 'S', 'A', 'G', 'E'};
    /** Eight bytes of a byte array as one big-endian long (any offset): the name and the short nonce. */
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long NAME_WORD = (long) BE_LONG.get(NAME, 0);
    private static final int HEADER = NAME.length + 8;
    /** What a MESSAGE adds to the frame it carries: name, short nonce, tag, flags byte. */
    private static final int OVERHEAD = HEADER + SequenceBox.MAC_BYTES + 1;
    private static final int PAYLOAD_MORE = 0x01;
    private static final int PAYLOAD_COMMAND = 0x02;

    /** Ours, under the nonce prefix "CurveZMQMESSAGEC" (client) or "...S" (server). */
    private final SequenceBox sendBox;
    /** The peer's, under the other prefix. */
    private final SequenceBox receiveBox;
    private long nextNonce;
    private long peerNonce;
    private int lastFlags;
    /** What the last {@link #open} opened. */
    private byte[] opened;
    /** Hears of the frames {@link #open} refuses; null: nobody. */
    private Consumer<ZmtpProtocolException> failures;
    /** Where {@link #open} takes the arrays it opens frames into before it allocates new ones; null: always new. */
    private FrameDecoder.ArraySource arrays;

    /**
     * @param key the precomputed short-term key (crypto_box_beforenm of C' and S'); the codec
     *     derives its own keys from it and does not keep it
     * @param asServer whether we are the server (we send "CurveZMQMESSAGES", read "...C")
     * @param nextNonce our next short nonce
     * @param peerNonce the peer's last short nonce seen in the handshake
     */
    CurveCodec(byte[] key, boolean asServer, long nextNonce, long peerNonce) {
        this.nextNonce = nextNonce;
        this.peerNonce = peerNonce;
        var client = "CurveZMQMESSAGEC".getBytes(StandardCharsets.US_ASCII);
        var server = "CurveZMQMESSAGES".getBytes(StandardCharsets.US_ASCII);
        this.sendBox = new SequenceBox(key, asServer ? server : client);
        this.receiveBox = new SequenceBox(key, asServer ? client : server);
    }

    @Override
    public byte[] encode(byte[] frame, int flags) {
        var out = new byte[OVERHEAD + frame.length];
        encode(frame, flags, out, 0);
        return out;
    }

    @Override
    public int encodedLength(int frameLength) {
        return OVERHEAD + frameLength;
    }

    @Override
    public void encode(byte[] frame, int flags, ByteBuffer out) {
        int n = OVERHEAD + frame.length;
        if (out.remaining() < n) {
            throw new java.nio.BufferOverflowException();
        }
        if (out.hasArray()) {
            encode(frame, flags, out.array(), out.arrayOffset() + out.position());
        } else {
            var scratch = Scratch.take(n);
            encode(frame, flags, scratch, 0);
            out.put(out.position(), scratch, 0, n);
            Scratch.give(scratch);
        }
        out.position(out.position() + n);
    }

    /**
     * Writes the MESSAGE command carrying {@code frame} into {@code out} at {@code at}, under our
     * next nonce. The other encodes come here too. The sending connection calls this one per
     * message, and it does the work itself: as a wrapper over a private method it was one more
     * C2 compile (C1 does not inline it: too many arguments), with all of it inlined again.
     */
    @Override
    public void encode(byte[] frame, int flags, byte[] out, int at) {
        java.util.Objects.checkFromIndexSize(at, OVERHEAD + frame.length, out.length);
        long nonce = nextNonce;
        if (nonce == -1L) { // 2^64 - 1, the last: refused, and so is every message after it (no wrap to 0)
            throw new IllegalStateException("CurveZMQ short nonces exhausted on this connection");
        }
        nextNonce = nonce + 1;
        BE_LONG.set(out, at, NAME_WORD);
        BE_LONG.set(out, at + NAME.length, nonce);
        int payloadFlags = ((flags & FrameFlags.MORE) != 0 ? PAYLOAD_MORE : 0) | ((flags & FrameFlags.COMMAND) != 0 ? PAYLOAD_COMMAND : 0);
        // Straight to the box's one method (offsets checked above): through SequenceBox.seal, one more C2 compile.
        sendBox.crypt(true, nonce, payloadFlags, frame, 0, out, at + HEADER + SequenceBox.MAC_BYTES + 1, frame.length, out, at + HEADER);
    }

    @Override
    public void open(byte[] wire, int off, int len) throws ZmtpProtocolException {
        java.util.Objects.checkFromIndexSize(off, len, wire.length);
        if (!isMessage(wire, off, len)) {
            throw failed(new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_UNEXPECTED_COMMAND,
                    "expected a CURVE MESSAGE, got " + Commands.name(java.util.Arrays.copyOfRange(wire, off, off + len))));
        }
        if (len < OVERHEAD) {
            throw failed(new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE, "CURVE MESSAGE too short"));
        }
        long nonce = getLong(wire, off + NAME.length);
        if (Long.compareUnsigned(nonce, peerNonce) <= 0) {
            throw failed(new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_INVALID_SEQUENCE, "CURVE MESSAGE nonce "
                    + Long.toUnsignedString(nonce) + " does not follow " + Long.toUnsignedString(peerNonce) + " (replayed or reordered)"));
        }
        // Opened straight from the wire bytes into the frame's own array: one copy, and the array
        // one the application gave back when there is one of the size (a 64 B frame's array was
        // nearly all of what a cold CURVE receiver's I/O thread allocated: 17.9 MB for 200k messages).
        int n = len - OVERHEAD;
        var source = arrays;
        byte[] out;
        if (n == 0 || source == null || (out = source.take(n)) == null) {
            out = new byte[n];
        }
        // The box after name and nonce: tag, flags byte, data (len >= OVERHEAD and the range checked above).
        int payloadFlags = receiveBox.crypt(false, nonce, 0, wire, off + OVERHEAD, out, 0, out.length, wire, off + HEADER);
        if (payloadFlags < 0) {
            throw failed(new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC,
                    "CURVE MESSAGE does not authenticate (tampered, or not from this peer)"));
        }
        peerNonce = nonce;
        lastFlags = ((payloadFlags & PAYLOAD_MORE) != 0 ? FrameFlags.MORE : 0) | ((payloadFlags & PAYLOAD_COMMAND) != 0 ? FrameFlags.COMMAND : 0);
        opened = out;
    }

    /** Tells the failure listener of {@code e}, which the caller then throws. */
    private ZmtpProtocolException failed(ZmtpProtocolException e) {
        var listener = failures;
        if (listener != null) {
            listener.accept(e);
        }
        return e;
    }

    @Override
    public byte[] opened() {
        return opened;
    }

    @Override
    public void reportFailuresTo(Consumer<ZmtpProtocolException> listener) {
        this.failures = listener;
    }

    /** Whether {@code wire[off..off+len)} starts with the MESSAGE command's name. */
    private static boolean isMessage(byte[] wire, int off, int len) {
        return len >= NAME.length && (long) BE_LONG.get(wire, off) == NAME_WORD;
    }

    @Override
    public void reuseArraysFrom(FrameDecoder.ArraySource source) {
        this.arrays = source;
    }

    @Override
    public int lastFlags() {
        return lastFlags;
    }

    /** Erases the keys derived for this connection (the mechanism wipes the precomputed key itself). */
    void wipe() {
        sendBox.wipe();
        receiveBox.wipe();
    }

    static void putLong(byte[] b, int off, long v) {
        BE_LONG.set(b, off, v);
    }

    static long getLong(byte[] b, int off) {
        return (long) BE_LONG.get(b, off);
    }
}
