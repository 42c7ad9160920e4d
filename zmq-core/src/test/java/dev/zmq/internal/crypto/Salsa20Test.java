package dev.zmq.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our Salsa20/20 block function, alone and two consecutive blocks at once, against Bouncy Castle's
 * ({@code Salsa20Engine.salsaCore}, 20 rounds) on random states; the keystream it makes for whole boxes is checked against libsodium in
 * {@link SequenceBoxTest}.
 */
@Timeout(20)
class Salsa20Test {

    @Test
    void sameBlocksAsBouncyCastleForRandomStates() {
        var random = new Random(20);
        var in = new int[16];
        var ours = new int[16];
        var theirs = new int[16];
        for (int round = 0; round < 5000; round++) {
            for (int i = 0; i < 16; i++) {
                in[i] = random.nextInt();
            }
            if (round % 2 == 0) { // as SequenceBox uses it: the constants in place
                in[0] = Salsa20.SIGMA0;
                in[5] = Salsa20.SIGMA1;
                in[10] = Salsa20.SIGMA2;
                in[15] = Salsa20.SIGMA3;
            }
            var before = in.clone();
            Salsa20.block(in, ours);
            Salsa20Engine.salsaCore(20, in, theirs);
            assertArrayEquals(theirs, ours, "state " + round);
            assertArrayEquals(before, in, "the input is left as it was");
        }
    }

    @Test
    void extremeStates() {
        var theirs = new int[16];
        var ours = new int[16];
        for (int fill : new int[] {0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            var in = new int[16];
            java.util.Arrays.fill(in, fill);
            Salsa20.block(in, ours);
            Salsa20Engine.salsaCore(20, in, theirs);
            assertArrayEquals(theirs, ours, "all words " + fill);
        }
    }
}
