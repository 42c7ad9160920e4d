package dev.zmq.internal.transport.pgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void sendsAtMostTheRateAfterTheBurst() {
        // 1000 bytes/s, burst 500: 472-byte packets cost 500 with IP and UDP headers.
        var bucket = new TokenBucket(1000, 500, 0);
        assertTrue(bucket.tryTake(472, 0));
        assertFalse(bucket.tryTake(472, 0), "the burst is spent");
        assertEquals(SECOND / 2, bucket.nanosUntil(472, 0));
        assertFalse(bucket.tryTake(472, SECOND / 2 - 1_000_000));
        assertTrue(bucket.tryTake(472, SECOND / 2));
        // Over 10 simulated seconds, no more than rate x time + burst goes out.
        long sent = 500 * 2;
        for (long t = SECOND / 2; t <= 10 * SECOND; t += SECOND / 1000) {
            while (bucket.tryTake(72, t)) {
                sent += 100;
            }
        }
        assertTrue(sent <= 1000 * 10 + 500 + 500, "sent " + sent);
        assertTrue(sent >= 1000 * 10 - 100, "sent " + sent);
    }

    @Test
    void idleTimeDoesNotAccumulateBeyondTheBurst() {
        var bucket = new TokenBucket(1000, 300, 0);
        assertTrue(bucket.tryTake(272, 100 * SECOND));
        assertFalse(bucket.tryTake(1, 100 * SECOND), "an hour idle still allows only one burst");
    }

    @Test
    void aPacketLargerThanTheBucketGoesWhenTheBucketIsFull() {
        var bucket = new TokenBucket(1000, 100, 0);
        assertTrue(bucket.tryTake(1000, 0), "it would never go otherwise");
        assertFalse(bucket.tryTake(1000, SECOND / 2), "then the debt is paid back first");
        assertTrue(bucket.nanosUntil(1000, SECOND / 2) > 0);
    }

    @Test
    void rateIsInKilobitsPerSecondAsLibzmq() {
        var bucket = TokenBucket.forRate(100, 1500, 0); // 12500 bytes/s, burst: two 1500-byte packets
        int sent = 0;
        for (long t = 0; t < 10 * SECOND; t += SECOND / 100) {
            while (bucket.tryTake(1472, t)) {
                sent += 1500;
            }
        }
        assertTrue(sent >= 120_000 && sent <= 128_000 + 3000, "sent " + sent);
    }
}
