package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lock-free queue under the pipes: order, visibility only after publish, chunk reuse, two threads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpscQueueTest {

    @Test
    void elementsBecomeVisibleOnlyWhenPublishedAndComeOutInOrderAcrossChunks() {
        var q = new SpscQueue<Integer>();
        int n = SpscQueue.CHUNK * 3 + 5;
        for (int i = 0; i < n; i++) {
            q.offer(i);
        }
        assertNull(q.poll(), "nothing is visible before publish");
        assertEquals(0, q.size());
        q.publish();
        assertEquals(n, q.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, q.peek());
            assertEquals(i, q.poll());
        }
        assertNull(q.poll());
        assertEquals(n, q.size(), "size counts what the consumer has not committed");
        q.commit();
        assertEquals(0, q.size());
        assertEquals(n, q.consumed());
    }

    @Test
    void commitEveryCommitsOnceAStepWasTakenOrEverythingVisibleWas() {
        var q = new SpscQueue<Integer>();
        for (int i = 0; i < 10; i++) {
            q.offer(i);
        }
        q.publish();
        for (int i = 0; i < 3; i++) {
            q.poll();
            assertFalse(q.commitEvery(4), "taken " + (i + 1) + " of a step of 4");
        }
        assertEquals(10, q.size());
        q.poll();
        assertTrue(q.commitEvery(4));
        assertEquals(6, q.size());
        for (int i = 0; i < 5; i++) {
            q.poll();
            assertFalse(q.commitEvery(100));
        }
        q.poll();
        assertTrue(q.commitEvery(100), "the last visible element taken: everything is reported");
        assertEquals(0, q.size());
    }

    @Test
    void peekAtAChunkBoundaryLooksIntoTheNextChunk() {
        var q = new SpscQueue<Integer>();
        for (int i = 0; i <= SpscQueue.CHUNK; i++) {
            q.offer(i);
        }
        q.publish();
        for (int i = 0; i < SpscQueue.CHUNK; i++) {
            q.poll();
        }
        assertEquals(SpscQueue.CHUNK, q.peek());
        assertEquals(SpscQueue.CHUNK, q.poll());
    }

    @Test
    void aProducerAndAConsumerThreadExchangeHalfAMillionInOrderWithRecycledChunks() throws Exception {
        var q = new SpscQueue<Long>();
        long total = 500_000;
        var consumer = CompletableFuture.supplyAsync(() -> {
            long expected = 0;
            while (expected < total) {
                var v = q.poll();
                if (v == null) {
                    q.commit();
                    Thread.yield(); // the producer may share the one free core with us
                    continue;
                }
                if (v != expected) {
                    throw new AssertionError("expected " + expected + " got " + v);
                }
                expected++;
            }
            q.commit();
            return expected;
        });
        for (long i = 0; i < total; ) {
            // Bounded by counting, like the pipes: at most 1000 in flight.
            if (q.written() - q.consumed() >= 1000) {
                Thread.yield();
                continue;
            }
            int burst = (int) (i % 7) + 1;
            for (int b = 0; b < burst && i < total; b++) {
                q.offer(i++);
            }
            q.publish();
        }
        assertEquals(total, consumer.get(50, TimeUnit.SECONDS));
        assertEquals(0, q.size());
        assertTrue(q.written() == total && q.read() == total);
    }
}
