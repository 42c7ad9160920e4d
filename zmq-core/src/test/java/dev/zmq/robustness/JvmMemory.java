package dev.zmq.robustness;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * Memory as the JVM reports it, after a full collection: what is still reachable, not garbage. The
 * measures hostile-peer tests bound (memory, never speed).
 */
final class JvmMemory {
    private JvmMemory() {
    }

    /** Heap bytes reachable after a full GC. */
    static long heapUsedAfterGc() {
        collect();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Direct-buffer bytes ({@link BufferPoolMXBean} "direct") after a full GC: buffers no longer
     * referenced are released by the collection, so what remains is what the library holds.
     */
    static long directUsedAfterGc() {
        collect();
        return directUsed();
    }

    /** Direct-buffer bytes now, without collecting first. */
    static long directUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    private static void collect() {
        // Twice: what the first collection's cleaners release, the second one finds gone.
        System.gc();
        System.gc();
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
