package dev.zmq.internal.crypto;

/**
 * The Salsa20/20 block function (Bernstein, "Salsa20 specification", section 8): 16 words of input
 * (constants, key, nonce, block counter) to 16 words of keystream, ten double rounds and the input
 * added back. Written from the specification for {@link SequenceBox}, which needs two blocks per
 * 64-byte CURVE message and takes them as words (no packing to bytes; why, with figures, in
 * SequenceBox). One block costs what Bouncy Castle's {@code salsaCore} does.
 *
 * <p>A double round is a column round then a row round, and the row round is the column round of
 * the transposed 4x4 state. So the loop body is one column round and a transpose (six swaps, which
 * C2 resolves into register moves), twenty times, instead of a double round ten times: half the
 * code for C2 to compile while a connection warms up. C2 compile of a two-block version
 * (interleaved, since removed: see SequenceBox) alone (JFR, -Xbatch): 14-15 ms with double rounds,
 * 10.6-11 ms so, most of it register allocation; thread CPU per two blocks 177-179 ns either way.
 *
 * <p>Constant time: additions, XORs and fixed rotations only, no branch or index on the data.
 *
 * <p>The rotations are written as shifts ({@code (t = a + b) << 7 | t >>> 25}), not
 * {@code Integer.rotateLeft}: C2 makes the same rotate instruction of both, but the interpreter and
 * C1's profiling tier, which run a connection's first tens of thousands of messages, pay a call (and a
 * profile counter) for each of a block's 320 rotateLeft calls. Thread CPU for two blocks at C1
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
}
