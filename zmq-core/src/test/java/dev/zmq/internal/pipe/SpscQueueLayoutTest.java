package dev.zmq.internal.pipe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The producer's and the consumer's fields of {@link SpscQueue} are at least a cache line apart in the
 * layout this JVM actually chose. HotSpot (JDK 15 and later) puts a subclass's narrow field into a
 * gap its superclasses left, so one added {@code int} or reference in {@link SpscQueueFields} can move
 * a consumer field onto the producer's line: that happened once and cost pinned inproc 50-60% more
 * CPU with every test still green. This test is the guard.
 */
class SpscQueueLayoutTest {
    private static final int CACHE_LINE = 64;

    @Test
    void producerAndConsumerFieldsAreACacheLineApart() throws Exception {
        var unsafe = unsafe();
        List<Field> producer = declared(SpscQueueFields.Producer.class);
        List<Field> consumer = declared(SpscQueueFields.Consumer.class);
        assertTrue(producer.size() >= 4 && consumer.size() >= 4, "the field sets were found");
        for (Field p : producer) {
            for (Field c : consumer) {
                @SuppressWarnings("deprecation")
                long distance = Math.abs(unsafe.objectFieldOffset(p) - unsafe.objectFieldOffset(c));
                assertTrue(distance >= CACHE_LINE,
                        () -> "SpscQueueFields: producer field " + p.getName() + " and consumer field " + c.getName()
                                + " are " + distance + " bytes apart, less than a cache line: a field added to"
                                + " SpscQueueFields filled a layout gap; keep its fields longs or move the new one");
            }
        }
    }

    private static List<Field> declared(Class<?> type) {
        return List.of(type.getDeclaredFields());
    }

    private static sun.misc.Unsafe unsafe() throws ReflectiveOperationException {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return (sun.misc.Unsafe) f.get(null);
    }
}
