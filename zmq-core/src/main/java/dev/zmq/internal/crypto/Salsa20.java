package dev.zmq.internal.crypto;

/**
 * The Salsa20/20 block function (Bernstein, "Salsa20 specification", section 8): 16 words of input
 * (constants, key, nonce, block counter) to 16 words of keystream, ten double rounds and the input
 * added back. Written from the specification for {@link SequenceBox}, which needs two blocks per
 * 64-byte CURVE message (made together by {@link #pair}) and takes them as words (no packing to
 * bytes; why, with figures, in SequenceBox). One block alone costs what Bouncy Castle's
 * {@code salsaCore} does.
 *
 * <p>A double round is a column round then a row round, and the row round is the column round of
 * the transposed 4x4 state. So the loop body is one column round and a transpose (six swaps, which
 * C2 resolves into register moves), twenty times, instead of a double round ten times: half the
 * code for C2 to compile while a connection warms up. C2 compile of {@link #pair} alone (JFR,
 * -Xbatch): 14-15 ms with double rounds, 10.6-11 ms so, most of it register allocation; thread CPU
 * per pair 177-179 ns either way.
 *
 * <p>Constant time: additions, XORs and fixed rotations only, no branch or index on the data.
 *
 * <p>The rotations are written as shifts ({@code (t = a + b) << 7 | t >>> 25}), not
 * {@code Integer.rotateLeft}: C2 makes the same rotate instruction of both, but the interpreter and
 * C1's profiling tier, which run a connection's first tens of thousands of messages, pay a call (and a
 * profile counter) for each of a block's 320 rotateLeft calls. Thread CPU for {@link #pair} at C1
 * tier 3: 1,786 ns with rotateLeft, 340 ns with shifts; at C2 194-199 ns either way.
 */
final class Salsa20 {
    /** Words 0, 5, 10 and 15 of the state: "expand 32-byte k" as little-endian words. */
    static final int SIGMA0 = 0x61707865;
    static final int SIGMA1 = 0x3320646e;
    static final int SIGMA2 = 0x79622d32;
    static final int SIGMA3 = 0x6b206574;

    private Salsa20() {
    }

    /** {@code out[0..16) = Salsa20(in[0..16))}, where {@code in} is a whole state (constants, key, nonce, counter). */
    static void block(int[] in, int[] out) {
        int x0 = in[0], x1 = in[1], x2 = in[2], x3 = in[3];
        int x4 = in[4], x5 = in[5], x6 = in[6], x7 = in[7];
        int x8 = in[8], x9 = in[9], x10 = in[10], x11 = in[11];
        int x12 = in[12], x13 = in[13], x14 = in[14], x15 = in[15];
        int t;
        for (int i = 0; i < 20; i++) {
            // Column round: quarter-rounds on (0,4,8,12), (5,9,13,1), (10,14,2,6), (15,3,7,11).
            x4 ^= (t = x0 + x12) << 7 | t >>> 25;
            x9 ^= (t = x5 + x1) << 7 | t >>> 25;
            x14 ^= (t = x10 + x6) << 7 | t >>> 25;
            x3 ^= (t = x15 + x11) << 7 | t >>> 25;
            x8 ^= (t = x4 + x0) << 9 | t >>> 23;
            x13 ^= (t = x9 + x5) << 9 | t >>> 23;
            x2 ^= (t = x14 + x10) << 9 | t >>> 23;
            x7 ^= (t = x3 + x15) << 9 | t >>> 23;
            x12 ^= (t = x8 + x4) << 13 | t >>> 19;
            x1 ^= (t = x13 + x9) << 13 | t >>> 19;
            x6 ^= (t = x2 + x14) << 13 | t >>> 19;
            x11 ^= (t = x7 + x3) << 13 | t >>> 19;
            x0 ^= (t = x12 + x8) << 18 | t >>> 14;
            x5 ^= (t = x1 + x13) << 18 | t >>> 14;
            x10 ^= (t = x6 + x2) << 18 | t >>> 14;
            x15 ^= (t = x11 + x7) << 18 | t >>> 14;
            // Then the state transposed, so that the next column round is the row round.
            t = x1; x1 = x4; x4 = t;
            t = x2; x2 = x8; x8 = t;
            t = x3; x3 = x12; x12 = t;
            t = x6; x6 = x9; x9 = t;
            t = x7; x7 = x13; x13 = t;
            t = x11; x11 = x14; x14 = t;
        }
        out[0] = x0 + in[0];
        out[1] = x1 + in[1];
        out[2] = x2 + in[2];
        out[3] = x3 + in[3];
        out[4] = x4 + in[4];
        out[5] = x5 + in[5];
        out[6] = x6 + in[6];
        out[7] = x7 + in[7];
        out[8] = x8 + in[8];
        out[9] = x9 + in[9];
        out[10] = x10 + in[10];
        out[11] = x11 + in[11];
        out[12] = x12 + in[12];
        out[13] = x13 + in[13];
        out[14] = x14 + in[14];
        out[15] = x15 + in[15];
    }

    /**
     * {@code out = Salsa20(in)} and {@code next = Salsa20(in with the 64-bit block counter, words 8
     * and 9, plus one)}: two consecutive blocks of one stream. The two are computed side by side, so
     * each step of one block runs while the other's waits on its add, rotate and XOR (about 94 ns
     * a block here against 98-105 for {@link #block} alone, thread CPU, best of 9 x 1M).
     */
    static void pair(int[] in, int[] out, int[] next) {
        int x0 = in[0], y0 = x0;
        int x1 = in[1], y1 = x1;
        int x2 = in[2], y2 = x2;
        int x3 = in[3], y3 = x3;
        int x4 = in[4], y4 = x4;
        int x5 = in[5], y5 = x5;
        int x6 = in[6], y6 = x6;
        int x7 = in[7], y7 = x7;
        int x8 = in[8];
        int x9 = in[9];
        int x10 = in[10], y10 = x10;
        int x11 = in[11], y11 = x11;
        int x12 = in[12], y12 = x12;
        int x13 = in[13], y13 = x13;
        int x14 = in[14], y14 = x14;
        int x15 = in[15], y15 = x15;
        // The counter's low word, then its high word with the carry (the counter is public).
        int c8 = in[8] + 1;
        int c9 = c8 == 0 ? in[9] + 1 : in[9];
        int y8 = c8;
        int y9 = c9;
        int t;
        for (int i = 0; i < 20; i++) {
            // Column round: quarter-rounds on (0,4,8,12), (5,9,13,1), (10,14,2,6), (15,3,7,11), both blocks interleaved.
            x4 ^= (t = x0 + x12) << 7 | t >>> 25;
            y4 ^= (t = y0 + y12) << 7 | t >>> 25;
            x9 ^= (t = x5 + x1) << 7 | t >>> 25;
            y9 ^= (t = y5 + y1) << 7 | t >>> 25;
            x14 ^= (t = x10 + x6) << 7 | t >>> 25;
            y14 ^= (t = y10 + y6) << 7 | t >>> 25;
            x3 ^= (t = x15 + x11) << 7 | t >>> 25;
            y3 ^= (t = y15 + y11) << 7 | t >>> 25;
            x8 ^= (t = x4 + x0) << 9 | t >>> 23;
            y8 ^= (t = y4 + y0) << 9 | t >>> 23;
            x13 ^= (t = x9 + x5) << 9 | t >>> 23;
            y13 ^= (t = y9 + y5) << 9 | t >>> 23;
            x2 ^= (t = x14 + x10) << 9 | t >>> 23;
            y2 ^= (t = y14 + y10) << 9 | t >>> 23;
            x7 ^= (t = x3 + x15) << 9 | t >>> 23;
            y7 ^= (t = y3 + y15) << 9 | t >>> 23;
            x12 ^= (t = x8 + x4) << 13 | t >>> 19;
            y12 ^= (t = y8 + y4) << 13 | t >>> 19;
            x1 ^= (t = x13 + x9) << 13 | t >>> 19;
            y1 ^= (t = y13 + y9) << 13 | t >>> 19;
            x6 ^= (t = x2 + x14) << 13 | t >>> 19;
            y6 ^= (t = y2 + y14) << 13 | t >>> 19;
            x11 ^= (t = x7 + x3) << 13 | t >>> 19;
            y11 ^= (t = y7 + y3) << 13 | t >>> 19;
            x0 ^= (t = x12 + x8) << 18 | t >>> 14;
            y0 ^= (t = y12 + y8) << 18 | t >>> 14;
            x5 ^= (t = x1 + x13) << 18 | t >>> 14;
            y5 ^= (t = y1 + y13) << 18 | t >>> 14;
            x10 ^= (t = x6 + x2) << 18 | t >>> 14;
            y10 ^= (t = y6 + y2) << 18 | t >>> 14;
            x15 ^= (t = x11 + x7) << 18 | t >>> 14;
            y15 ^= (t = y11 + y7) << 18 | t >>> 14;
            // Then both blocks' state transposed, so that the next column round is the row round.
            t = x1; x1 = x4; x4 = t; t = y1; y1 = y4; y4 = t;
            t = x2; x2 = x8; x8 = t; t = y2; y2 = y8; y8 = t;
            t = x3; x3 = x12; x12 = t; t = y3; y3 = y12; y12 = t;
            t = x6; x6 = x9; x9 = t; t = y6; y6 = y9; y9 = t;
            t = x7; x7 = x13; x13 = t; t = y7; y7 = y13; y13 = t;
            t = x11; x11 = x14; x14 = t; t = y11; y11 = y14; y14 = t;
        }
        out[0] = x0 + in[0];
        out[1] = x1 + in[1];
        out[2] = x2 + in[2];
        out[3] = x3 + in[3];
        out[4] = x4 + in[4];
        out[5] = x5 + in[5];
        out[6] = x6 + in[6];
        out[7] = x7 + in[7];
        out[8] = x8 + in[8];
        out[9] = x9 + in[9];
        out[10] = x10 + in[10];
        out[11] = x11 + in[11];
        out[12] = x12 + in[12];
        out[13] = x13 + in[13];
        out[14] = x14 + in[14];
        out[15] = x15 + in[15];
        next[0] = y0 + in[0];
        next[1] = y1 + in[1];
        next[2] = y2 + in[2];
        next[3] = y3 + in[3];
        next[4] = y4 + in[4];
        next[5] = y5 + in[5];
        next[6] = y6 + in[6];
        next[7] = y7 + in[7];
        next[8] = y8 + c8;
        next[9] = y9 + c9;
        next[10] = y10 + in[10];
        next[11] = y11 + in[11];
        next[12] = y12 + in[12];
        next[13] = y13 + in[13];
        next[14] = y14 + in[14];
        next[15] = y15 + in[15];
    }
}
