package dev.zmq.internal.pipe;

/**
 * The fields of {@link ReturnedFrames}, the producer's and the consumer's on cache lines of their
 * own (as {@link SpscQueueFields}). The counters are ints: {@link Pad0}'s int takes the 4-byte gap
 * after the object header, which HotSpot otherwise fills with a subclass's first int, and the
 * producer's four would then leave a gap of their own for the consumer's first, on the producer's
 * line ({@code ReturnedFramesLayoutTest} checks the layout the JVM chose).
 */
@SuppressWarnings("unused")
final class ReturnedFramesFields {
    private ReturnedFramesFields() {
    }

    abstract static class Pad0 {
        int p0;
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /**
     * Producer-owned. The counters are ints that wrap: the sides only compare them for equality
     * or subtract them (differences stay far below 2^31), and an int is read and written whole by
     * every JVM, as the plain accesses between the fences of {@code ReturnedFrames} need.
     */
    abstract static class Producer extends Pad0 {
        /** Arrays offered so far (the next slot is {@code put} modulo the slots); the consumer reads it. */
        int put;
        /** Bytes offered so far, headers counted. */
        int putBytes;
        /** The consumer's {@link Consumer#takenBytes} as the producer last read it. */
        int takenBytesSeen;
        /** {@link #putBytes} at which the producer reads {@link Consumer#takenBytes} again. */
        int refreshAt;
    }

    abstract static class Pad1 extends Producer {
        long p10, p11, p12, p13, p14, p15, p16, p17;
    }

    /** Consumer-owned; {@link #takenBytes} is read by the producer every so often and when it looks full. */
    abstract static class Consumer extends Pad1 {
        /** Arrays taken (or dropped) so far. */
        int taken;
        /** The producer's {@link Producer#put} as the consumer last read it. */
        int putSeen;
        /** Bytes taken (or dropped) so far, headers counted; the producer reads it. */
        int takenBytes;
        /** {@link #taken} when the connection last looked whether the ring is still used (see {@code ReturnedFrames.usedSinceLastLook}). */
        int takenAtLook;
    }

    /** Padding: the slots reference of the subclass stays off the consumer's line. */
    abstract static class Pad2 extends Consumer {
        long p20, p21, p22, p23, p24, p25, p26, p27;
    }
}
