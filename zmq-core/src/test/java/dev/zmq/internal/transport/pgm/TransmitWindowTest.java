package dev.zmq.internal.transport.pgm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

class TransmitWindowTest {

    @Test
    void sizedAsLibzmqSizesOpenPgmsWindow() {
        assertEquals(80, TransmitWindow.sequences(100, 10_000, 1500), "defaults: 12 B/ms x 10 s / 1500");
        assertEquals(8333, TransmitWindow.sequences(10_000, 10_000, 1500));
        assertEquals(1, TransmitWindow.sequences(100, 0, 1500), "at least one packet");
    }

    @Test
    void keepsTheLastCapacityPacketsAndForgetsOlderOnes() {
        var w = new TransmitWindow(3);
        assertEquals(-1, w.lead());
        assertEquals(0, w.trail());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, w.append(new byte[] {(byte) i}));
        }
        assertEquals(4, w.lead());
        assertEquals(2, w.trail());
        assertNull(w.get(1), "forgotten");
        assertArrayEquals(new byte[] {2}, w.get(2));
        assertArrayEquals(new byte[] {4}, w.get(4));
        assertNull(w.get(5), "not sent yet");
    }

    @Test
    void sequenceNumbersWrapAround() throws Exception {
        var w = new TransmitWindow(5);
        set(w, "lead", Integer.MAX_VALUE - 1);
        set(w, "trail", Integer.MAX_VALUE);
        for (int i = 0; i < 4; i++) {
            w.append(new byte[] {(byte) i});
        }
        assertEquals(Integer.MIN_VALUE + 2, w.lead());
        assertArrayEquals(new byte[] {0}, w.get(Integer.MAX_VALUE));
        assertArrayEquals(new byte[] {1}, w.get(Integer.MIN_VALUE));
        assertArrayEquals(new byte[] {3}, w.get(Integer.MIN_VALUE + 2));
        set(w, "lead", -2); // and from 0xFFFFFFFF to 0
        set(w, "trail", -1);
        w.append(new byte[] {7});
        w.append(new byte[] {8});
        assertArrayEquals(new byte[] {7}, w.get(-1));
        assertArrayEquals(new byte[] {8}, w.get(0));
    }

    private static void set(TransmitWindow w, String name, int value) throws Exception {
        Field f = TransmitWindow.class.getDeclaredField(name);
        f.setAccessible(true);
        f.setInt(w, value);
    }
}
