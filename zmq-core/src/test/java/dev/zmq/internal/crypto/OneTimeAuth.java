package dev.zmq.internal.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Poly1305, NaCl's crypto_onetimeauth (Bernstein, "The Poly1305-AES message-authentication code"; RFC 8439 section 2.5) in one
 * call over a message that is all in one array, for {@link SequenceBox}: the one-time key comes as
 * the eight little-endian words the Salsa20 block produced (no byte round trip), the message is
 * read in place (no buffering of partial blocks: only the last block can be short), the tag is
 * written straight to its place.
 *
 * <p>Test code: the reference the runtime's MAC is checked against. {@link SequenceBox#crypt}
 * computes the same inside its XOR loop (one pass, one method fewer for the JIT); this one-call
 * form, checked on RFC 8439's vectors (OneTimeAuthTest), is what that fused MAC is tested against
 * (SequenceBoxTest).
 *
 * <p>Arithmetic modulo 2^130 - 5 on five 26-bit limbs held in longs: limb products stay below
 * 2^56, a sum of five below 2^59. Constant time: no branch or index on the key, the message or the
 * accumulator; only the message length decides the loop, and the final reduction selects with a
 * mask.
 */
final class OneTimeAuth {
    static final int TAG_BYTES = 16;
    private static final long M26 = 0x3ffffff;
    /** Eight bytes of a byte array as one little-endian long (any offset). */
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private OneTimeAuth() {
    }

    /**
     * The tag of {@code m[off..off+len)} under the one-time key {@code key[keyOff..keyOff+8)} (words
     * r0..r3 then s0..s3, little-endian as in the key's bytes): written to {@code tag[tagOff..+16)},
     * returning true; or, when {@code verify}, compared (in constant time) with the tag already there,
     * returning whether they are equal and writing nothing.
     *
     * <p>One method both ways, the comparison on the two tag longs still in registers: a separate
     * compare of two byte arrays was one more compile on the receiving side of a connection, and its
     * four array reads a quarter of what C2 inlined into the box around it.
     */
    static boolean mac(int[] key, int keyOff, byte[] m, int off, int len, byte[] tag, int tagOff, boolean verify) {
        java.util.Objects.checkFromIndexSize(off, len, m.length);
        java.util.Objects.checkFromIndexSize(tagOff, TAG_BYTES, tag.length);
        int t0 = key[keyOff], t1 = key[keyOff + 1], t2 = key[keyOff + 2], t3 = key[keyOff + 3];
        // r, clamped (RFC 8439: r &= 0x0ffffffc0ffffffc0ffffffc0fffffff), cut into 26-bit limbs.
        long r0 = t0 & 0x3ffffff;
        long r1 = ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03;
        long r2 = ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ff;
        long r3 = ((t2 >>> 14) | (t3 << 18)) & 0x3f03fff;
        long r4 = (t3 >>> 8) & 0x00fffff;
        // 2^130 = 5 (mod p): a limb product that passes 2^130 comes back times 5.
        long s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
        long h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0;

        int end = off + len;
        int p = off;
        while (p < end) {
            long lo, hi; // the block's bytes as two little-endian longs
            long top; // the bit above the block's bytes (2^128 for a whole block), in limb 4
            if (end - p >= 16) {
                lo = (long) LE_LONG.get(m, p);
                hi = (long) LE_LONG.get(m, p + 8);
                top = 1L << 24;
                p += 16;
            } else {
                // The short last block (the length is public): its n bytes, then a 1 byte, then zeros.
                int n = end - p;
                if (end >= 16) {
                    // Read as the array's last 16 bytes up to end, shifted down past the 16 - n before
                    // the block: no loop (C2 unrolled the byte loop into much of this method's code).
                    long a = (long) LE_LONG.get(m, end - 16);
                    long b = (long) LE_LONG.get(m, end - 8);
                    int drop = 8 * (16 - n); // 8..120 bits
                    if (drop < 64) {
                        lo = (a >>> drop) | (b << (64 - drop));
                        hi = b >>> drop;
                    } else {
                        lo = b >>> (drop - 64);
                        hi = 0;
                    }
                } else {
                    lo = shortLe(m, p, Math.min(n, 8));
                    hi = n > 8 ? shortLe(m, p + 8, n - 8) : 0;
                }
                // A long shift counts mod 64: bit 8n of lo, or 8(n - 8) of hi.
                if (n < 8) {
                    lo |= 1L << (8 * n);
                } else {
                    hi |= 1L << (8 * n);
                }
                top = 0;
                p = end;
            }
            h0 += lo & M26;
            h1 += (lo >>> 26) & M26;
            h2 += ((lo >>> 52) | (hi << 12)) & M26;
            h3 += (hi >>> 14) & M26;
            h4 += (hi >>> 40) | top;

            // h = h * r (mod 2^130 - 5), partly reduced.
            long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
            long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
            long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
            long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
            long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
            d1 += d0 >>> 26;
            h0 = d0 & M26;
            d2 += d1 >>> 26;
            h1 = d1 & M26;
            d3 += d2 >>> 26;
            h2 = d2 & M26;
            d4 += d3 >>> 26;
            h3 = d3 & M26;
            h4 = d4 & M26;
            h0 += (d4 >>> 26) * 5;
            h1 += h0 >>> 26;
            h0 &= M26;
        }

        // Fully carried, then h - p if h >= p (chosen by mask, not by branch).
        long c;
        c = h1 >>> 26; h1 &= M26; h2 += c;
        c = h2 >>> 26; h2 &= M26; h3 += c;
        c = h3 >>> 26; h3 &= M26; h4 += c;
        c = h4 >>> 26; h4 &= M26; h0 += c * 5;
        c = h0 >>> 26; h0 &= M26; h1 += c;

        long g0 = h0 + 5;
        c = g0 >>> 26; g0 &= M26;
        long g1 = h1 + c;
        c = g1 >>> 26; g1 &= M26;
        long g2 = h2 + c;
        c = g2 >>> 26; g2 &= M26;
        long g3 = h3 + c;
        c = g3 >>> 26; g3 &= M26;
        long g4 = h4 + c - (1L << 26);
        long keepH = g4 >> 63; // all ones if h + 5 < 2^130, i.e. h < p: keep h
        long takeG = ~keepH;
        h0 = (h0 & keepH) | (g0 & takeG);
        h1 = (h1 & keepH) | (g1 & takeG);
        h2 = (h2 & keepH) | (g2 & takeG);
        h3 = (h3 & keepH) | (g3 & takeG);
        h4 = (h4 & keepH) | (g4 & M26 & takeG);

        // (h + s) mod 2^128, as four little-endian words.
        long w0 = (h0 | (h1 << 26)) & 0xFFFFFFFFL;
        long w1 = ((h1 >>> 6) | (h2 << 20)) & 0xFFFFFFFFL;
        long w2 = ((h2 >>> 12) | (h3 << 14)) & 0xFFFFFFFFL;
        long w3 = ((h3 >>> 18) | (h4 << 8)) & 0xFFFFFFFFL;
        long f0 = w0 + (key[keyOff + 4] & 0xFFFFFFFFL);
        long f1 = w1 + (key[keyOff + 5] & 0xFFFFFFFFL) + (f0 >>> 32);
        long f2 = w2 + (key[keyOff + 6] & 0xFFFFFFFFL) + (f1 >>> 32);
        long f3 = w3 + (key[keyOff + 7] & 0xFFFFFFFFL) + (f2 >>> 32);
        long lo = (f0 & 0xFFFFFFFFL) | f1 << 32;
        long hi = (f2 & 0xFFFFFFFFL) | f3 << 32;
        if (verify) {
            // Both halves' differences folded, no early exit.
            return ((lo ^ (long) LE_LONG.get(tag, tagOff)) | (hi ^ (long) LE_LONG.get(tag, tagOff + 8))) == 0;
        }
        LE_LONG.set(tag, tagOff, lo);
        LE_LONG.set(tag, tagOff + 8, hi);
        return true;
    }

    /** {@code count} (at most 8) bytes of {@code m} from {@code off} as a little-endian long: the last block of a message shorter than one. */
    private static long shortLe(byte[] m, int off, int count) {
        long v = 0;
        for (int i = 0; i < count; i++) {
            v |= (m[off + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | b[off + 3] << 24;
    }
}
