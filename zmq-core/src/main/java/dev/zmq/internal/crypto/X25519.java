package dev.zmq.internal.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Curve25519 Diffie-Hellman (NaCl's {@code crypto_scalarmult}) with the JDK's X25519, on raw
 * 32-byte keys as CurveZMQ carries them.
 *
 * <p>Encodings (RFC 7748 section 5): a public key is the little-endian u-coordinate with its top
 * bit ignored; a secret key is the little-endian scalar, which the JDK clamps (clears bits 0-2 and
 * 255, sets bit 254) as NaCl does, so the raw 32 random bytes libsodium stores work unchanged.
 */
public final class X25519 {
    public static final int KEY_BYTES = 32;
    private static final byte[] BASE_POINT = new byte[KEY_BYTES];
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        BASE_POINT[0] = 9;
    }

    private X25519() {
    }

    /** A fresh secret key: 32 random bytes (as libsodium's crypto_box_keypair). */
    public static byte[] newSecretKey() {
        var secret = new byte[KEY_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** The public key of {@code secretKey}: the scalar times the base point (crypto_scalarmult_base). */
    public static byte[] publicKey(byte[] secretKey) throws GeneralSecurityException {
        return sharedSecret(secretKey, BASE_POINT);
    }

    /**
     * The raw shared secret X25519(secretKey, publicKey). Throws for a public key of small order
     * (an all-zero result), which libsodium also refuses.
     */
    public static byte[] sharedSecret(byte[] secretKey, byte[] publicKey) throws GeneralSecurityException {
        checkLength(secretKey, "secret key");
        checkLength(publicKey, "public key");
        var factory = KeyFactory.getInstance("XDH");
        var privateKey = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, secretKey.clone()));
        var peer = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, uCoordinate(publicKey)));
        var agreement = KeyAgreement.getInstance("XDH");
        agreement.init(privateKey);
        agreement.doPhase(peer, true);
        return agreement.generateSecret();
    }

    /** Little-endian bytes to the u-coordinate, masking bit 255 as RFC 7748 requires for X25519. */
    private static BigInteger uCoordinate(byte[] littleEndian) {
        var bigEndian = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) {
            bigEndian[i] = littleEndian[KEY_BYTES - 1 - i];
        }
        bigEndian[0] &= 0x7F;
        return new BigInteger(1, bigEndian);
    }

    private static void checkLength(byte[] key, String what) throws GeneralSecurityException {
        if (key == null || key.length != KEY_BYTES) {
            throw new GeneralSecurityException("a Curve25519 " + what + " is 32 bytes");
        }
    }
}
