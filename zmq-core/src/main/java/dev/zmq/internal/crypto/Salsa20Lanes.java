package dev.zmq.internal.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The Salsa20/20 block function (Bernstein, "Salsa20 specification", section 8) for {@link #LANES}
 * consecutive blocks of one stream at once, written from the specification like {@link Salsa20}: for
 * {@link SequenceBox}, whose messages of a few KiB and more need dozens to thousands of blocks each.
 *
 * <p>The state is word-major: {@code x[w][j]} is word {@code w} of lane {@code j}, so a
 * quarter-round is one loop over the lanes that does the same thing to each, and C2 (JDK 17,
 * SuperWord, AVX2) turns it into SIMD code. The 80 quarter-rounds are one such loop inside a loop
 * over a table of the four word arrays each takes, so C2 vectorises it once, not 80 times; the lane
 * count is a constant, which halves that compile (11-16 ms against 19-30 with a count argument,
 * LogCompilation, 64 lanes). At C2 a block costs about 43 ns here (57-65 with 64 lanes, see
 * {@link #LANES}) against 150-165 for {@link Salsa20#block} in the same JVM. Below C2 (the
 * interpreter, C1's profiling tier) it costs about 3.5 times the scalar block, and its C2 compile is two units (the loop's OSR, then the method): worth it for a
 * connection that carries large messages, not for the 2 blocks of a small one, which measured no
 * better in a cold 200k-message run where the compile and the slow tiers fall inside the window.
 *
 * <p>The result stays in the lane arrays without the input added back: {@link #xor} adds it while
 * it XORs the keystream into a message, word by word straight from the lanes.
 *
 * <p>Constant time: additions, XORs and fixed rotations only, no branch or index on the data.
 * Memory: 16 arrays of {@link #LANES} ints (4.5 KiB) and the table, per instance.
 */
final class Salsa20Lanes {
    /**
     * Blocks per run, a constant: every loop over the lanes has a trip count C2 knows. 72, not 64:
     * JDK 17's C2 vectorises a loop of 64 to 68 turns with 128-bit vectors (4 ints) only, one of 70
     * or more with 256-bit ones (8 ints; the compiled code's xmm and ymm registers, both AVX2 here).
     * Per block, medians of nine instances at different array alignments (steady, one thread): 64
     * lanes 64.6 ns, 72 lanes 43.2, 80 41.3, 88 39.9, 96 40.1, 128 35.3. 72 is the fewest lanes past
     * that step: a 4 KiB message (64 blocks, one run) costs 3.1 us of lanes against 4.1 with 64, a
     * 64 KiB one (15 runs, 56 blocks too many) 47 us against 66; with 128 a 4 KiB message would pay
     * for 64 blocks it does not use. 32 lanes cost 87-116 ns a block (the pre- and post-loops weigh more).
     */
    static final int LANES = 72;
    /** The four words of each quarter-round (a, b, c, d), column rounds then row rounds. */
    private static final int[][] QUARTERS = {
        {0, 4, 8, 12}, {5, 9, 13, 1}, {10, 14, 2, 6}, {15, 3, 7, 11},
        {0, 1, 2, 3}, {5, 6, 7, 4}, {10, 11, 8, 9}, {15, 12, 13, 14}};

    /** {@code x[w][j]}: word {@code w} of lane {@code j}. */
    private final int[][] x = new int[16][];
    /** {@code table[4 i .. 4 i + 4)}: the word arrays of quarter-round {@code i % 8} of a double round. */
    private final int[][] table = new int[32][];
    /** Bytes of keystream a run makes. */
    static final int BYTES = 64 * LANES;
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    Salsa20Lanes() {
        for (int w = 0; w < 16; w++) {
            x[w] = new int[LANES];
        }
        for (int i = 0; i < 8; i++) {
            for (int k = 0; k < 4; k++) {
                table[4 * i + k] = x[QUARTERS[i][k]];
            }
        }
    }

    /**
     * Runs blocks {@code first .. first + LANES - 1} of the stream whose input is {@code in}
     * (constants, key, nonce; its block counter words 8 and 9 are not read): lane {@code j} is block
     * {@code first + j}, whose counter is {@code first + j} in word 8 and 0 in word 9 (a Java array
     * holds fewer than 2^26 blocks). Afterwards {@link #xor} XORs them into data.
     */
    void run(int[] in, int first) {
        int[][] x = this.x;
        for (int w = 0; w < 16; w++) {
            Arrays.fill(x[w], in[w]);
        }
        int[] x8 = x[8];
        for (int j = 0; j < LANES; j++) {
            x8[j] = first + j;
        }
        Arrays.fill(x[9], 0);
        // The 80 quarter-rounds of the 20 rounds: one loop over the lanes, so C2 vectorises it once.
        int[][] t = table;
        for (int i = 0; i < 80; i++) {
            int q = (i & 7) << 2;
            int[] a = t[q], b = t[q + 1], c = t[q + 2], d = t[q + 3];
            for (int j = 0; j < LANES; j++) {
                int s;
                int va = a[j], vb = b[j], vc = c[j], vd = d[j];
                vb ^= (s = va + vd) << 7 | s >>> 25;
                vc ^= (s = vb + va) << 9 | s >>> 23;
                vd ^= (s = vc + vb) << 13 | s >>> 19;
                va ^= (s = vd + vc) << 18 | s >>> 14;
                a[j] = va;
                b[j] = vb;
                c[j] = vc;
                d[j] = vd;
            }
        }
    }

    /**
     * XORs the keystream of the last {@link #run} (made from {@code in} and {@code first}) into
     * {@code count} bytes of data ({@code count <= BYTES}): keystream byte {@code k} (byte
     * {@code k % 64} of block {@code first + k / 64}) meets data byte {@code k}, read at
     * {@code src[srcOff + k]} and written to {@code dst[dstOff + k]}. Word by word, straight from
     * the lanes and in their order (each word {@code w} of every lane, then the next word; the
     * input added back on the way): no keystream in stream order, which a pass of stores into a
     * 4.5 KiB array per run made (~12 ns a block) for an XOR of longs after it (~4). The last one to
     * three bytes, when {@code count} is not a whole number of words, one at a time.
     */
    void xor(int[] in, int first, byte[] src, int srcOff, byte[] dst, int dstOff, int count) {
        int[][] x = this.x;
        for (int w = 0; w < 16; w++) {
            int[] xw = x[w];
            int add = inputWord(in, w, first);
            int step = w == 8 ? 1 : 0; // word 8 is the block counter: first + j
            // Lanes whose word w lies wholly within count: 64 j + 4 w + 4 <= count.
            int whole = Math.min(LANES, count >= 4 * w + 4 ? (count - 4 * w - 4) / 64 + 1 : 0);
            for (int j = 0, p = 4 * w; j < whole; j++, p += 64) {
                LE_INT.set(dst, dstOff + p, (int) LE_INT.get(src, srcOff + p) ^ (xw[j] + add));
                add += step;
            }
        }
        // The word that count cuts, if any: its first count % 4 bytes.
        int cut = count & ~3;
        if (cut < count) {
            int j = cut >>> 6;
            int w = (cut & 63) >>> 2;
            int k = x[w][j] + inputWord(in, w, first + j);
            for (int p = cut; p < count; p++, k >>>= 8) {
                dst[dstOff + p] = (byte) (src[srcOff + p] ^ k);
            }
        }
    }

    /**
     * The last eight bytes of the last {@link #run}'s keystream (words 14 and 15 of its last block,
     * made from {@code in}) as a little-endian long.
     */
    long lastLong(int[] in) {
        return (x[14][LANES - 1] + in[14] & 0xFFFFFFFFL) | (long) (x[15][LANES - 1] + in[15]) << 32;
    }

    /** Block {@code first + j} of the last {@link #run} (made from {@code in} and {@code first}) into {@code out} (for tests). */
    void take(int j, int[] in, int first, int[] out) {
        int[][] x = this.x;
        for (int w = 0; w < 16; w++) {
            out[w] = x[w][j] + inputWord(in, w, first + j);
        }
    }

    /**
     * Word {@code w} of the input of block {@code block} of the stream whose input is {@code in}:
     * {@code in}'s own words but the block counter's, {@code block} in word 8 and 0 in word 9.
     */
    private static int inputWord(int[] in, int w, int block) {
        return w == 8 ? block : w == 9 ? 0 : in[w];
    }

    /** Zeroes every lane. */
    void wipe() {
        for (int[] words : x) {
            Arrays.fill(words, 0);
        }
    }
}
