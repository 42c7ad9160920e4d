package dev.zmq.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lanes against {@link Salsa20#block} (itself checked against Bouncy Castle in Salsa20Test): every
 * lane of runs from random states and first blocks, including first blocks near the top of what a
 * message can need.
 */
@Timeout(20)
class Salsa20LanesTest {

    private static int[] state(Random random) {
        var in = new int[16];
        for (int i = 0; i < 16; i++) {
            in[i] = random.nextInt();
        }
        in[0] = Salsa20.SIGMA0;
        in[5] = Salsa20.SIGMA1;
        in[10] = Salsa20.SIGMA2;
        in[15] = Salsa20.SIGMA3;
        return in;
    }

    /** Every lane of a run from {@code first} against Salsa20.block of the same input and counter. */
    private static void assertRun(Salsa20Lanes lanes, int[] in, int first) {
        var before = in.clone();
        lanes.run(in, first);
        assertArrayEquals(before, in, "run leaves its input as it was");
        var ours = new int[16];
        var theirs = new int[16];
        var block = in.clone();
        for (int j = 0; j < Salsa20Lanes.LANES; j++) {
            lanes.take(j, in, first, ours);
            assertArrayEquals(before, in, "take leaves its input as it was");
            block[8] = first + j;
            block[9] = 0;
            Salsa20.block(block, theirs);
            assertArrayEquals(theirs, ours, "block " + (first + j) + " (lane " + j + ")");
        }
    }

    @Test
    void everyLaneIsSalsa20sBlockForRandomStatesAndFirstBlocks() {
        var random = new Random(19);
        var lanes = new Salsa20Lanes();
        for (int round = 0; round < 200; round++) {
            // Words 8 and 9 of the input are not the lanes': any values there must not matter.
            assertRun(lanes, state(random), random.nextInt(1 << 20));
        }
    }

    @Test
    void firstBlocksAtTheEdges() {
        var random = new Random(20);
        var lanes = new Salsa20Lanes();
        for (int first : new int[] {0, 1, 2, 63, 64, 65, (1 << 26) - Salsa20Lanes.LANES}) {
            assertRun(lanes, state(random), first);
        }
    }

    @Test
    void aRunReplacesTheLastOneWhole() {
        var random = new Random(21);
        var lanes = new Salsa20Lanes();
        var first = state(random);
        var second = state(random);
        lanes.run(first, 1000);
        assertRun(lanes, second, 7);
        assertRun(lanes, first, 1000);
    }

    @Test
    void xorIsTheRunsKeystreamInStreamOrderForEveryCount() {
        // Against the blocks taken out one by one, laid out as the stream (little-endian words): every
        // count from 0 to a whole run (whole and cut words, whole and partial lanes), into another
        // array at other offsets, and in place; bytes outside the count untouched.
        var random = new Random(23);
        var lanes = new Salsa20Lanes();
        var in = state(random);
        int first = 1 + random.nextInt(1000);
        lanes.run(in, first);
        var stream = new byte[Salsa20Lanes.BYTES];
        var block = new int[16];
        for (int j = 0; j < Salsa20Lanes.LANES; j++) {
            lanes.take(j, in, first, block);
            for (int w = 0; w < 16; w++) {
                for (int b = 0; b < 4; b++) {
                    stream[64 * j + 4 * w + b] = (byte) (block[w] >>> 8 * b);
                }
            }
        }
        var data = new byte[Salsa20Lanes.BYTES + 16];
        random.nextBytes(data);
        for (int count = 0; count <= Salsa20Lanes.BYTES; count++) {
            var expected = data.clone();
            for (int k = 0; k < count; k++) {
                expected[5 + k] ^= stream[k];
            }
            var dst = data.clone();
            lanes.xor(in, first, data, 3, dst, 5, count); // src 3, dst 5: dst = src ^ keystream shifted
            var shifted = data.clone();
            for (int k = 0; k < count; k++) {
                shifted[5 + k] = (byte) (data[3 + k] ^ stream[k]);
            }
            assertArrayEquals(shifted, dst, "count " + count + ", other offsets");
            var inPlace = data.clone();
            lanes.xor(in, first, inPlace, 5, inPlace, 5, count);
            assertArrayEquals(expected, inPlace, "count " + count + ", in place");
        }
    }

    @Test
    void wipeZeroesTheLanes() {
        var random = new Random(22);
        var lanes = new Salsa20Lanes();
        lanes.run(state(random), 5);
        lanes.wipe();
        var out = new int[16];
        var zero = new int[16];
        for (int j = 0; j < Salsa20Lanes.LANES; j++) {
            lanes.take(j, zero, 0, out);
            var counterOnly = new int[16];
            counterOnly[8] = j; // the block counter, added on take-out
            assertArrayEquals(counterOnly, out, "nothing of the keystream is left, block " + j);
        }
    }
}
