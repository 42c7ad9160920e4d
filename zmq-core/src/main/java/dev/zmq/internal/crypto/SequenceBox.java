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
 *   <li>The primitives are ours ({@link Salsa20}, and Poly1305 in {@link #crypt}; the tests check it against a one-call reference, OneTimeAuth), written from their
 *       specifications for this one use. A 64-byte CURVE message costs two Salsa20 blocks and
 *       five Poly1305 blocks, and with Bouncy Castle's engines the box was most of an I/O thread's
 *       time per message (JFR, steady 2M-message CURVE run: its Salsa20 core 45%, Poly1305 13%,
 *       its byte packing 10%). Our Salsa20 core costs what Bouncy Castle's does (about 110 ns a
 *       block here); what goes is the packing of keystream to bytes and back (the Poly1305 key is
 *       taken as words, the data XORed a word at a time) and the MAC's buffering and key
 *       parameter (one call over the ciphertext in place: 79 ns for 65 bytes against 102-106).
 *       Per 64-byte box, thread CPU, best of 7 x 300k on this 2-core machine under load:
 *       seal 418-431 ns and open 413-439 ns with Bouncy Castle's engines, 370-381 and 376-385 ns
 *       with these. Then the XOR by whole little-endian ints (330-340 ns a box, best of 9).</li>
 *   <li>A message with 2 KiB or more of data left at a block's start takes its next blocks
 *       {@link Salsa20Lanes#LANES} at a time from {@link Salsa20Lanes} (the same blocks, computed
 *       together, which C2 vectorises: ~43 ns a block against ~155). Small messages never touch it,
 *       and a box allocates its lanes (4.5 KiB) only when it first meets such a message.</li>
 *   <li>The XOR and the MAC are two loops of one method ({@link #crypt}), so that a connection's
 *       first messages, which run in C1's profiling tier, and C2, which compiles the box while the
 *       connection warms up, have one method less.</li>
 * </ul>
 * Checked against libsodium (known answers over 1,800 lengths and counters), against
 * {@link NaclBox} (Bouncy Castle's XSalsa20 and Poly1305) for random keys, nonces and lengths, and
 * over the wire against libzmq and JeroMQ.
 *
 * <p>Sealing and opening work in place (the output may be the input array at the same offset of
 * the data). {@link #open} writes only a box whose tag verified (compared in constant time);
 * {@link #crypt}, which decrypts before it compares the tag, zeroes what it wrote when the tag is wrong. Not thread-safe:
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
    /** The current block after block 0. */
    private final int[] block = new int[16];
    /**
     * Copied over {@link #block0} after each message (an intrinsic, no loop): Arrays.fill there was a
     * C2 compile of its own on both sides of a cold CURVE connection, and a loop of ours, inlined into
     * crypt by C1, an OSR compile (loops in inlined methods still count for themselves).
     */
    private static final int[] ZERO_BLOCK = new int[16];
    private boolean wiped;
    /**
     * The blocks of a large message, {@link Salsa20Lanes#LANES} at a time; made when this box first
     * meets a message with at least {@link #LANES_FROM} bytes of data left at a block's start, so a
     * connection of small messages never pays its 4 KiB.
     */
    private Salsa20Lanes lanes;
    /**
     * Data bytes still to encrypt (at the start of a block) from which the next blocks come from the
     * lanes: 32 blocks' worth (chosen with 64 lanes at ~60 ns a block, the cost of 25 scalar blocks;
     * 72 lanes at ~43 ns cost what 20 do).
     * CURVE over tcp, this JVM against libzmq 4.3.4 (libsodium), before the lanes: 1 KiB 0.63 of
     * libzmq's rate, 4 KiB 0.46, 64 KiB 0.26.
     */
    static final int LANES_FROM = 32 * 64;

    /** Eight bytes of a byte array as one little-endian long (any offset): two keystream words at once. */
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
                state[1 + i] = le32(subkey, 4 * i);
                state[11 + i] = le32(subkey, 16 + 4 * i);
            }
        } finally {
            Arrays.fill(subkey, (byte) 0);
        }
    }

    /** Four bytes of {@code b} from {@code off} as one little-endian int (the subkey's words, once per box). */
    private static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | b[off + 3] << 24;
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
        int n = len - MAC_BYTES - 1;
        Objects.checkFromIndexSize(outOff, n, out.length);
        // crypt decrypts, then compares the tag (and wipes what it wrote if the tag is wrong); here the
        // data reaches out only once it verified, and out may be the box's own ciphertext.
        var plain = new byte[n];
        int prefix = crypt(false, counter, 0, box, off + MAC_BYTES + 1, plain, 0, n, box, off);
        if (prefix >= 0) {
            System.arraycopy(plain, 0, out, outOff, n);
        }
        return prefix;
    }

    /** Erases the derived key and what is left of the last keystream; the box is unusable afterwards. */
    public void wipe() {
        wiped = true;
        Arrays.fill(state, 0);
        Arrays.fill(block0, 0);
        Arrays.fill(block, 0);
        if (lanes != null) {
            lanes.wipe();
        }
    }

    /** Blocks {@code first ..} of the current message into the lanes (made on first use), which it returns. */
    private Salsa20Lanes runLanes(int first) {
        var l = lanes;
        if (l == null) {
            lanes = l = new Salsa20Lanes();
        }
        l.run(state, first);
        return l;
    }

    /**
     * Blocks {@code n + 1 .. n + LANES} of the current message at once, their keystream XORed
     * straight from the lanes into {@code out} from {@code outOff}, {@code rest} data bytes of
     * {@code in} from {@code inOff} being left (at least {@link #LANES_FROM}): the seven bytes there
     * that meet the top of {@code prev} (a long whose last byte meets zero), then from the next byte
     * the run's keystream, word by word, to the message's end or seven bytes before the run's. Returns
     * the run's last long, which the long after the run meets through {@code prev}, as after a block
     * (unused if the run reached the message's end). One call of xor: C2 inlines each call site,
     * its loops with it.
     *
     * <p>A method of its own, not a branch of {@link #crypt}: C1 compiles every branch of a method,
     * and a connection of small messages never takes this one, while {@code crypt}'s compile at C1's
     * profiling tier is the longest in a cold CURVE receiver's C1 queue when its first messages
     * arrive (the receive path's other methods wait behind it). Its two VarHandle accesses and three
     * calls were a fifth of that compile (-Xbatch, 64 B boxes: 25.4 against 30.9 kB of code, 2.6
     * against 3.1-3.6 ms; C2's compile of crypt unchanged, 9.0 kB in 9.3-9.7 ms).
     */
    private long xorRun(int n, long prev, byte[] in, int inOff, byte[] out, int outOff, int rest) {
        var lanes = runLanes(n + 1);
        LE_LONG.set(out, outOff, (long) LE_LONG.get(in, inOff) ^ prev >>> 8);
        lanes.xor(state, n + 1, in, inOff + 7, out, outOff + 7, Math.min(rest, Salsa20Lanes.BYTES) - 7);
        return lanes.lastLong(state);
    }

    /**
     * One message either way: seals ({@code sealing}: the prefix byte and {@code len} data bytes of
     * {@code in} encrypted into the box at {@code boxOff}, data at {@code out[outOff..]}, then the
     * tag; returns the prefix) or opens (the data decrypted into {@code out}, then the box's tag
     * computed and compared in constant time; returns the prefix byte, or -1 having zeroed
     * {@code out[outOff..+len)} if the tag is wrong). The data is at {@code in[inOff..+len)}, the
     * box is tag, then prefix byte, then data: sealing, {@code out} is the box's array at
     * {@code boxOff + 17}, opening {@code in} is, and {@code out} must not overlap the box (the MAC
     * is computed over the box's ciphertext after the XOR); the caller hands out the data only when
     * this returned the prefix ({@code CurveCodec} decrypts into the frame's new array).
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
     * next: one loop with a rolling long, and the last one to seven bytes, which need only the top
     * of the long before, one at a time (no block of keystream more). (Longs, not ints: half the
     * VarHandle accesses, each a chain of calls at C1's profiling tier, where a connection's first
     * messages run. No byte loops inside the block loop: C2 unrolled each small loop into code of
     * its own; C2 compile of this method 11.6-12.4 ms with three byte or word loops inside the block
     * loop, 7.6-8.4 ms so, -Xbatch, per seal+open of 64 B the same.)
     * Blocks count up from 1, made one at a time when the data reaches them, or {@link Salsa20Lanes#LANES}
     * at a time from {@link #LANES_FROM} data bytes left: those are XORed straight from the lanes,
     * word by word in a loop of their own ({@link Salsa20Lanes#xor}, called from {@link #xorRun}; no
     * rolling long there). Taking each block out of the lanes into {@link #block} for this loop was ~15 ns a block and the loop
     * ~1.5 ns a long. A Java array holds fewer than 2^26 blocks, so the counter's high word stays 0.
     *
     * <p>Poly1305 then runs over the box's ciphertext, 16 bytes at a time, in a loop of its own
     * after the XOR's: no OneTimeAuth.mac, which was a C2 compile of its own (1,297 bytecodes) on
     * each side of a cold connection; nor Salsa20.pair (two blocks interleaved, 1,364 bytecodes)
     * for blocks 0 and 1, which C2 took as long to compile as {@link Salsa20#block} twice over. C2
     * thread CPU of a 200k seal+open loop, JDK 17 with compare.sh's flags, three runs each: 65-81
     * ms with mac and pair, 58-64 ms with both in one loop. That loop held some thirty values
     * across the Salsa20 call and C2 spent half its compile in register allocation: two loops, C2
     * thread CPU of this method alone 27-28 -> 20-21 ms (three runs each), per seal+open the same
     * or less (822-897 ns against 849-922, 2M boxes, three runs each, load 4.5).
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
        Salsa20.block(state, block0);
        int c = boxOff + MAC_BYTES;
        if (sealing) {
            box[c] = (byte) (prefix ^ block0[8]);
        } else {
            prefix = (box[c] ^ block0[8]) & 0xFF;
        }
        // The XOR. Keystream as a stream of little-endian longs L[0], L[1], ... (L[4] is block 0's
        // words 8 and 9, L[8] block 1's words 0 and 1): data long j meets keystream bytes 33 + 8j..,
        // the top seven bytes of L[4 + j] and the low byte of L[5 + j]. So one rolling long and one
        // loop; the last one to seven bytes need only the top of the long before.
        long prev = (block0[8] & 0xFFFFFFFFL) | (long) block0[9] << 32;
        int[] words = block0;
        int w = 10;
        int done = 0;
        for (int n = 0; done <= len - 8; done += 8) {
            if (w == 16) { // on to block n + 1
                if (len - done >= LANES_FROM) {
                    // Blocks n + 1 .. n + LANES at once, from the lanes (xorRun, which XORs the seven
                    // bytes here that meet the top of prev and then the run's keystream)
                    prev = xorRun(n, prev, in, inOff + done, out, outOff + done, len - done);
                    if (len - done <= Salsa20Lanes.BYTES) { // the run reached the message's end
                        done = len;
                        break;
                    }
                    n += Salsa20Lanes.LANES;
                    done += Salsa20Lanes.BYTES - 8; // and 8 more: the next long meets the run's last 7 bytes
                    continue;
                }
                state[8] = ++n;
                Salsa20.block(state, block);
                words = block;
                w = 0;
            }
            long cur = (words[w] & 0xFFFFFFFFL) | (long) words[w + 1] << 32;
            w += 2;
            LE_LONG.set(out, outOff + done, (long) LE_LONG.get(in, inOff + done) ^ (prev >>> 8 | cur << 56));
            prev = cur;
        }
        for (long k = prev >>> 8; done < len; done++, k >>>= 8) {
            out[outOff + done] = (byte) (in[inOff + done] ^ k);
        }

        // Poly1305 (RFC 8439 section 2.5) keyed by block 0's words 0..7, over the ciphertext in the
        // box (prefix byte, then data: where sealing wrote it, or opening read it), after the XOR.
        // Radix 2^32: h = h0 + h1 2^32 + h2 2^64 + h3 2^96 + h4 2^128, r = r0 + r1 2^32 + r2 2^64 + r3 2^96.
        // Clamped, every r_j is below 2^28 and r1..r3 are multiples of 4, so r_j 2^128 = (r_j / 4) 2^130
        // = s_j (mod p = 2^130 - 5) with s_j = r_j + r_j / 4 < 1.25 2^28: a product that reaches 2^128
        // comes back at 2^0 times s_j instead of r_j. Between blocks h0, h2, h3 < 2^32, h1 <= 2^32 + 1,
        // h4 <= 3; with a block added each a_i < 2^33 + 2 (a4 <= 4), each product below 1.25 2^61, and a
        // column's four products plus a4's and the carry in below 2^64, so unsigned in a long. 20 plain
        // 64-bit multiplications a block and no carry tests: 10-14 ns a block against 14-17 for the
        // radix-2^64 form this replaced (four Math.multiplyHigh a block, signed, which made every
        // unsigned carry a bit expression); 65 bytes 70 against 83 ns under C2, 73 against 162 ns
        // under C1 and 220-313 against 376-1,120 at C1's profiling tier, where multiplyHigh is a call
        // (standalone micro loop, medians of rounds). Constant time: no branch or index on the key, the
        // data or the accumulator.
        long r0 = block0[0] & 0x0FFFFFFFL, r1 = block0[1] & 0x0FFFFFFCL, r2 = block0[2] & 0x0FFFFFFCL, r3 = block0[3] & 0x0FFFFFFCL;
        long s1 = r1 + (r1 >>> 2), s2 = r2 + (r2 >>> 2), s3 = r3 + (r3 >>> 2);
        long h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0;
        int end = c + len + 1;
        for (int p = c; ; p += 16) {
            int rest = end - p; // 1 or more
            // A whole block at p, or the last 1 to 15 bytes: the 16 bytes up to the end (the tag is
            // before them) shifted down, then a 1 byte and zeros (no byte loop, one pair of reads).
            int q = rest >= 16 ? p : end - 16;
            long lo = (long) LE_LONG.get(box, q);
            long hi = (long) LE_LONG.get(box, q + 8);
            long top = 1; // the bit above a whole block's bytes (2^128), in a4
            if (rest < 16) {
                int drop = 8 * (16 - rest); // 8..120 bits
                if (drop < 64) {
                    lo = (lo >>> drop) | (hi << (64 - drop));
                    hi >>>= drop;
                } else {
                    lo = hi >>> (drop - 64);
                    hi = 0;
                }
                // A long shift counts mod 64: bit 8 rest of lo, or 8 (rest - 8) of hi.
                if (rest < 8) {
                    lo |= 1L << (8 * rest);
                } else {
                    hi |= 1L << (8 * rest);
                }
                top = 0;
            }
            long a0 = h0 + (lo & 0xFFFFFFFFL), a1 = h1 + (lo >>> 32), a2 = h2 + (hi & 0xFFFFFFFFL), a3 = h3 + (hi >>> 32);
            long a4 = h4 + top;
            long d0 = a0 * r0 + a1 * s3 + a2 * s2 + a3 * s1;
            long d1 = a0 * r1 + a1 * r0 + a2 * s3 + a3 * s2 + a4 * s1;
            long d2 = a0 * r2 + a1 * r1 + a2 * r0 + a3 * s3 + a4 * s2;
            long d3 = a0 * r3 + a1 * r2 + a2 * r1 + a3 * r0 + a4 * s3;
            // Carried up (unsigned shifts); d4 = a4 r0 + d3's carry < 2^32, its bits from 2^130 come back times 5.
            d1 += d0 >>> 32;
            d2 += d1 >>> 32;
            d3 += d2 >>> 32;
            long d4 = a4 * r0 + (d3 >>> 32);
            h0 = (d0 & 0xFFFFFFFFL) + (d4 >>> 2) * 5; // < 2.25 2^32
            h1 = (d1 & 0xFFFFFFFFL) + (h0 >>> 32);
            h0 &= 0xFFFFFFFFL;
            h2 = d2 & 0xFFFFFFFFL;
            h3 = d3 & 0xFFFFFFFFL;
            h4 = d4 & 3;
            if (rest <= 16) {
                break;
            }
        }

        // Carried through (h4 <= 4 then): h < 5 2^128 < 2p, so h mod p is h, or h - p = h + 5 - 2^130
        // if that is not negative (chosen by mask, not by branch: g2 >>> 2 is 1 then, else 0); the tag
        // is (h mod p + s) mod 2^128, s being block 0's words 4..7.
        h2 += h1 >>> 32;
        h3 += h2 >>> 32;
        h4 += h3 >>> 32;
        long hLo = h0 | h1 << 32; // h1's bits above 32 went up with h2, and are shifted out here
        long hHi = (h2 & 0xFFFFFFFFL) | h3 << 32;
        long g0 = hLo + 5;
        long g1 = hHi + ((hLo & ~g0) >>> 63);
        long g2 = h4 + ((hHi & ~g1) >>> 63);
        long takeG = -(g2 >>> 2);
        hLo = (hLo & ~takeG) | (g0 & takeG);
        hHi = (hHi & ~takeG) | (g1 & takeG);
        long sLo = (block0[4] & 0xFFFFFFFFL) | (long) block0[5] << 32;
        long sHi = (block0[6] & 0xFFFFFFFFL) | (long) block0[7] << 32;
        long tagLo = hLo + sLo;
        long tagHi = hHi + sHi + (((hLo & sLo) | ((hLo | sLo) & ~tagLo)) >>> 63);
        System.arraycopy(ZERO_BLOCK, 0, block0, 0, 16);
        if (sealing) {
            LE_LONG.set(box, boxOff, tagLo);
            LE_LONG.set(box, boxOff + 8, tagHi);
            return prefix;
        }
        // Both halves' differences folded, no early exit.
        if (((tagLo ^ (long) LE_LONG.get(box, boxOff)) | (tagHi ^ (long) LE_LONG.get(box, boxOff + 8))) != 0) {
            Arrays.fill(out, outOff, outOff + len, (byte) 0); // what was decrypted goes nowhere
            return -1;
        }
        return prefix;
    }
}
