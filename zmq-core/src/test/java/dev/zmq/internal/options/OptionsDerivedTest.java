package dev.zmq.internal.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Values derived from a socket's options are computed once, and again after any option is set. */
class OptionsDerivedTest {
    @Test
    void aDerivedValueIsComputedOnceUntilAnOptionIsSet() {
        var options = new Options(SocketType.PULL);
        var key = new Object();
        var computed = new AtomicInteger();
        assertEquals(1, (int) options.derived(key, computed::incrementAndGet));
        assertEquals(1, (int) options.derived(key, computed::incrementAndGet), "cached");
        assertEquals(2, (int) options.derived(new Object(), computed::incrementAndGet), "another name, another value");
        options.set(SocketOption.SNDHWM, 5);
        assertEquals(3, (int) options.derived(key, computed::incrementAndGet), "derived again after a set");
        assertEquals(3, computed.get());
    }
}
