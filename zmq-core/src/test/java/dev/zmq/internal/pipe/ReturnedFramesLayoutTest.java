package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * As {@link SpscQueueLayoutTest} for {@link ReturnedFrames}: the producer's and the consumer's
 * counters, and the consumer's counters and the slots reference both sides read, are at least a
 * cache line apart in the layout this JVM chose. The counters are ints, and HotSpot puts a
 * subclass's int into a 4-byte gap its superclasses left: without the padding int of
 * {@link ReturnedFramesFields.Pad0} the consumer's first counter sat 4 bytes after the producer's last.
 */
class ReturnedFramesLayoutTest {
    private static final int CACHE_LINE = 64;

    @Test
    void producerConsumerAndSlotsAreACacheLineApart() throws Exception {
        List<Field> producer = List.of(ReturnedFramesFields.Producer.class.getDeclaredFields());
        List<Field> consumer = List.of(ReturnedFramesFields.Consumer.class.getDeclaredFields());
        assertTrue(producer.size() >= 4 && consumer.size() >= 4, "the field sets were found");
        for (Field c : consumer) {
            for (Field p : producer) {
                assertApart(p, c);
            }
            assertApart(c, ReturnedFrames.class.getDeclaredField("slots"));
        }
    }

    @SuppressWarnings("deprecation")
    private static void assertApart(Field a, Field b) throws ReflectiveOperationException {
        var unsafe = unsafe();
        long distance = Math.abs(unsafe.objectFieldOffset(a) - unsafe.objectFieldOffset(b));
        assertTrue(distance >= CACHE_LINE, () -> "ReturnedFramesFields: " + a.getName() + " and " + b.getName() + " are "
                + distance + " bytes apart, less than a cache line: a field filled a layout gap");
    }

    private static sun.misc.Unsafe unsafe() throws ReflectiveOperationException {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return (sun.misc.Unsafe) f.get(null);
    }
}
