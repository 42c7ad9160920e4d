package dev.zmq.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The I/O thread's read buffer starts at a page boundary (the kernel's copy into it is much faster there). */
class IoThreadReadBufferTest {
    @Test
    void pageAlignedBuffersStartAtAPageBoundaryAndHaveTheSizeAsked() {
        for (int size : new int[] {IoThread.SMALL_READ_BUFFER_SIZE, IoThread.READ_BUFFER_SIZE, 100}) {
            var b = IoThread.pageAligned(size);
            assertTrue(b.isDirect());
            assertEquals(0, b.alignmentOffset(0, IoThread.PAGE), "not at a page boundary");
            assertEquals(size, b.capacity());
            assertEquals(0, b.position());
            assertEquals(size, b.limit());
            assertEquals(java.nio.ByteOrder.BIG_ENDIAN, b.order());
        }
    }

    @Test
    void theThreadsReadBufferIsPageAligned() throws InterruptedException {
        var io = new IoThread("read-buffer-test");
        try {
            var b = io.readBuffer();
            assertEquals(0, b.alignmentOffset(0, IoThread.PAGE));
            assertEquals(IoThread.READ_BUFFER_SIZE, b.capacity());
        } finally {
            io.stop();
            assertTrue(io.join(5_000), "the I/O thread did not stop");
        }
    }
}
