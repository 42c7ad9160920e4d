package dev.zmq.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** What a paused connection holds: its leftover bytes in the thread's one reused buffer, or else in one of their size. */
class HeldInputBuffersTest {
    private static final int READ = 64 * 1024;

    private static ByteBuffer readOf(int bytes) {
        var in = ByteBuffer.allocateDirect(READ);
        for (int i = 0; i < bytes; i++) {
            in.put((byte) i);
        }
        return in.flip();
    }

    @Test
    void heldBytesAreCopiedOutOfTheSharedReadBufferInOrder() {
        var pool = new HeldInputBuffers(READ);
        var in = readOf(READ);
        in.position(READ - 40_000);
        var held = pool.hold(in);
        assertFalse(in.hasRemaining(), "the read buffer is left consumed, for the thread's next connection");
        assertEquals(40_000, held.remaining());
        for (int i = READ - 40_000; i < READ; i++) {
            assertEquals((byte) i, held.get(), "byte " + i);
        }
    }

    @Test
    void theBufferOfOnePauseIsLentAgainAtTheNext() {
        var pool = new HeldInputBuffers(READ);
        var first = pool.hold(readOf(READ - 10));
        pool.release(first);
        assertTrue(pool.hasSpare());
        var second = pool.hold(readOf(READ / 2));
        assertSame(first, second, "no fresh buffer per pause");
        assertEquals(READ / 2, second.remaining());
        assertFalse(pool.hasSpare(), "one connection at a time holds it");
        var third = pool.hold(readOf(READ / 2 + 1));
        assertNotSame(second, third, "another paused connection gets its own");
        assertEquals(READ / 2 + 1, third.capacity(), "of its leftover's size: one read-sized buffer per thread");
        pool.release(third);
        assertFalse(pool.hasSpare(), "the other's buffer is dropped, not kept");
        pool.release(second);
        assertSame(second, pool.hold(readOf(10)), "the thread's buffer is free again");
    }

    @Test
    void aSmallLeftoverBorrowsTheThreadsBufferToo() {
        var pool = new HeldInputBuffers(READ);
        var small = pool.hold(readOf(100));
        assertEquals(READ, small.capacity(), "the first pause makes the thread's buffer, whatever it holds");
        assertEquals(100, small.remaining());
        pool.release(small);
        for (int pause = 0; pause < 3; pause++) {
            var again = pool.hold(readOf(50 + pause));
            assertSame(small, again, "pause " + pause + ": no fresh buffer however small the leftover");
            assertEquals(50 + pause, again.remaining());
            pool.release(again);
        }
    }

    @Test
    void whileTheThreadsBufferIsLentASmallLeftoverIsHeldInABufferOfItsSize() {
        var pool = new HeldInputBuffers(READ);
        var lent = pool.hold(readOf(READ));
        var held = pool.hold(readOf(100));
        assertEquals(100, held.capacity(), "a second paused connection does not get a whole read's buffer for 100 bytes");
        pool.release(held);
        assertFalse(pool.hasSpare(), "the thread's buffer is still lent");
        pool.release(lent);
        assertTrue(pool.hasSpare());
    }
}
