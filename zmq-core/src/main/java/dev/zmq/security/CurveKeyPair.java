package dev.zmq.security;

import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.crypto.X25519;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A CURVE (Curve25519) long-term key pair: two 32-byte keys, as libzmq's
 * {@code zmq_curve_keypair} makes them. The server's public key is what clients set as
 * {@code CURVE_SERVERKEY}; each side sets its own pair as {@code CURVE_PUBLICKEY} and
 * {@code CURVE_SECRETKEY}.
 *
 * <pre>{@code
 * var server = CurveKeyPair.generate();
 * System.out.println(server.publicKeyZ85());    // give this to clients
 * var same = CurveKeyPair.fromSecretKey(server.secretKeyZ85());
 * }</pre>
 *
 * Needs only the JDK (its X25519), not Bouncy Castle. {@link #toString()} never shows the secret key.
 *
 * @param publicKey the 32-byte public key
 * @param secretKey the 32-byte secret key
 */
public record CurveKeyPair(byte[] publicKey, byte[] secretKey) {

    /** Checks both keys are 32 bytes; keeps copies. */
    public CurveKeyPair {
        publicKey = checked(publicKey, "public key").clone();
        secretKey = checked(secretKey, "secret key").clone();
    }

    /** A new random key pair. */
    public static CurveKeyPair generate() {
        return fromSecretKey(X25519.newSecretKey());
    }

    /** The pair of a 32-byte secret key: its public key is derived (libzmq's {@code zmq_curve_public}). */
    public static CurveKeyPair fromSecretKey(byte[] secretKey) {
        checked(secretKey, "secret key");
        try {
            return new CurveKeyPair(X25519.publicKey(secretKey), secretKey);
        } catch (GeneralSecurityException e) {
            throw new ZmqException(ZmqError.EINVAL, "cannot derive a public key from this secret key: " + e.getMessage(), e);
        }
    }

    /** The pair of a secret key given as 40 Z85 characters. */
    public static CurveKeyPair fromSecretKey(String secretKeyZ85) {
        return fromSecretKey(decodeKey(secretKeyZ85, "secret key"));
    }

    /** The public key of a 32-byte secret key. */
    public static byte[] derivePublicKey(byte[] secretKey) {
        return fromSecretKey(secretKey).publicKey();
    }

    /** A 32-byte key from its 40-character Z85 form, with a clear error otherwise. */
    public static byte[] decodeKey(String z85, String what) {
        Objects.requireNonNull(z85, what);
        if (z85.length() != 40) {
            throw new ZmqException(ZmqError.EINVAL, "a CURVE " + what + " in Z85 is 40 characters, got " + z85.length());
        }
        return Z85.decode(z85);
    }

    /** The public key (a copy). */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The secret key (a copy). Keep it secret. */
    @Override
    public byte[] secretKey() {
        return secretKey.clone();
    }

    /** The public key as 40 Z85 characters. */
    public String publicKeyZ85() {
        return Z85.encode(publicKey);
    }

    /** The secret key as 40 Z85 characters. Keep it secret. */
    public String secretKeyZ85() {
        return Z85.encode(secretKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CurveKeyPair other && Arrays.equals(publicKey, other.publicKey)
                && java.security.MessageDigest.isEqual(secretKey, other.secretKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    /** Shows the public key only. */
    @Override
    public String toString() {
        return "CurveKeyPair[public=" + publicKeyZ85() + ", secret=<hidden>]";
    }

    private static byte[] checked(byte[] key, String what) {
        Objects.requireNonNull(key, what);
        if (key.length != 32) {
            throw new ZmqException(ZmqError.EINVAL, "a CURVE " + what + " is 32 bytes, got " + key.length);
        }
        return key;
    }
}
