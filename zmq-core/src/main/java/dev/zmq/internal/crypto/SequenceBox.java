package dev.zmq.internal.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * {@code crypto_box_afternm} for one direction of a connection whose nonces all share their first
 * 16 bytes and end in an 8-byte big-endian counter (CurveZMQ's MESSAGE commands: "CurveZMQMESSAGEC"
 * or "...S", then the short nonce). The same boxes as {@link NaclBox}, byte for byte, at a fraction
 * of the cost per message:
 * <ul>
 *   <li>XSalsa20(k, n) is Salsa20 keyed with HSalsa20(k, n[0..16]) and run with n[16..24] (the
 *       XSalsa20 paper, section 2). With a fixed prefix that subkey is the same for every message,
 *       so it is derived once here instead of once per message, as Bouncy Castle's XSalsa20Engine
 *       must when it is set up afresh.</li>
 *   <li>One Bouncy Castle {@code Salsa20Engine} keyed once; per message only its two nonce words are
 *       set and its keystream restarted, exactly what its own {@code init} does with a new IV (the
 *       words 6 and 7 of the state, as its {@code setKey} reads them), without the parameter
 *       objects and copies {@code init} needs.</li>
 *   <li>The Poly1305 one-time key (the first 32 keystream bytes) goes into one reused key
 *       parameter, wiped once the MAC has taken it.</li>
 * </ul>
 * No primitive is implemented here: Salsa20 and Poly1305 are Bouncy Castle's.
 *
 * <p>Sealing and opening work in place (the output may be the input array at the same offset of
 * the data). Not thread-safe: one instance per direction of a connection, used on its I/O thread.
 * {@link #wipe()} erases the derived key; a wiped box refuses to work rather than use a zero key.
 */
public final class SequenceBox {
    public static final int MAC_BYTES = NaclBox.MAC_BYTES;
    /** Bytes of the nonce prefix shared by every message. */
    public static final int PREFIX_BYTES = 16;
    private static final byte[] ZERO_32 = new byte[32];

    private final Stream cipher = new Stream();
    private final Poly1305 mac = new Poly1305();
    /** The Poly1305 one-time key parameter; its array (getKey() is Bouncy Castle's own, not a copy) is refilled per message. */
    private final KeyParameter polyKey = new KeyParameter(new byte[32]);
    private final byte[] tag = new byte[MAC_BYTES];
    private boolean wiped;

    /**
     * @param key the precomputed key (crypto_box_beforenm), 32 bytes; not kept
     * @param noncePrefix the first 16 bytes of every nonce
     */
    public SequenceBox(byte[] key, byte[] noncePrefix) {
        if (key.length != NaclBox.KEY_BYTES || noncePrefix.length != PREFIX_BYTES) {
            throw new IllegalArgumentException("a sequence box needs a 32-byte key and a 16-byte nonce prefix");
        }
        var subkey = NaclBox.hsalsa20(key, noncePrefix);
        var subkeyParameter = new KeyParameter(subkey);
        try {
            cipher.init(true, new ParametersWithIV(subkeyParameter, new byte[8]));
        } finally {
            Arrays.fill(subkey, (byte) 0);
            Arrays.fill(subkeyParameter.getKey(), (byte) 0);
        }
    }

    /** Bytes of the box of {@code length} plaintext bytes. */
    public static int sealedLength(int length) {
        return MAC_BYTES + length;
    }

    /**
     * Seals one {@code prefix} byte followed by {@code len} bytes of {@code m} from {@code off}
     * (CurveZMQ's MESSAGE payload: flags, then data) under the nonce ending in {@code counter}, into
     * {@code out} at {@code outOff}: tag (16), then ciphertext ({@code len + 1}).
     */
    public void seal(long counter, byte prefix, byte[] m, int off, int len, byte[] out, int outOff) {
        startStream(counter);
        out[outOff + MAC_BYTES] = cipher.returnByte(prefix);
        cipher.processBytes(m, off, len, out, outOff + MAC_BYTES + 1);
        mac.update(out, outOff + MAC_BYTES, len + 1);
        mac.doFinal(out, outOff);
    }

    /**
     * Opens the box of {@code len} bytes at {@code off} (tag, then ciphertext of one prefix byte and
     * data) sealed under the nonce ending in {@code counter}. The tag is verified (in constant time)
     * before anything is decrypted; only then the data ({@code len - 17} bytes) goes to {@code out}
     * at {@code outOff}. Returns the prefix byte (0 to 255), or -1, having written nothing, if the
     * box does not verify (tampered, wrong key or nonce) or is too short.
     */
    public int open(long counter, byte[] box, int off, int len, byte[] out, int outOff) {
        if (len < MAC_BYTES + 1) {
            return -1;
        }
        startStream(counter);
        mac.update(box, off + MAC_BYTES, len - MAC_BYTES);
        mac.doFinal(tag, 0);
        if (!org.bouncycastle.util.Arrays.constantTimeAreEqual(MAC_BYTES, tag, 0, box, off)) {
            return -1;
        }
        int prefix = cipher.returnByte(box[off + MAC_BYTES]) & 0xFF;
        cipher.processBytes(box, off + MAC_BYTES + 1, len - MAC_BYTES - 1, out, outOff);
        return prefix;
    }

    /** Erases the derived key and the MAC key; the box is unusable afterwards. */
    public void wipe() {
        wiped = true;
        cipher.wipe();
        Arrays.fill(polyKey.getKey(), (byte) 0);
        mac.init(polyKey); // overwrites Poly1305's r and s with zeros
        Arrays.fill(tag, (byte) 0);
    }

    /** Restarts the keystream at the nonce ending in {@code counter} and keys the MAC with its first 32 bytes. */
    private void startStream(long counter) {
        if (wiped) {
            throw new IllegalStateException("sequence box used after its key was wiped");
        }
        cipher.restart(counter);
        var k = polyKey.getKey();
        cipher.processBytes(ZERO_32, 0, 32, k, 0);
        mac.init(polyKey);
        Arrays.fill(k, (byte) 0);
    }

    /**
     * Bouncy Castle's Salsa20/20, restarted for another nonce without new parameter objects. The
     * nonce words are set as {@code Salsa20Engine.setKey} sets them from an 8-byte IV (little-endian
     * words of the IV bytes, here the counter's big-endian bytes), then {@code reset()} restarts
     * the block counter and keystream as {@code init} does.
     */
    private static final class Stream extends Salsa20Engine {
        void restart(long counter) {
            engineState[6] = Integer.reverseBytes((int) (counter >>> 32));
            engineState[7] = Integer.reverseBytes((int) counter);
            reset();
        }

        void wipe() {
            Arrays.fill(engineState, 0);
            Arrays.fill(x, 0);
            reset(); // regenerates the (private) keystream block from the zeroed state, erasing it
            Arrays.fill(x, 0);
        }
    }
}
