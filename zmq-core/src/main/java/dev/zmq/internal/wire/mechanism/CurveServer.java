package dev.zmq.internal.wire.mechanism;

import static dev.zmq.internal.wire.mechanism.CurveClient.longNonce;
import static dev.zmq.internal.wire.mechanism.CurveClient.nonce;
import static dev.zmq.internal.wire.mechanism.CurveClient.put;
import static dev.zmq.internal.wire.mechanism.CurveClient.random;

import dev.zmq.SocketEvent;
import dev.zmq.internal.crypto.NaclBox;
import dev.zmq.internal.crypto.X25519;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * CURVE server (RFC 25/26, wire details as libzmq 4.3). HELLO must open with our long-term secret
 * key; WELCOME carries a fresh short-term key S' and a cookie Box[C' + s'] under a random cookie
 * key that lives only until INITIATE (then wiped); INITIATE must return that cookie and box the
 * client's long-term key C with a vouch that opens with C and names C' and our public key S
 * (libzmq checks only C'; we check both, as the RFC defines the vouch). The client's key then goes to the ZAP handler if one is bound
 * (without one, libzmq 4.3 accepts any client: encryption without authentication); READY follows
 * acceptance. Our short nonces start at 1 (READY); the client's must strictly increase.
 */
public final class CurveServer implements Mechanism {
    private enum State { WAITING_HELLO, WAITING_INITIATE, WAITING_ZAP, DONE }

    private final Metadata ours;
    private final byte[] secretKey;
    private final byte[] publicKey;
    private final ZapCheck zap;
    private final NaclBox box = new NaclBox();
    private byte[] cnClient;
    private byte[] cnSecret;
    private byte[] cnPublic;
    private byte[] cookieKey;
    private byte[] precomputed;
    private long peerNonce;
    private State state = State.WAITING_HELLO;
    private Metadata peer;
    private CurveCodec codec;

    public CurveServer(Metadata ours, byte[] secretKey, ZapSettings zap) throws GeneralSecurityException {
        this(ours, secretKey, X25519.publicKey(secretKey), zap);
    }

    /** With the public key of {@code secretKey} already derived (its socket derives it once, not per connection). */
    public CurveServer(Metadata ours, byte[] secretKey, byte[] publicKey, ZapSettings zap) {
        this.ours = ours;
        this.secretKey = secretKey;
        this.publicKey = publicKey;
        this.zap = new ZapCheck(zap);
    }

    @Override
    public String name() {
        return "CURVE";
    }

    @Override
    public boolean asServer() {
        return true;
    }

    @Override
    public void start(Handshake handshake) {
        // the client speaks first
    }

    @Override
    public void onCommand(byte[] body, Handshake handshake) throws ZmtpProtocolException {
        try {
            if (state == State.WAITING_HELLO && Commands.is(body, "HELLO")) {
                onHello(body, handshake);
            } else if (state == State.WAITING_INITIATE && Commands.is(body, "INITIATE")) {
                onInitiate(body, handshake);
            } else {
                throw Commands.unexpected(body, "in the CURVE handshake (state " + state + ")");
            }
        } catch (GeneralSecurityException e) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC, "CURVE key agreement failed: " + e.getMessage());
        }
    }

    private void onHello(byte[] body, Handshake handshake) throws ZmtpProtocolException, GeneralSecurityException {
        if (body.length != 200) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO, "CURVE HELLO of " + body.length + " bytes, not 200");
        }
        if (body[6] != 1 || body[7] != 0) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO,
                    "CURVE HELLO version " + body[6] + "." + body[7] + ", not 1.0");
        }
        cnClient = Arrays.copyOfRange(body, 80, 112);
        long n = CurveCodec.getLong(body, 112);
        // The key of C' and s: HELLO's signature is boxed under it, WELCOME goes back under it (one
        // Curve25519 scalar multiplication, not two).
        var helloKey = NaclBox.beforenm(cnClient, secretKey);
        var welcomeNonceTail = random(16);
        byte[] welcomeBox;
        try {
            var signature = box.open(helloKey, nonce("CurveZMQHELLO---", n), Arrays.copyOfRange(body, 120, 200));
            if (signature == null || !MessageDigest.isEqual(signature, new byte[64])) {
                throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC,
                        "cannot open the client's CURVE HELLO: the client's CURVE_SERVERKEY is not this server's public key");
            }
            peerNonce = n;

            cnSecret = X25519.newSecretKey();
            cnPublic = X25519.publicKey(cnSecret);
            // cookie = Box[C' + s'](cookie key), a fresh key per connection that dies at INITIATE
            cookieKey = random(32);
            var cookieNonceTail = random(16);
            var cookiePlain = new byte[64];
            put(cookiePlain, 0, cnClient);
            put(cookiePlain, 32, cnSecret);
            var cookieBox = box.seal(cookieKey, longNonce("COOKIE--", cookieNonceTail, 0), cookiePlain);
            Arrays.fill(cookiePlain, (byte) 0);

            var welcomePlain = new byte[128];
            put(welcomePlain, 0, cnPublic);
            put(welcomePlain, 32, cookieNonceTail);
            put(welcomePlain, 48, cookieBox);
            welcomeBox = box.seal(helloKey, longNonce("WELCOME-", welcomeNonceTail, 0), welcomePlain);
        } finally {
            Arrays.fill(helloKey, (byte) 0);
        }

        var welcome = new byte[168];
        put(welcome, 0, "\u0007WELCOME".getBytes(StandardCharsets.US_ASCII));
        put(welcome, 8, welcomeNonceTail);
        put(welcome, 24, welcomeBox);
        handshake.send(welcome);
        state = State.WAITING_INITIATE;
    }

    private void onInitiate(byte[] body, Handshake handshake) throws ZmtpProtocolException, GeneralSecurityException {
        if (body.length < 257) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_INITIATE, "CURVE INITIATE too short");
        }
        var cookie = box.open(cookieKey, longNonce("COOKIE--", body, 9), Arrays.copyOfRange(body, 25, 105));
        Arrays.fill(cookieKey, (byte) 0); // the cookie key is single-use
        if (cookie == null) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC, "the CURVE INITIATE cookie does not open");
        }
        var expected = new byte[64];
        put(expected, 0, cnClient);
        put(expected, 32, cnSecret);
        boolean cookieOk = MessageDigest.isEqual(cookie, expected);
        Arrays.fill(cookie, (byte) 0);
        Arrays.fill(expected, (byte) 0);
        if (!cookieOk) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC, "the CURVE INITIATE cookie is not ours");
        }
        long n = CurveCodec.getLong(body, 105);
        if (Long.compareUnsigned(n, peerNonce) <= 0) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_INVALID_SEQUENCE, "CURVE INITIATE nonce does not follow HELLO's");
        }
        precomputed = NaclBox.beforenm(cnClient, cnSecret);
        var plain = box.open(precomputed, nonce("CurveZMQINITIATE", n), Arrays.copyOfRange(body, 113, body.length));
        if (plain == null) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC, "cannot open the client's CURVE INITIATE");
        }
        peerNonce = n;
        var clientKey = Arrays.copyOfRange(plain, 0, 32);
        var vouchKey = NaclBox.beforenm(clientKey, cnSecret);
        var vouch = box.open(vouchKey, longNonce("VOUCH---", plain, 32), Arrays.copyOfRange(plain, 48, 128));
        Arrays.fill(vouchKey, (byte) 0);
        if (vouch == null) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_CRYPTOGRAPHIC, "the client's CURVE vouch does not open");
        }
        var vouched = new byte[64];
        put(vouched, 0, cnClient);
        put(vouched, 32, publicKey);
        if (!MessageDigest.isEqual(vouch, vouched)) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_KEY_EXCHANGE, "the client's CURVE vouch names other keys");
        }
        try {
            peer = Metadata.decode(Arrays.copyOfRange(plain, 128, plain.length));
        } catch (ZmtpProtocolException e) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_INVALID_METADATA, "malformed metadata in CURVE INITIATE");
        }
        Arrays.fill(plain, (byte) 0);
        state = State.WAITING_ZAP;
        if (!zap.ask(handshake, "CURVE", List.of(clientKey), () -> sendReady(handshake))) {
            sendReady(handshake); // no ZAP handler: any client with the server key is accepted (libzmq 4.3)
        }
    }

    private void sendReady(Handshake handshake) {
        long n = 1;
        var readyBox = box.seal(precomputed, nonce("CurveZMQREADY---", n), ours.encode());
        var ready = new byte[14 + readyBox.length];
        put(ready, 0, "\u0005READY".getBytes(StandardCharsets.US_ASCII));
        CurveCodec.putLong(ready, 6, n);
        put(ready, 14, readyBox);
        handshake.send(ready);
        codec = new CurveCodec(precomputed, true, n + 1, peerNonce);
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
    public Map<String, String> zapProperties() {
        return zap.properties();
    }

    @Override
    public void dispose() {
        if (codec != null) {
            codec.wipe();
        }
        zap.cancel();
        for (var k : new byte[][] {cnSecret, cookieKey, precomputed}) {
            if (k != null) {
                Arrays.fill(k, (byte) 0);
            }
        }
    }
}
