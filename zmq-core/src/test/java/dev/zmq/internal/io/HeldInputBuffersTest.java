package dev.zmq.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** What a paused connection holds: its leftover bytes in a buffer reused across pauses, never much larger than them. */
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
        assertTrue(third != second && third.capacity() == READ, "another paused connection gets its own");
    }

    @Test
    void aSmallLeftoverIsHeldInABufferOfItsSize() {
        var pool = new HeldInputBuffers(READ);
        pool.release(pool.hold(readOf(READ))); // a spare exists
        var held = pool.hold(readOf(100));
        assertEquals(100, held.capacity(), "a paused connection does not pin a whole read's buffer for 100 bytes");
        pool.release(held);
        assertTrue(pool.hasSpare(), "the spare is still there");
        var big = pool.hold(readOf(READ));
        assertEquals(READ, big.capacity());
    }
}
