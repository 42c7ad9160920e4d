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
            lanes.take(j, ours);
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
    void wipeZeroesTheLanes() {
        var random = new Random(22);
        var lanes = new Salsa20Lanes();
        lanes.run(state(random), 5);
        lanes.wipe();
        var out = new int[16];
        var zero = new int[16];
        for (int j = 0; j < Salsa20Lanes.LANES; j++) {
            lanes.take(j, out);
            assertArrayEquals(zero, out, "nothing of the keystream is left, block " + j);
        }
    }
}
