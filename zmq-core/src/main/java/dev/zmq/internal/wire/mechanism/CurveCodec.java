package dev.zmq.internal.wire.mechanism;

import dev.zmq.SocketEvent;
import dev.zmq.internal.crypto.NaclBox;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.nio.charset.StandardCharsets;

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
    private static final int HEADER = NAME.length + 8;
    private static final int PAYLOAD_MORE = 0x01;
    private static final int PAYLOAD_COMMAND = 0x02;

    private final byte[] key;
    private final byte[] sendNonce = new byte[NaclBox.NONCE_BYTES];
    private final byte[] receiveNonce = new byte[NaclBox.NONCE_BYTES];
    private final NaclBox box = new NaclBox();
    private long nextNonce;
    private long peerNonce;
    private int lastFlags;

    /**
     * @param key the precomputed short-term key (crypto_box_beforenm of C' and S')
     * @param asServer whether we are the server (we send "CurveZMQMESSAGES", read "...C")
     * @param nextNonce our next short nonce
     * @param peerNonce the peer's last short nonce seen in the handshake
     */
    CurveCodec(byte[] key, boolean asServer, long nextNonce, long peerNonce) {
        this.key = key;
        this.nextNonce = nextNonce;
        this.peerNonce = peerNonce;
        var ours = (asServer ? "CurveZMQMESSAGES" : "CurveZMQMESSAGEC").getBytes(StandardCharsets.US_ASCII);
        var theirs = (asServer ? "CurveZMQMESSAGEC" : "CurveZMQMESSAGES").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ours, 0, sendNonce, 0, 16);
        System.arraycopy(theirs, 0, receiveNonce, 0, 16);
    }

    @Override
    public byte[] encode(byte[] frame, int flags) {
        long nonce = nextNonce++;
        if (nextNonce == 0) {
            throw new IllegalStateException("CurveZMQ short nonces exhausted on this connection");
        }
        putLong(sendNonce, 16, nonce);
        var out = new byte[HEADER + NaclBox.MAC_BYTES + 1 + frame.length];
        System.arraycopy(NAME, 0, out, 0, NAME.length);
        putLong(out, NAME.length, nonce);
        int payloadFlags = ((flags & FrameFlags.MORE) != 0 ? PAYLOAD_MORE : 0) | ((flags & FrameFlags.COMMAND) != 0 ? PAYLOAD_COMMAND : 0);
        box.seal(key, sendNonce, (byte) payloadFlags, frame, 0, frame.length, out, HEADER);
        return out;
    }

    @Override
    public byte[] decode(byte[] wire) throws ZmtpProtocolException {
        if (!Commands.is(wire, "MESSAGE")) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_UNEXPECTED_COMMAND,
                    "expected a CURVE MESSAGE, got " + Commands.name(wire));
        }
        if (wire.length < HEADER + NaclBox.MAC_BYTES + 1) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE, "CURVE MESSAGE too short");
        }
        long nonce = getLong(wire, NAME.length);
        if (Long.compareUnsigned(nonce, peerNonce) <= 0) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_INVALID_SEQUENCE, "CURVE MESSAGE nonce "
                    + Long.toUnsignedString(nonce) + " does not follow " + Long.toUnsignedString(peerNonce) + " (replayed or reordered)");
        }
        putLong(receiveNonce, 16, nonce);
        var out = new byte[wire.length - HEADER - NaclBox.MAC_BYTES - 1];
        int payloadFlags = box.openWithPrefix(key, receiveNonce, wire, HEADER, wire.length - HEADER, out, 0);
        if (payloadFlags < 0) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC,
                    "CURVE MESSAGE does not authenticate (tampered, or not from this peer)");
        }
        peerNonce = nonce;
        lastFlags = ((payloadFlags & PAYLOAD_MORE) != 0 ? FrameFlags.MORE : 0) | ((payloadFlags & PAYLOAD_COMMAND) != 0 ? FrameFlags.COMMAND : 0);
        return out;
    }

    @Override
    public int lastFlags() {
        return lastFlags;
    }

    void wipe() {
        java.util.Arrays.fill(key, (byte) 0);
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
