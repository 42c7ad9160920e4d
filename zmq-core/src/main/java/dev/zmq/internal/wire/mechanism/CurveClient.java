package dev.zmq.internal.wire.mechanism;

import dev.zmq.SocketEvent;
import dev.zmq.internal.crypto.NaclBox;
import dev.zmq.internal.crypto.X25519;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * CURVE client (RFC 25/26, wire details as libzmq 4.3): HELLO with a fresh short-term key C' and a
 * box of 64 zeros to the server's long-term key S; WELCOME brings S' and the cookie; INITIATE
 * returns the cookie with our long-term key C, the vouch Box[C' + S](C to S') and our metadata;
 * READY brings the server's metadata. Short nonces count from 1 (HELLO) upwards.
 */
public final class CurveClient implements Mechanism {
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { WAITING_WELCOME, WAITING_READY, DONE }

    private final Metadata ours;
    private final byte[] publicKey;
    private final byte[] secretKey;
    private final byte[] serverKey;
    private final NaclBox box = new NaclBox();
    private byte[] cnSecret;
    /** crypto_box_beforenm of S and c', from HELLO until WELCOME is opened. */
    private byte[] helloKey;
    private byte[] cnPublic;
    private byte[] precomputed;
    private long nonce = 1;
    private State state = State.WAITING_WELCOME;
    private Metadata peer;
    private CurveCodec codec;

    public CurveClient(Metadata ours, byte[] publicKey, byte[] secretKey, byte[] serverKey) {
        this.ours = ours;
        this.publicKey = publicKey;
        this.secretKey = secretKey;
        this.serverKey = serverKey;
    }

    @Override
    public String name() {
        return "CURVE";
    }

    @Override
    public boolean asServer() {
        return false;
    }

    @Override
    public void start(Handshake handshake) throws ZmtpProtocolException {
        try {
            cnSecret = X25519.newSecretKey();
            cnPublic = X25519.publicKey(cnSecret);
            // The key of C' and S: HELLO's signature goes under it and WELCOME comes back under it,
            // so it is kept until WELCOME (one Curve25519 scalar multiplication, not two).
            helloKey = NaclBox.beforenm(serverKey, cnSecret);
            long n = nonce++;
            var signature = box.seal(helloKey, nonce("CurveZMQHELLO---", n), new byte[64]);
            var hello = new byte[200];
            put(hello, 0, "\u0005HELLO".getBytes(StandardCharsets.US_ASCII));
            hello[6] = 1; // CurveZMQ 1.0
            hello[7] = 0;
            // bytes 8..79: anti-amplification padding (72 zeros, as libzmq; the RFC's prose says 70)
            put(hello, 80, cnPublic);
            CurveCodec.putLong(hello, 112, n);
            put(hello, 120, signature);
            handshake.send(hello);
        } catch (GeneralSecurityException e) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC, "cannot build the CURVE HELLO: " + e.getMessage());
        }
    }

    @Override
    public void onCommand(byte[] body, Handshake handshake) throws ZmtpProtocolException {
        if (Commands.is(body, "ERROR") && state != State.DONE) {
            throw Commands.peerError(body, "CURVE");
        }
        if (state == State.WAITING_WELCOME && Commands.is(body, "WELCOME")) {
            onWelcome(body, handshake);
        } else if (state == State.WAITING_READY && Commands.is(body, "READY")) {
            onReady(body);
        } else {
            throw Commands.unexpected(body, "in the CURVE handshake (state " + state + ")");
        }
    }

    private void onWelcome(byte[] body, Handshake handshake) throws ZmtpProtocolException {
        if (body.length != 168) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_WELCOME,
                    "CURVE WELCOME of " + body.length + " bytes, not 168");
        }
        var welcome = box.open(helloKey, longNonce("WELCOME-", body, 8), Arrays.copyOfRange(body, 24, 168));
        Arrays.fill(helloKey, (byte) 0);
        if (welcome == null) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC,
                    "cannot open the server's WELCOME: is CURVE_SERVERKEY the server's public key?");
        }
        var serverShortTerm = Arrays.copyOfRange(welcome, 0, 32);
        var cookie = Arrays.copyOfRange(welcome, 32, 128);
        Arrays.fill(welcome, (byte) 0);
        try {
            precomputed = NaclBox.beforenm(serverShortTerm, cnSecret);
            // vouch = Box[C' + S](C -> S'), with a random long nonce
            var vouchNonceTail = random(16);
            var vouchPlain = new byte[64];
            put(vouchPlain, 0, cnPublic);
            put(vouchPlain, 32, serverKey);
            var vouchKey = NaclBox.beforenm(serverShortTerm, secretKey);
            var vouch = box.seal(vouchKey, longNonce("VOUCH---", vouchNonceTail, 0), vouchPlain);
            Arrays.fill(vouchKey, (byte) 0);

            var metadata = ours.encode();
            var plain = new byte[32 + 16 + 80 + metadata.length];
            put(plain, 0, publicKey);
            put(plain, 32, vouchNonceTail);
            put(plain, 48, vouch);
            put(plain, 128, metadata);
            long n = nonce++;
            var initiateBox = box.seal(precomputed, nonce("CurveZMQINITIATE", n), plain);
            var initiate = new byte[9 + 96 + 8 + initiateBox.length];
            put(initiate, 0, "\u0008INITIATE".getBytes(StandardCharsets.US_ASCII));
            put(initiate, 9, cookie);
            CurveCodec.putLong(initiate, 105, n);
            put(initiate, 113, initiateBox);
            handshake.send(initiate);
            state = State.WAITING_READY;
        } catch (GeneralSecurityException e) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC, "cannot build the CURVE INITIATE: " + e.getMessage());
        }
    }

    private void onReady(byte[] body) throws ZmtpProtocolException {
        if (body.length < 30) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_READY, "CURVE READY too short");
        }
        long n = CurveCodec.getLong(body, 6);
        var plain = box.open(precomputed, nonce("CurveZMQREADY---", n), Arrays.copyOfRange(body, 14, body.length));
        if (plain == null) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC, "cannot open the server's CURVE READY");
        }
        try {
            peer = Metadata.decode(plain);
        } catch (ZmtpProtocolException e) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_INVALID_METADATA, "malformed metadata in CURVE READY");
        }
        codec = new CurveCodec(precomputed, false, nonce, n);
        Arrays.fill(cnSecret, (byte) 0);
        state = State.DONE;
    }

    @Override
    public boolean isComplete() {
        return state == State.DONE;
    }

    @Override
    public Metadata peerMetadata() {
        return peer;
    }

    @Override
    public MessageCodec codec() {
        return codec;
    }

    @Override
    public void dispose() {
        if (codec != null) {
            codec.wipe();
        }
        if (cnSecret != null) {
            Arrays.fill(cnSecret, (byte) 0);
        }
        if (helloKey != null) {
            Arrays.fill(helloKey, (byte) 0);
        }
        if (precomputed != null) {
            Arrays.fill(precomputed, (byte) 0);
        }
    }

    /** A 24-byte nonce: a 16-byte prefix and an 8-byte big-endian counter. */
    static byte[] nonce(String prefix, long counter) {
        var n = new byte[NaclBox.NONCE_BYTES];
        put(n, 0, prefix.getBytes(StandardCharsets.US_ASCII));
        CurveCodec.putLong(n, 16, counter);
        return n;
    }

    /** A 24-byte nonce: an 8-byte prefix and 16 bytes from {@code src} at {@code off}. */
    static byte[] longNonce(String prefix, byte[] src, int off) {
        var n = new byte[NaclBox.NONCE_BYTES];
        put(n, 0, prefix.getBytes(StandardCharsets.US_ASCII));
        System.arraycopy(src, off, n, 8, 16);
        return n;
    }

    static byte[] random(int size) {
        var b = new byte[size];
        RANDOM.nextBytes(b);
        return b;
    }

    static void put(byte[] dst, int off, byte[] src) {
        System.arraycopy(src, 0, dst, off, src.length);
    }
}
