package dev.zmq.internal.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code crypto_box_afternm} for one direction of a connection whose nonces all share their first
 * 16 bytes and end in an 8-byte big-endian counter (CurveZMQ's MESSAGE commands: "CurveZMQMESSAGEC"
 * or "...S", then the short nonce). The same boxes as {@link NaclBox}, byte for byte, at a fraction
 * of the cost per message:
 * <ul>
 *   <li>XSalsa20(k, n) is Salsa20 keyed with HSalsa20(k, n[0..16]) and run with n[16..24] (the
 *       XSalsa20 paper, section 2). With a fixed prefix that subkey is the same for every message,
 *       so it is derived once here (by {@link NaclBox#hsalsa20}) instead of once per message.</li>
 *   <li>Per message only the two nonce words and the block counter of the Salsa20 state change;
 *       block 0's first 32 bytes are the Poly1305 key, its other 32 and the blocks after it are
 *       XORed into the data straight from the block's words.</li>
 *   <li>The primitives are ours ({@link Salsa20}, {@link OneTimeAuth}), written from their
 *       specifications for this one use. A 64-byte CURVE message costs two Salsa20 blocks and
 *       five Poly1305 blocks, and with Bouncy Castle's engines the box was most of an I/O thread's
 *       time per message (JFR, steady 2M-message CURVE run: its Salsa20 core 45%, Poly1305 13%,
 *       its byte packing 10%). Our Salsa20 core costs what Bouncy Castle's does (about 110 ns a
 *       block here); what goes is the packing of keystream to bytes and back (the Poly1305 key is
 *       taken as words, the data XORed a word at a time) and the MAC's buffering and key
 *       parameter (one call over the ciphertext in place: 79 ns for 65 bytes against 102-106).
 *       Per 64-byte box, thread CPU, best of 7 x 300k on this 2-core machine under load:
 *       seal 418-431 ns and open 413-439 ns with Bouncy Castle's engines, 370-381 and 376-385 ns
 *       with these. Then the XOR by whole little-endian ints (330-340 ns a box, best of 9) and
 *       blocks 0 and 1 made side by side ({@link Salsa20#pair}: 287-305 ns).</li>
 * </ul>
 * Checked against libsodium (known answers over 1,800 lengths and counters), against
 * {@link NaclBox} (Bouncy Castle's XSalsa20 and Poly1305) for random keys, nonces and lengths, and
 * over the wire against libzmq and JeroMQ.
 *
 * <p>Sealing and opening work in place (the output may be the input array at the same offset of
 * the data). The tag is verified (in constant time) before anything is decrypted. Not thread-safe:
 * one instance per direction of a connection, used on its I/O thread. {@link #wipe()} erases the
 * derived key; a wiped box refuses to work rather than use a zero key.
 */
public final class SequenceBox {
    public static final int MAC_BYTES = NaclBox.MAC_BYTES;
    /** Bytes of the nonce prefix shared by every message. */
    public static final int PREFIX_BYTES = 16;

    /** The Salsa20 input: constants, the subkey, the nonce's last 8 bytes (words 6, 7), the block counter (8, 9). */
    private final int[] state = new int[16];
    /** Block 0 of the current message: the Poly1305 key (words 0..7), then keystream. Zeroed after each message. */
    private final int[] block0 = new int[16];
    /** Blocks after block 0, made two at a time: the even one (block 1 with block 0), then the odd one. */
    private final int[] block = new int[16];
    private final int[] next = new int[16];
    /**
     * Copied over {@link #block0} after each message (an intrinsic, no loop): Arrays.fill there was a
     * C2 compile of its own on both sides of a cold CURVE connection, and a loop of ours, inlined into
     * crypt by C1, an OSR compile (loops in inlined methods still count for themselves).
     */
    private static final int[] ZERO_BLOCK = new int[16];
    private boolean wiped;

    /** Four bytes of a byte array as one little-endian int (any offset). */
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Eight bytes of a byte array as one little-endian long (any offset): two keystream words at once. */
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * @param key the precomputed key (crypto_box_beforenm), 32 bytes; not kept
     * @param noncePrefix the first 16 bytes of every nonce
     */
    public SequenceBox(byte[] key, byte[] noncePrefix) {
        if (key.length != NaclBox.KEY_BYTES || noncePrefix.length != PREFIX_BYTES) {
            throw new IllegalArgumentException("a sequence box needs a 32-byte key and a 16-byte nonce prefix");
        }
        var subkey = NaclBox.hsalsa20(key, noncePrefix);
        try {
            state[0] = Salsa20.SIGMA0;
            state[5] = Salsa20.SIGMA1;
            state[10] = Salsa20.SIGMA2;
            state[15] = Salsa20.SIGMA3;
            for (int i = 0; i < 4; i++) {
                state[1 + i] = OneTimeAuth.le32(subkey, 4 * i);
                state[11 + i] = OneTimeAuth.le32(subkey, 16 + 4 * i);
            }
        } finally {
            Arrays.fill(subkey, (byte) 0);
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
        Objects.checkFromIndexSize(off, len, m.length);
        Objects.checkFromIndexSize(outOff, MAC_BYTES + 1 + len, out.length);
        crypt(true, counter, prefix, m, off, out, outOff + MAC_BYTES + 1, len, out, outOff);
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
        Objects.checkFromIndexSize(off, len, box.length);
        Objects.checkFromIndexSize(outOff, len - MAC_BYTES - 1, out.length);
        return crypt(false, counter, 0, box, off + MAC_BYTES + 1, out, outOff, len - MAC_BYTES - 1, box, off);
    }

    /** Erases the derived key and what is left of the last keystream; the box is unusable afterwards. */
    public void wipe() {
        wiped = true;
        Arrays.fill(state, 0);
        Arrays.fill(block0, 0);
        Arrays.fill(block, 0);
        Arrays.fill(next, 0);
    }

    /**
     * One message either way: seals ({@code sealing}: the prefix byte and {@code len} data bytes of
     * {@code in} encrypted into the box at {@code boxOff}, data at {@code out[outOff..]}, then the
     * tag) or opens (the tag of the box at {@code boxOff} verified, then the data decrypted into
     * {@code out}; returns the prefix byte, or -1 having written nothing). The data is at
     * {@code in[inOff..+len)}, the box is tag, then prefix byte, then data.
     *
     * <p>Both directions, the keystream and the XOR are this one method, larger than C2 inlines
     * into a hot caller (FreqInlineSize, 325 bytecodes), on purpose: C2 compiles it once while a
     * connection warms up. Split into small methods (crypt, xorWords, keystream and startStream
     * under seal and open), each was compiled alone when its loop got hot and again inside
     * every caller compiled after it: SequenceBox.open, CurveCodec.decode,
     * MessageFrames.onSealedFrame and FrameDecoder.smallFrame each inlined about 600 bytecodes of box
     * (LogCompilation of a cold 200k CURVE run).
     *
     * <p>Data byte {@code d} meets keystream byte {@code 33 + d} (bytes 0..31 of block 0 are the
     * Poly1305 key, byte 32 goes to the prefix byte), so each eight data bytes, read and written as
     * one little-endian long, meet the top seven bytes of one keystream long and the low byte of the
     * next: one loop with a rolling long, and the last one to seven bytes as an int, a short and a
     * byte. (Longs, not ints: half the VarHandle accesses, each a chain of calls at C1's profiling
     * tier, where a connection's first messages run. One loop with no byte loops: C2 unrolled each
     * small loop into code of its own; C2 compile of this method 11.6-12.4 ms with three byte or word
     * loops inside the block loop, 7.6-8.4 ms so, -Xbatch, per seal+open of 64 B the same.)
     * Block 1 comes with block 0 when the data reaches it; then blocks 2 and 3 are made together,
     * 4 and 5, and so on (the last of a pair may go unused). Blocks count up from 1; a Java array
     * holds fewer than 2^26 of them, so the counter's high word stays 0.
     *
     * <p>Public for {@code CurveCodec}, which calls it once per message with offsets it has checked
     * against its arrays ({@link #seal} and {@link #open} check theirs, then call it). Through seal
     * and open, each was one more C2 compile per connection, inlined again into the codec and its
     * callers. Arguments out of range throw from the array accesses, possibly after part of
     * {@code out} or {@code box} was written.
     */
    public int crypt(boolean sealing, long counter, int prefix, byte[] in, int inOff, byte[] out, int outOff, int len,
            byte[] box, int boxOff) {
        if (wiped) {
            throw new IllegalStateException("sequence box used after its key was wiped");
        }
        // The nonce's bytes 16..24 are the counter big-endian; Salsa20 reads them as little-endian words.
        state[6] = Integer.reverseBytes((int) (counter >>> 32));
        state[7] = Integer.reverseBytes((int) counter);
        state[8] = 0;
        state[9] = 0;
        if (len > 24) { // the data's fourth long reaches block 1 (see below)
            Salsa20.pair(state, block0, block);
        } else {
            Salsa20.block(state, block0);
        }
        int c = boxOff + MAC_BYTES;
        if (sealing) {
            box[c] = (byte) (prefix ^ block0[8]);
        } else {
            if (!OneTimeAuth.mac(block0, 0, box, c, len + 1, box, boxOff, true)) {
                System.arraycopy(ZERO_BLOCK, 0, block0, 0, 16);
                return -1;
            }
            prefix = (box[c] ^ block0[8]) & 0xFF;
        }
        // Keystream as a stream of little-endian longs L[0], L[1], ... (L[4] is block 0's words 8
        // and 9, L[8] block 1's words 0 and 1): data long j meets keystream bytes 33 + 8j.., the
        // top seven bytes of L[4 + j] and the low byte of L[5 + j]. So one rolling long and one
        // loop, with no byte loop at the start.
        long prev = (block0[8] & 0xFFFFFFFFL) | (long) block0[9] << 32;
        int[] words = block0;
        int w = 10;
        int done = 0;
        for (int n = 0; done < len; ) {
            if (w == 16) { // on to block n + 1
                n++;
                if (n == 1) {
                    words = block; // made with block 0
                } else if ((n & 1) == 0) {
                    state[8] = n;
                    Salsa20.pair(state, block, next);
                    words = block;
                } else {
                    words = next;
                }
                w = 0;
            }
            long cur = (words[w] & 0xFFFFFFFFL) | (long) words[w + 1] << 32;
            w += 2;
            long k = prev >>> 8 | cur << 56;
            prev = cur;
            int left = len - done;
            if (left >= 8) {
                LE_LONG.set(out, outOff + done, (long) LE_LONG.get(in, inOff + done) ^ k);
                done += 8;
            } else {
                // The last one to seven bytes, without a loop: four, two, one.
                int o = outOff + done;
                int i = inOff + done;
                if ((left & 4) != 0) {
                    LE_INT.set(out, o, (int) LE_INT.get(in, i) ^ (int) k);
                    k >>>= 32;
                    o += 4;
                    i += 4;
                }
                if ((left & 2) != 0) {
                    LE_SHORT.set(out, o, (short) ((short) LE_SHORT.get(in, i) ^ (short) k));
                    k >>>= 16;
                    o += 2;
                    i += 2;
                }
                if ((left & 1) != 0) {
                    out[o] = (byte) (in[i] ^ k);
                }
                done = len;
            }
        }
        if (sealing) {
            OneTimeAuth.mac(block0, 0, box, c, len + 1, box, boxOff, false);
        }
        System.arraycopy(ZERO_BLOCK, 0, block0, 0, 16);
        return prefix;
    }
}
