package dev.zmq.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

/**
 * Bounds the heap one fuzz input may make the code under test allocate, measured by the JVM
 * ({@code com.sun.management.ThreadMXBean}'s per-thread allocation counter), so a peer cannot buy
 * memory with bytes it never sends. The bound is a fixed allowance plus a multiple of the input's
 * length: decoded frames are allocated (and grown by doubling) only as their bytes arrive.
 */
final class AllocationBudget {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * What a frame decoder may allocate before a frame's bytes arrive: its first body buffer, at most
     * 1 KiB beyond the bytes already read (FrameDecoder.MIN_ALLOCATION since the fix of issue 16's
     * defect 1; before it, a header alone bought 256 KiB), plus 16 KiB for the harness and slack.
     */
    static final long DECODER_ALLOWANCE = 1024 + 16 * 1024;
    /** Bytes of heap a decoder may allocate per input byte: the body, grown by doubling, plus slack. */
    static final long PER_INPUT_BYTE = 4;

    /** Some code under test that may throw anything. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    static {
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    private AllocationBudget() {
    }

    /** Heap bytes the current thread allocated so far. */
    static long allocatedByThisThread() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Heap bytes the threads {@code ids} allocated so far (threads that ended count 0). */
    static long allocatedBy(long[] ids) {
        long sum = 0;
        for (long a : THREADS.getThreadAllocatedBytes(ids)) {
            sum += Math.max(0, a);
        }
        return sum;
    }

    /** The bound for an input of {@code inputLength} bytes given a fixed {@code allowance}. */
    static long bound(long allowance, int inputLength) {
        return allowance + PER_INPUT_BYTE * inputLength;
    }

    /**
     * Runs {@code work} on this thread and fails if it allocated more than {@code allowance} plus
     * {@link #PER_INPUT_BYTE} per input byte. Exceptions from {@code work} pass through unchecked:
     * {@code work} handles the ones it expects. {@code work} must be repeatable: when the first run
     * is over the bound it runs once more, since loading and linking classes (the first inputs of a
     * JVM) allocates too, and only the second measure counts.
     */
    static void within(String what, long allowance, int inputLength, Work work) throws Exception {
        long bound = bound(allowance, inputLength);
        long used = measure(work);
        if (used > bound) {
            used = measure(work);
        }
        assertTrue(used <= bound, what + " allocated " + used + " bytes of heap for an input of " + inputLength
                + " bytes; the bound is " + bound);
    }

    private static long measure(Work work) throws Exception {
        long before = allocatedByThisThread();
        work.run();
        return allocatedByThisThread() - before;
    }
}
