package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.internal.Frames;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Frame arrays the application gives back to the connection: bounded in count and bytes, handed
 * out only at the exact size wanted, and only by a pipe whose connection asked for them.
 */
class ReturnedFramesTest {

    @Test
    void arraysComeBackInOrderAndOnlyAtTheirExactSize() {
        var r = new ReturnedFrames();
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        byte[] c = new byte[32];
        assertEquals(1, r.offer(a));
        assertEquals(1, r.offer(b));
        assertEquals(1, r.offer(c));
        assertSame(a, r.take(16));
        assertNull(r.take(32), "the head is b, of 16 bytes: dropped, not handed out at another size");
        assertSame(c, r.take(32));
        assertNull(r.take(32));
        assertEquals(0, r.size());
    }

    @Test
    void atMostMaxArraysAreHeldAndTheyFitTheSlots() {
        assertTrue(ReturnedFrames.MAX_ARRAYS <= ReturnedFrames.SLOTS, "the byte bound keeps the producer off slots not cleared yet");
        var r = new ReturnedFrames();
        for (int i = 0; i < ReturnedFrames.MAX_ARRAYS; i++) {
            assertEquals(1, r.offer(new byte[1]), "array " + i);
        }
        assertEquals(0, r.offer(new byte[1]), "full: left to the garbage collector");
        assertEquals(ReturnedFrames.MAX_ARRAYS, r.size());
        assertEquals(1, r.take(1).length);
        assertEquals(1, r.offer(new byte[1]), "room again once the consumer took one");
        assertEquals(0, r.offer(new byte[1]));
    }

    @Test
    void theRingWrapsAroundItsSlotsManyTimes() {
        var r = new ReturnedFrames();
        for (int i = 0; i < 5 * ReturnedFrames.SLOTS; i++) {
            if (i % 7 == 6) {
                assertEquals(1, r.offer(new byte[9]));
                assertNull(r.take(8), "an array of another size is dropped");
            }
            var a = new byte[1 + i % 3];
            assertEquals(1, r.offer(a), "array " + i);
            assertSame(a, r.take(a.length), "array " + i);
            assertNull(r.take(1), "nothing else held");
        }
        assertEquals(0, r.size());
    }

    @Test
    void atMostMaxBytesAreHeldHeadersCounted() {
        var r = new ReturnedFrames();
        int big = 64 * 1024;
        assertEquals(1, r.offer(new byte[big]), "one 64 KiB frame fits");
        long left = ReturnedFrames.MAX_BYTES - big - ReturnedFrames.OVERHEAD;
        assertEquals(0, r.offer(new byte[(int) left]), "its header counts too");
        assertEquals(1, r.offer(new byte[(int) left - ReturnedFrames.OVERHEAD]));
        assertEquals(0, r.offer(new byte[0]));
        assertEquals(0, r.offer(new byte[(int) ReturnedFrames.MAX_BYTES]), "never more than the cap, even empty");
        r.take(big);
        assertEquals(1, r.offer(new byte[big - ReturnedFrames.OVERHEAD]), "the bytes taken count no more");
    }

    @Test
    void theCountersMayWrapPastTheIntRange() {
        var r = new ReturnedFrames();
        // As after 2^31 arrays and bytes handed over (the counters are ints, compared by differences).
        r.put = r.taken = r.putSeen = r.takenAtLook = Integer.MAX_VALUE - 3;
        r.putBytes = r.takenBytesSeen = r.takenBytes = Integer.MAX_VALUE - 1000;
        r.refreshAt = r.putBytes + 1;
        for (int i = 0; i < 3 * ReturnedFrames.SLOTS; i++) {
            var a = new byte[1 + i % 200];
            assertEquals(1, r.offer(a), "array " + i);
            assertSame(a, r.take(a.length), "array " + i);
        }
        assertTrue(r.put < 0 && r.putBytes < 0, "both counters went past Integer.MAX_VALUE");
        assertTrue(r.usedSinceLastLook());
        for (int i = 0; i < ReturnedFrames.MAX_ARRAYS; i++) {
            assertEquals(1, r.offer(new byte[1]), "array " + i);
        }
        assertEquals(0, r.offer(new byte[1]), "still bounded: full");
        assertEquals(0, r.offer(new byte[ReturnedFrames.MAX_BYTES + 1]), "never more than the cap");
        assertEquals(1, r.take(1).length);
        assertEquals(1, r.offer(new byte[1]), "room again once the consumer took one");
    }

    @Test
    void aFrameLargerThanTheCapIsNeverKept() {
        var r = new ReturnedFrames();
        assertEquals(0, r.offer(new byte[(int) ReturnedFrames.MAX_BYTES]));
        assertEquals(0, r.size());
    }

    @Test
    void aProducerAndAConsumerOnTwoThreadsNeverShareAnArray() throws Exception {
        handOverOnTwoThreads(8, 200_000); // bounded in arrays (MIN_COST each)
    }

    @Test
    void aProducerAndAConsumerOnTwoThreadsNeverShareALargeArray() throws Exception {
        handOverOnTwoThreads(10_000, 50_000); // bounded in bytes: 1,675 held at most, the ring wraps often
    }

    @Test
    void aBurstOfLargeFramesComesBackWhole() {
        // What the cap is for: the arrays of a burst the application drained at once, 256 frames of
        // 64 KiB or a default RCVHWM (1000) of 4 or 16 KiB, all kept for the connection's next frames.
        for (int[] burst : new int[][] {{64 * 1024, 256}, {4096, 1000}, {16 * 1024, 1000}}) {
            int size = burst[0];
            int count = burst[1];
            var r = new ReturnedFrames();
            var arrays = new byte[count][];
            for (int i = 0; i < count; i++) {
                arrays[i] = new byte[size];
                assertEquals(1, r.offer(arrays[i]), size + " B array " + i);
            }
            for (int i = 0; i < count; i++) {
                assertSame(arrays[i], r.take(size), size + " B array " + i);
            }
            assertNull(r.take(size));
        }
        var r = new ReturnedFrames();
        for (int i = 0; i < 256; i++) {
            assertEquals(1, r.offer(new byte[64 * 1024]));
        }
        assertEquals(0, r.offer(new byte[1]), "256 frames of 64 KiB fill it: still bounded in bytes");
    }

    @Test
    void aFullRingReadsWhatTheConsumerTookAndKeepsNoArrayItTurnsAway() {
        // 256 frames of 64 KiB fill it. offer reads what the consumer took when the ring looks full, not
        // only every REFRESH_BYTES offered (the offer after the take below is not at such a point), and an
        // array it turns away goes through the spare slot past the ring: nothing held may change.
        int big = 64 * 1024;
        var r = new ReturnedFrames();
        var held = new ArrayDeque<byte[]>();
        for (int i = 0; i < 256; i++) {
            held.add(new byte[big]);
            assertEquals(1, r.offer(held.getLast()), "array " + i);
        }
        for (int round = 0; round < 3; round++) {
            assertEquals(0, r.offer(new byte[big]), "full");
            assertEquals(0, r.offer(new byte[1]), "full");
            assertEquals(256, r.size(), "an array turned away is not held");
            assertSame(held.poll(), r.take(big));
            held.add(new byte[big]);
            assertEquals(1, r.offer(held.getLast()), "room again once the consumer took one, round " + round);
        }
        assertEquals(0, r.offer(new byte[big]));
        while (!held.isEmpty()) {
            assertSame(held.poll(), r.take(big), "the arrays held come back in order, untouched");
        }
        assertNull(r.take(big));
        assertEquals(0, r.size());
    }

    private static void handOverOnTwoThreads(int size, int n) throws Exception {
        var r = new ReturnedFrames();
        var errors = new AtomicLong();
        var got = new AtomicLong();
        var producerDone = new java.util.concurrent.atomic.AtomicBoolean();
        var consumer = new Thread(() -> {
            var seen = new java.util.IdentityHashMap<byte[], Boolean>();
            while (true) {
                boolean last = producerDone.get(); // read before the take: nothing offered after it
                var a = r.take(size);
                if (a != null) {
                    if (a[0] != 7 || seen.put(a, Boolean.TRUE) != null) {
                        errors.incrementAndGet();
                    }
                    a[0] = 0; // the consumer owns it now
                    got.incrementAndGet();
                } else if (last) {
                    return;
                }
            }
        });
        consumer.start();
        long offered = 0;
        for (int i = 0; i < n; i++) {
            var a = new byte[size];
            a[0] = 7;
            offered += r.offer(a);
        }
        producerDone.set(true);
        consumer.join(60_000);
        assertFalse(consumer.isAlive());
        assertEquals(offered, got.get(), "every array kept was taken, once");
        assertEquals(0, errors.get(), "every array taken once, with what the producer wrote");
    }

    @Test
    void aPipeKeepsReturnedArraysOnlyOnceItsConnectionAsksForThem() {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, false, wakes, wakes, new DropCounter());
        assertTrue(pipe.takesBareFrames(Map.of(), f -> Frames.wrapOne(f, Map.of())));
        byte[] a = {1, 2, 3};
        pipe.offerInFrame(a);
        pipe.publishIn();
        assertSame(a, pipe.pollInFrame());
        pipe.recycleIn(a);
        assertNull(pipe.reusableFrame(3), "the connection did not ask: nothing kept");

        pipe.reuseReturnedFrames();
        pipe.recycleIn(a);
        pipe.recycleIn(new byte[0]);
        assertSame(a, pipe.reusableFrame(3));
        assertNull(pipe.reusableFrame(0), "empty frames are never kept");
    }

    @Test
    void unusedReturnedArraysAreLetGoAndTheConnectionIsToldWhenTheyAreHeldAgain() {
        var wakes = new WakeCounts();
        var pipe = new Pipe(1000, 1000, false, wakes, wakes, new DropCounter());
        pipe.reuseReturnedFrames();
        assertTrue(pipe.dropReturnedFramesIfUnused(), "nothing held: the connection's timer may stop");
        assertEquals(0, wakes.returnsHeld.get());

        pipe.recycleIn(new byte[8]);
        pipe.recycleIn(new byte[8]);
        assertEquals(1, wakes.returnsHeld.get(), "told once, when the first array came back");
        assertTrue(pipe.holdsReturnedFrames());
        assertEquals(8, pipe.reusableFrame(8).length);
        assertFalse(pipe.dropReturnedFramesIfUnused(), "one was taken since the ring was made: kept");
        assertTrue(pipe.holdsReturnedFrames());
        assertTrue(pipe.dropReturnedFramesIfUnused(), "none taken since the last look: let go");
        assertFalse(pipe.holdsReturnedFrames());
        assertNull(pipe.reusableFrame(8), "the array still held went with the ring");

        pipe.recycleIn(new byte[8]);
        assertEquals(2, wakes.returnsHeld.get(), "held again: told again");
        assertTrue(pipe.dropReturnedFramesIfUnused(), "a new ring untaken for a whole interval goes too");
        assertFalse(pipe.holdsReturnedFrames());
    }

    @Test
    void anInprocPipeNeverKeepsTheSendersArrays() {
        var wakes = new WakeCounts();
        var first = Pipe.inproc(1000, 1000, false, wakes, wakes, new DropCounter());
        var second = Pipe.mateOf(first, 1000, 1000, wakes, wakes, new DropCounter());
        first.linkMate(second);
        byte[] a = {1};
        first.pushOut(a);
        assertSame(a, second.pollInFrame());
        second.reuseReturnedFrames();
        second.recycleIn(a);
        assertNull(second.reusableFrame(1));
        assertEquals(Message.of(new byte[] {1}), Message.of(a), "the sender's array untouched");
    }
}
