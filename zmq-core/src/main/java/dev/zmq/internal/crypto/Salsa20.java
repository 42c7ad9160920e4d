package dev.zmq.internal.crypto;

/**
 * The Salsa20/20 block function (Bernstein, "Salsa20 specification", section 8): 16 words of input
 * (constants, key, nonce, block counter) to 16 words of keystream, ten double rounds and the input
 * added back. Written from the specification for {@link SequenceBox}, which needs two blocks per
 * 64-byte CURVE message (made together by {@link #pair}) and takes them as words (no packing to
 * bytes; why, with figures, in SequenceBox). One block alone costs what Bouncy Castle's
 * {@code salsaCore} does.
 *
 * <p>Constant time: additions, XORs and fixed rotations only, no branch or index on the data.
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
        for (int i = 0; i < 10; i++) {
            // Column round: quarter-rounds on (0,4,8,12), (5,9,13,1), (10,14,2,6), (15,3,7,11).
            x4 ^= Integer.rotateLeft(x0 + x12, 7);
            x9 ^= Integer.rotateLeft(x5 + x1, 7);
            x14 ^= Integer.rotateLeft(x10 + x6, 7);
            x3 ^= Integer.rotateLeft(x15 + x11, 7);
            x8 ^= Integer.rotateLeft(x4 + x0, 9);
            x13 ^= Integer.rotateLeft(x9 + x5, 9);
            x2 ^= Integer.rotateLeft(x14 + x10, 9);
            x7 ^= Integer.rotateLeft(x3 + x15, 9);
            x12 ^= Integer.rotateLeft(x8 + x4, 13);
            x1 ^= Integer.rotateLeft(x13 + x9, 13);
            x6 ^= Integer.rotateLeft(x2 + x14, 13);
            x11 ^= Integer.rotateLeft(x7 + x3, 13);
            x0 ^= Integer.rotateLeft(x12 + x8, 18);
            x5 ^= Integer.rotateLeft(x1 + x13, 18);
            x10 ^= Integer.rotateLeft(x6 + x2, 18);
            x15 ^= Integer.rotateLeft(x11 + x7, 18);
            // Row round: quarter-rounds on (0,1,2,3), (5,6,7,4), (10,11,8,9), (15,12,13,14).
            x1 ^= Integer.rotateLeft(x0 + x3, 7);
            x6 ^= Integer.rotateLeft(x5 + x4, 7);
            x11 ^= Integer.rotateLeft(x10 + x9, 7);
            x12 ^= Integer.rotateLeft(x15 + x14, 7);
            x2 ^= Integer.rotateLeft(x1 + x0, 9);
            x7 ^= Integer.rotateLeft(x6 + x5, 9);
            x8 ^= Integer.rotateLeft(x11 + x10, 9);
            x13 ^= Integer.rotateLeft(x12 + x15, 9);
            x3 ^= Integer.rotateLeft(x2 + x1, 13);
            x4 ^= Integer.rotateLeft(x7 + x6, 13);
            x9 ^= Integer.rotateLeft(x8 + x11, 13);
            x14 ^= Integer.rotateLeft(x13 + x12, 13);
            x0 ^= Integer.rotateLeft(x3 + x2, 18);
            x5 ^= Integer.rotateLeft(x4 + x7, 18);
            x10 ^= Integer.rotateLeft(x9 + x8, 18);
            x15 ^= Integer.rotateLeft(x14 + x13, 18);
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
        for (int i = 0; i < 10; i++) {
            // Column round: quarter-rounds of both blocks, interleaved, on (0,4,8,12), (5,9,13,1), (10,14,2,6), (15,3,7,11).
            x4 ^= Integer.rotateLeft(x0 + x12, 7);
            y4 ^= Integer.rotateLeft(y0 + y12, 7);
            x9 ^= Integer.rotateLeft(x5 + x1, 7);
            y9 ^= Integer.rotateLeft(y5 + y1, 7);
            x14 ^= Integer.rotateLeft(x10 + x6, 7);
            y14 ^= Integer.rotateLeft(y10 + y6, 7);
            x3 ^= Integer.rotateLeft(x15 + x11, 7);
            y3 ^= Integer.rotateLeft(y15 + y11, 7);
            x8 ^= Integer.rotateLeft(x4 + x0, 9);
            y8 ^= Integer.rotateLeft(y4 + y0, 9);
            x13 ^= Integer.rotateLeft(x9 + x5, 9);
            y13 ^= Integer.rotateLeft(y9 + y5, 9);
            x2 ^= Integer.rotateLeft(x14 + x10, 9);
            y2 ^= Integer.rotateLeft(y14 + y10, 9);
            x7 ^= Integer.rotateLeft(x3 + x15, 9);
            y7 ^= Integer.rotateLeft(y3 + y15, 9);
            x12 ^= Integer.rotateLeft(x8 + x4, 13);
            y12 ^= Integer.rotateLeft(y8 + y4, 13);
            x1 ^= Integer.rotateLeft(x13 + x9, 13);
            y1 ^= Integer.rotateLeft(y13 + y9, 13);
            x6 ^= Integer.rotateLeft(x2 + x14, 13);
            y6 ^= Integer.rotateLeft(y2 + y14, 13);
            x11 ^= Integer.rotateLeft(x7 + x3, 13);
            y11 ^= Integer.rotateLeft(y7 + y3, 13);
            x0 ^= Integer.rotateLeft(x12 + x8, 18);
            y0 ^= Integer.rotateLeft(y12 + y8, 18);
            x5 ^= Integer.rotateLeft(x1 + x13, 18);
            y5 ^= Integer.rotateLeft(y1 + y13, 18);
            x10 ^= Integer.rotateLeft(x6 + x2, 18);
            y10 ^= Integer.rotateLeft(y6 + y2, 18);
            x15 ^= Integer.rotateLeft(x11 + x7, 18);
            y15 ^= Integer.rotateLeft(y11 + y7, 18);
            // Row round: quarter-rounds of both blocks, interleaved, on (0,1,2,3), (5,6,7,4), (10,11,8,9), (15,12,13,14).
            x1 ^= Integer.rotateLeft(x0 + x3, 7);
            y1 ^= Integer.rotateLeft(y0 + y3, 7);
            x6 ^= Integer.rotateLeft(x5 + x4, 7);
            y6 ^= Integer.rotateLeft(y5 + y4, 7);
            x11 ^= Integer.rotateLeft(x10 + x9, 7);
            y11 ^= Integer.rotateLeft(y10 + y9, 7);
            x12 ^= Integer.rotateLeft(x15 + x14, 7);
            y12 ^= Integer.rotateLeft(y15 + y14, 7);
            x2 ^= Integer.rotateLeft(x1 + x0, 9);
            y2 ^= Integer.rotateLeft(y1 + y0, 9);
            x7 ^= Integer.rotateLeft(x6 + x5, 9);
            y7 ^= Integer.rotateLeft(y6 + y5, 9);
            x8 ^= Integer.rotateLeft(x11 + x10, 9);
            y8 ^= Integer.rotateLeft(y11 + y10, 9);
            x13 ^= Integer.rotateLeft(x12 + x15, 9);
            y13 ^= Integer.rotateLeft(y12 + y15, 9);
            x3 ^= Integer.rotateLeft(x2 + x1, 13);
            y3 ^= Integer.rotateLeft(y2 + y1, 13);
            x4 ^= Integer.rotateLeft(x7 + x6, 13);
            y4 ^= Integer.rotateLeft(y7 + y6, 13);
            x9 ^= Integer.rotateLeft(x8 + x11, 13);
            y9 ^= Integer.rotateLeft(y8 + y11, 13);
            x14 ^= Integer.rotateLeft(x13 + x12, 13);
            y14 ^= Integer.rotateLeft(y13 + y12, 13);
            x0 ^= Integer.rotateLeft(x3 + x2, 18);
            y0 ^= Integer.rotateLeft(y3 + y2, 18);
            x5 ^= Integer.rotateLeft(x4 + x7, 18);
            y5 ^= Integer.rotateLeft(y4 + y7, 18);
            x10 ^= Integer.rotateLeft(x9 + x8, 18);
            y10 ^= Integer.rotateLeft(y9 + y8, 18);
            x15 ^= Integer.rotateLeft(x14 + x13, 18);
            y15 ^= Integer.rotateLeft(y14 + y13, 18);
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
