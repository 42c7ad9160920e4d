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

    @Test
    void chunksTheConsumerDrainedAtOnceAreFilledAgain() {
        var q = new SpscQueue<Integer>();
        var chunks = chunkSet();
        int burst = SpscQueue.CHUNK * 8; // filled, then drained whole, like a pipe at its HWM
        fillAndDrain(q, burst, chunks);
        int afterFirst = chunks.size();
        assertEquals(8, afterFirst);
        for (int round = 0; round < 5; round++) {
            fillAndDrain(q, burst, chunks);
        }
        // The chunk being read when a burst ends is finished during the next: one more chunk at most, ever.
        assertTrue(chunks.size() <= afterFirst + 1, "filled " + chunks.size() + " different chunks");
        assertTrue(q.ring <= afterFirst + 1);
    }

    @Test
    void aShortQueueGoesRoundTwoChunks() {
        var q = new SpscQueue<Integer>();
        var chunks = chunkSet();
        for (int round = 0; round < 100; round++) {
            fillAndDrain(q, 50, chunks); // never more than 50 queued: only the chunk being read and the next
        }
        assertEquals(2, chunks.size());
    }

    @Test
    void aRingKeepsAtMostMaxRingChunksOnceTheyAreFinished() {
        var q = new SpscQueue<Integer>();
        var seen = chunkSet();
        int chunks = 3 * SpscQueue.MAX_RING;
        fillAndDrain(q, chunks * SpscQueue.CHUNK, seen);
        assertEquals(chunks, q.ring, "a long burst needs a long ring");
        int before = seen.size();
        fillAndDrain(q, SpscQueue.CHUNK * 4, seen);
        assertEquals(before, seen.size(), "a shorter burst reuses the ring's chunks");
        assertTrue(q.ring <= SpscQueue.MAX_RING + 1, "finished chunks beyond MAX_RING are dropped: ring " + q.ring);
        fillAndDrain(q, chunks * SpscQueue.CHUNK, seen);
        assertTrue(seen.size() - before >= chunks - SpscQueue.MAX_RING - 1,
                "only " + (seen.size() - before) + " new chunks: more than " + SpscQueue.MAX_RING + " kept");
    }

    @Test
    void aRingTooLongIsTrimmedAtTheNextChunkNotOnlyAtThePeriodicCheck() {
        var q = new SpscQueue<Integer>();
        var seen = chunkSet();
        // A long burst that ends one chunk past a multiple of CHECK_EVERY, then a short one whose chunk
        // changes all fall between two periodic checks: only the ring's own length can make offer trim it.
        int chunks = 3 * SpscQueue.MAX_RING + 1;
        assertEquals(SpscQueue.CHUNK, chunks * SpscQueue.CHUNK % SpscQueue.CHECK_EVERY);
        fillAndDrain(q, chunks * SpscQueue.CHUNK, seen);
        assertEquals(chunks, q.ring);
        fillAndDrain(q, SpscQueue.CHUNK * 2, seen);
        assertTrue(q.ring <= SpscQueue.MAX_RING + 1, "finished chunks beyond MAX_RING are dropped: ring " + q.ring);
    }

    @Test
    void aConsumerCommittingInStepsNeverHasItsChunkReused() throws Exception {
        var q = new SpscQueue<Long>();
        long total = 2_000_000;
        var consumer = CompletableFuture.supplyAsync(() -> {
            long expected = 0;
            while (expected < total) {
                var p = q.peek();
                var v = q.poll();
                if (v == null) {
                    q.commit();
                    Thread.yield();
                    continue;
                }
                if (v != expected || (p != null && p != v)) { // p is null if v was published after the peek
                    throw new AssertionError("expected " + expected + " got " + v + " (peeked " + p + ")");
                }
                expected++;
                q.commitEvery(32);
            }
            q.commit();
            return expected;
        });
        for (long i = 0; i < total; ) {
            // Up to 5000 in flight, more than MAX_RING chunks: the ring grows and is trimmed while both run.
            if (q.written() - q.consumed() >= 5000) {
                if (consumer.isDone()) {
                    break; // it failed: its exception is reported below
                }
                Thread.yield();
                continue;
            }
            int burst = (int) (i % 300) + 1;
            for (int b = 0; b < burst && i < total; b++) {
                q.offer(i++);
            }
            q.publish();
        }
        assertEquals(total, consumer.get(100, TimeUnit.SECONDS));
        assertEquals(0, q.size());
    }

    /** A set of chunks by identity. */
    private static java.util.Set<SpscQueue.Chunk> chunkSet() {
        return java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    }

    /** Offers then polls {@code count} elements, adding every chunk the producer wrote into to {@code chunks}. */
    private static void fillAndDrain(SpscQueue<Integer> q, int count, java.util.Set<SpscQueue.Chunk> chunks) {
        for (int i = 0; i < count; i++) {
            q.offer(i);
            chunks.add(q.tail);
        }
        q.publish();
        for (int i = 0; i < count; i++) {
            assertEquals(i, q.poll());
        }
        assertNull(q.poll());
        q.commit();
    }
}
