package dev.zmq.internal.crypto;

import java.security.GeneralSecurityException;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl's {@code crypto_box} family, as CurveZMQ uses it, built from the JDK's X25519 and Bouncy
 * Castle's XSalsa20 and Poly1305 (no primitive is implemented here):
 * <ul>
 *   <li>{@code crypto_box_beforenm(pk, sk)} = HSalsa20(X25519(sk, pk), 16 zero bytes)</li>
 *   <li>{@code crypto_secretbox(m, n, k)} = XSalsa20(k, n) keystream; its first 32 bytes are the
 *       one-time Poly1305 key, the following ones encrypt m; the box is tag (16) then ciphertext</li>
 *   <li>{@code crypto_box_afternm} is {@code crypto_secretbox} with the precomputed key</li>
 * </ul>
 * The layout is libsodium's "easy" one: 16-byte tag first, then the ciphertext (what goes on the
 * wire in CurveZMQ once the NaCl zero padding is stripped).
 *
 * <p>An instance keeps a cipher and a MAC to reuse; it is not thread-safe. It serves the handshake
 * commands, each under a nonce of its own; the MESSAGE commands after the handshake go through
 * {@link SequenceBox}, which derives the XSalsa20 key once per connection.
 */
public final class NaclBox {
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 24;
    public static final int MAC_BYTES = 16;
    private static final byte[] ZERO_16 = new byte[16];
    private static final byte[] ZERO_32 = new byte[32];
    /** Salsa20's constant "expand 32-byte k" as four little-endian words. */
    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

    private final XSalsa20Engine cipher = new XSalsa20Engine();
    private final Poly1305 mac = new Poly1305();
    private final byte[] polyKey = new byte[32];
    private final byte[] tag = new byte[MAC_BYTES];

    /**
     * HSalsa20 (the XSalsa20 paper, section 2): the Salsa20/20 core on key and 16-byte input,
     * keeping words 0, 5, 10, 15, 6, 7, 8, 9 without the final addition of the input. Bouncy
     * Castle uses it inside XSalsa20 but does not expose it; its public {@code salsaCore} returns
     * the rounds plus the input (the Salsa20 feed-forward), so subtracting the input back gives the
     * HSalsa20 words. Checked against libsodium's crypto_core_hsalsa20 and NaCl's box test vector.
     */
    public static byte[] hsalsa20(byte[] key, byte[] input) {
        var state = new int[16];
        state[0] = SIGMA[0];
        state[5] = SIGMA[1];
        state[10] = SIGMA[2];
        state[15] = SIGMA[3];
        for (int i = 0; i < 4; i++) {
            state[1 + i] = littleEndian(key, 4 * i);
            state[11 + i] = littleEndian(key, 16 + 4 * i);
            state[6 + i] = littleEndian(input, 4 * i);
        }
        var mixed = new int[16];
        Salsa20Engine.salsaCore(20, state, mixed);
        int[] pick = {0, 5, 10, 15, 6, 7, 8, 9};
        var out = new byte[32];
        for (int i = 0; i < pick.length; i++) {
            int word = mixed[pick[i]] - state[pick[i]];
            out[4 * i] = (byte) word;
            out[4 * i + 1] = (byte) (word >>> 8);
            out[4 * i + 2] = (byte) (word >>> 16);
            out[4 * i + 3] = (byte) (word >>> 24);
        }
        return out;
    }

    /** crypto_box_beforenm: the symmetric key shared by the owners of {@code secretKey} and {@code publicKey}. */
    public static byte[] beforenm(byte[] publicKey, byte[] secretKey) throws GeneralSecurityException {
        var shared = X25519.sharedSecret(secretKey, publicKey);
        try {
            return hsalsa20(shared, ZERO_16);
        } finally {
            java.util.Arrays.fill(shared, (byte) 0);
        }
    }

    /**
     * Seals {@code len} bytes of {@code m} from {@code off} under {@code key} and {@code nonce} into
     * {@code out} at {@code outOff}: tag, then ciphertext ({@code len + 16} bytes).
     */
    public void seal(byte[] key, byte[] nonce, byte[] m, int off, int len, byte[] out, int outOff) {
        startStream(key, nonce);
        cipher.processBytes(m, off, len, out, outOff + MAC_BYTES);
        mac.init(new KeyParameter(polyKey));
        mac.update(out, outOff + MAC_BYTES, len);
        mac.doFinal(out, outOff);
        java.util.Arrays.fill(polyKey, (byte) 0);
    }

    /** Seals a whole array; returns tag and ciphertext. */
    public byte[] seal(byte[] key, byte[] nonce, byte[] m) {
        var out = new byte[m.length + MAC_BYTES];
        seal(key, nonce, m, 0, m.length, out, 0);
        return out;
    }

    /**
     * Opens the box of {@code len} bytes (tag, then ciphertext) at {@code off} into {@code out} at
     * {@code outOff} ({@code len - 16} bytes). Returns false, writing nothing, if the tag does not
     * verify (tampered, wrong key or wrong nonce); the tag is compared in constant time.
     */
    public boolean open(byte[] key, byte[] nonce, byte[] box, int off, int len, byte[] out, int outOff) {
        if (len < MAC_BYTES) {
            return false;
        }
        startStream(key, nonce);
        mac.init(new KeyParameter(polyKey));
        java.util.Arrays.fill(polyKey, (byte) 0);
        mac.update(box, off + MAC_BYTES, len - MAC_BYTES);
        mac.doFinal(tag, 0);
        if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(MAC_BYTES, tag, 0, box, off)) {
            return false;
        }
        cipher.processBytes(box, off + MAC_BYTES, len - MAC_BYTES, out, outOff);
        return true;
    }

    /** Opens a whole box; returns the plaintext, or null if it does not verify. */
    public byte[] open(byte[] key, byte[] nonce, byte[] box) {
        if (box.length < MAC_BYTES) {
            return null;
        }
        var out = new byte[box.length - MAC_BYTES];
        return open(key, nonce, box, 0, box.length, out, 0) ? out : null;
    }

    /** Starts the XSalsa20 stream and takes its first 32 bytes as the Poly1305 key. */
    private void startStream(byte[] key, byte[] nonce) {
        if (key.length != KEY_BYTES || nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("NaCl box needs a 32-byte key and a 24-byte nonce");
        }
        cipher.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        cipher.processBytes(ZERO_32, 0, 32, polyKey, 0);
    }

    private static int littleEndian(byte[] b, int off) {
        return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8) | ((b[off + 2] & 0xFF) << 16) | ((b[off + 3] & 0xFF) << 24);
    }
}
