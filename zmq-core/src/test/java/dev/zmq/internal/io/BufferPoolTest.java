package dev.zmq.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** An I/O thread's output buffers: bounded in number, reused, each size class given back to its own. */
class BufferPoolTest {

    @Test
    void largeBuffersAreBoundedPerThreadAndReused() {
        var pool = new BufferPool();
        var taken = new ArrayList<ByteBuffer>();
        for (int i = 0; i < BufferPool.MAX_LARGE_DIRECT; i++) {
            var b = pool.acquireLarge();
            assertNotNull(b, "large buffer " + i);
            assertTrue(b.isDirect());
            assertEquals(BufferPool.LARGE_BUFFER_SIZE, b.capacity());
            taken.add(b);
        }
        assertNull(pool.acquireLarge(), "no more than MAX_LARGE_DIRECT large buffers, however many connections stream");
        var first = taken.get(0);
        first.put((byte) 1);
        pool.release(first);
        var again = pool.acquireLarge();
        assertSame(first, again, "a large buffer given back is lent again");
        assertEquals(0, again.position(), "cleared when given back");
        assertEquals(BufferPool.MAX_LARGE_DIRECT, pool.largeAllocated());
    }

    @Test
    void aLargeBufferGivenBackIsNotLentAsASmallOne() {
        var pool = new BufferPool();
        pool.release(pool.acquireLarge());
        var small = pool.acquire();
        assertEquals(BufferPool.BUFFER_SIZE, small.capacity());
        assertEquals(1, pool.directAllocated(), "the small one was allocated, the large one kept for large use");
        assertEquals(BufferPool.LARGE_BUFFER_SIZE, pool.acquireLarge().capacity());
        assertEquals(1, pool.largeAllocated());
    }
}
