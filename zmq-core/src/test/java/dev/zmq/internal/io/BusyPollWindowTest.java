package dev.zmq.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BusyPollWindowTest {
    private static final long MAX = 40_000;

    @Test
    void startsWithoutPollingAndGrowsWhileIdleSpellsEndWithinTheMaximum() {
        var window = new BusyPollWindow(MAX);
        assertEquals(0, window.nanos(), "a new thread sleeps at once");
        window.slept(30_000);
        assertEquals(10_000, window.nanos(), "first growth: a quarter of the maximum");
        window.slept(25_000);
        assertEquals(20_000, window.nanos());
        window.slept(MAX); // at the bound still counts as caught
        assertEquals(40_000, window.nanos());
        window.slept(1_000);
        assertEquals(MAX, window.nanos(), "never beyond the maximum");
    }

    @Test
    void halvesAfterEachLongSpellDownToNoPolling() {
        var window = new BusyPollWindow(MAX);
        for (int i = 0; i < 3; i++) {
            window.slept(1_000);
        }
        assertEquals(MAX, window.nanos());
        window.slept(MAX + 1);
        assertEquals(20_000, window.nanos());
        window.slept(5_000_000);
        assertEquals(10_000, window.nanos());
        window.slept(5_000_000);
        assertEquals(0, window.nanos(), "below a quarter of the maximum: no polling");
        window.slept(5_000_000);
        assertEquals(0, window.nanos());
    }

    @Test
    void aZeroMaximumNeverPolls() {
        var window = new BusyPollWindow(0);
        window.slept(0);
        window.slept(1);
        assertEquals(0, window.nanos());
    }

    @Test
    void aNegativeMaximumIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BusyPollWindow(-1));
        assertEquals("busy-poll maximum must be 0 or more, got -1", e.getMessage());
    }
}
