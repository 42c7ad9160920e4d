package dev.zmq.internal.io;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The output buffers of one I/O thread's connections. A connection takes a buffer only while it
 * has bytes to write and gives it back as soon as they are all written (and at close), so an idle
 * connection holds none, and a closed one's buffer is reused at once instead of waiting for the
 * garbage collector.
 *
 * <p>At most {@link #MAX_DIRECT} direct buffers exist per I/O thread, all kept here when free; more
 * writers at once get heap buffers (the JDK copies those through its per-thread temporary direct
 * buffer). A direct buffer is also not allocated when the JVM's direct memory is nearly used up:
 * the JDK would stall this thread in its reservation loop (a GC and up to about half a second of
 * sleeps) before failing; a heap buffer is taken instead.
 *
 * <p>A connection streaming large frames may swap its buffer for one of {@link #LARGE_BUFFER_SIZE}
 * ({@link #acquireLarge}): at most {@link #MAX_LARGE_DIRECT} per I/O thread, given back like the others.
 *
 * <p>Used by the I/O thread and, for a connection's request or reply written directly, by an
 * application thread holding that connection ({@code ZmtpEngine.tryDirectFlush}): synchronized,
 * uncontended nearly always.
 */
public final class BufferPool {
    /** The size of every buffer: a batch of encoded frames per write. */
    public static final int BUFFER_SIZE = 64 * 1024;
    /** Direct buffers per I/O thread: about 2 MiB, whatever the number of connections. */
    static final int MAX_DIRECT = 32;
    /**
     * The size of a buffer for bulk transfer (a stream of large frames): a 64 KiB frame then goes out
     * about four to a write instead of one, which cost the kernel's TCP path less per byte: sender I/O
     * thread 2.4 -> 1.7 s of CPU per 100k x 64 KiB (1 MiB buffers: 2.1 s).
     */
    public static final int LARGE_BUFFER_SIZE = 256 * 1024;
    /** Large direct buffers per I/O thread: 1 MiB, whatever the number of connections. */
    static final int MAX_LARGE_DIRECT = 4;
    /** Free heap buffers kept for reuse. */
    private static final int MAX_FREE_HEAP = 32;
    /** Direct memory left free for everyone else before this pool falls back to heap buffers. */
    private static final long DIRECT_HEADROOM = 256 * 1024;
    private static final BufferPoolMXBean DIRECT_POOL = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream().filter(p -> p.getName().equals("direct")).findFirst().orElse(null);
    private static final long MAX_DIRECT_MEMORY = maxDirectMemory();

    private final ArrayDeque<ByteBuffer> freeDirect = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> freeHeap = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> freeLarge = new ArrayDeque<>();
    private int directAllocated;
    private int largeAllocated;

    /** A clear buffer of {@link #BUFFER_SIZE} bytes: a free direct one, a new direct one if allowed, else heap. */
    public synchronized ByteBuffer acquire() {
        var b = freeDirect.poll();
        if (b != null) {
            return b;
        }
        if (directAllocated < MAX_DIRECT && directMemoryAvailable(BUFFER_SIZE)) {
            try {
                b = ByteBuffer.allocateDirect(BUFFER_SIZE);
                directAllocated++;
                return b;
            } catch (OutOfMemoryError e) {
                // Another thread took the direct memory first: a heap buffer does.
            }
        }
        b = freeHeap.poll();
        return b != null ? b : ByteBuffer.allocate(BUFFER_SIZE);
    }

    /**
     * A clear direct buffer of {@link #LARGE_BUFFER_SIZE} bytes, or null when this thread already has
     * {@link #MAX_LARGE_DIRECT} of them in use or direct memory is short (the caller keeps its own).
     */
    public synchronized ByteBuffer acquireLarge() {
        var b = freeLarge.poll();
        if (b != null || largeAllocated >= MAX_LARGE_DIRECT || !directMemoryAvailable(LARGE_BUFFER_SIZE)) {
            return b;
        }
        try {
            b = ByteBuffer.allocateDirect(LARGE_BUFFER_SIZE);
            largeAllocated++;
            return b;
        } catch (OutOfMemoryError e) {
            return null; // another thread took the direct memory first
        }
    }

    /** Gives {@code buffer} back (its content is discarded). */
    public synchronized void release(ByteBuffer buffer) {
        buffer.clear();
        if (buffer.capacity() == LARGE_BUFFER_SIZE) {
            freeLarge.push(buffer);
        } else if (buffer.isDirect()) {
            freeDirect.push(buffer);
        } else if (freeHeap.size() < MAX_FREE_HEAP) {
            freeHeap.push(buffer);
        }
    }

    /** Direct buffers this pool allocated (in use or free): never more than {@link #MAX_DIRECT}. */
    public synchronized int directAllocated() {
        return directAllocated;
    }

    /** Large buffers this pool allocated (in use or free): never more than {@link #MAX_LARGE_DIRECT}. */
    public synchronized int largeAllocated() {
        return largeAllocated;
    }

    /** Whether {@code bytes} more of direct memory can be had without the JDK's stall. */
    static boolean directMemoryAvailable(long bytes) {
        if (DIRECT_POOL == null || MAX_DIRECT_MEMORY <= 0) {
            return true;
        }
        return DIRECT_POOL.getMemoryUsed() + bytes + DIRECT_HEADROOM <= MAX_DIRECT_MEMORY;
    }

    /** -XX:MaxDirectMemorySize as given on the command line, or the JDK's default for it (the maximum heap). */
    private static long maxDirectMemory() {
        long max = Runtime.getRuntime().maxMemory();
        try {
            for (var arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("-XX:MaxDirectMemorySize=")) {
                    max = parseSize(arg.substring("-XX:MaxDirectMemorySize=".length()), max);
                }
            }
        } catch (RuntimeException e) {
            // no management access: the default stands
        }
        return max;
    }

    /** A HotSpot size (digits, then optionally k, m, g or t in either case); {@code otherwise} if malformed. */
    static long parseSize(String value, long otherwise) {
        if (value.isEmpty()) {
            return otherwise;
        }
        char unit = Character.toLowerCase(value.charAt(value.length() - 1));
        int shift = switch (unit) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        var digits = shift == 0 ? value : value.substring(0, value.length() - 1);
        try {
            long n = Long.parseLong(digits);
            return n == 0 ? otherwise : n << shift;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
