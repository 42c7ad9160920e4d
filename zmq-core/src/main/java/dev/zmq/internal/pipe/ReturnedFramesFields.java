package dev.zmq.internal.pipe;

/** The fields of {@link ReturnedFrames}, the producer's and the consumer's on cache lines of their own (as {@link SpscQueueFields}). */
@SuppressWarnings("unused")
final class ReturnedFramesFields {
    private ReturnedFramesFields() {
    }

    abstract static class Pad0 {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /** Producer-owned. */
    abstract static class Producer extends Pad0 {
        /** Arrays offered so far (the next slot is {@code put} modulo the slots); the consumer reads it (acquire). */
        long put;
        /** Bytes offered so far, headers counted. */
        long putBytes;
        /** The consumer's {@link Consumer#takenBytes} as the producer last read it. */
        long takenBytesSeen;
        /** {@link #putBytes} at which the producer reads {@link Consumer#takenBytes} again. */
        long refreshAt;
    }

    abstract static class Pad1 extends Producer {
        long p10, p11, p12, p13, p14, p15, p16, p17;
    }

    /** Consumer-owned; {@link #takenBytes} is read by the producer every so often and when it looks full. */
    abstract static class Consumer extends Pad1 {
        /** Arrays taken (or dropped) so far. */
        long taken;
        /** The producer's {@link Producer#put} as the consumer last read it. */
        long putSeen;
        /** Bytes taken (or dropped) so far, headers counted. */
        long takenBytes;
        /** {@link #taken} when the connection last looked whether the ring is still used (see {@code ReturnedFrames.usedSinceLastLook}). */
        long takenAtLook;
        /** Padding: the slots reference of the subclass stays off this line. */
        long p20, p21, p22, p23, p24;
    }
}
