package dev.zmq.internal.pipe;

/**
 * The fields of {@link SpscQueue}, padded apart: HotSpot lays out a superclass's fields before its
 * subclass's, so each level of this hierarchy starts a new block. The producer's fields, the
 * consumer's fields and everything else sit 64+ bytes apart, so the producer counting an element
 * does not evict the line the consumer is reading from (and vice versa). The padding fields are
 * never read. Keep the fields longs and references where they are: HotSpot fills a superclass's
 * 4-byte gap with a subclass's narrow field, so an added {@code int} can put a consumer field on the
 * producer's line ({@code SpscQueueLayoutTest} checks the layout the JVM chose).
 */
@SuppressWarnings("unused")
final class SpscQueueFields {
    private SpscQueueFields() {
    }

    abstract static class Pad0 {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /** Producer-owned; {@link #published} is read by the consumer when it runs out of visible elements. */
    abstract static class Producer extends Pad0 {
        SpscQueue.Chunk tail;
        long written;
        /**
         * The consumer's {@code consumed} as the producer last read it: kept here, on the producer's
         * lines, so that refreshing it never writes to a line the consumer reads.
         */
        long consumedSeen;
        /** How many elements the producer made visible. Volatile: pairs with the pipe's sleep flags (Dekker). */
        volatile long published;
        /** Chunks in the ring (a long, not an int: see the class comment). */
        long ring;
    }

    abstract static class Pad1 extends Producer {
        long p10, p11, p12, p13, p14, p15, p16, p17;
    }

    /** Consumer-owned; {@link #consumed} is read by the producer when it looks for room. */
    abstract static class Consumer extends Pad1 {
        SpscQueue.Chunk head;
        long read;
        /** The consumer's copy of {@link #published}: reads below it need no volatile access. */
        long visible;
        /** How many elements the consumer took and reported. Volatile, for the same reason. */
        volatile long consumed;
    }

    abstract static class Padded extends Consumer {
        long p20, p21, p22, p23, p24, p25, p26, p27;
    }
}
