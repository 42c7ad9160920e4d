package dev.zmq.internal.transport.pgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReceiveWindowTest {
    private static final long MS = 1_000_000L;
    private final List<String> events = new ArrayList<>();
    private final ReceiveWindow.Timing timing = new ReceiveWindow.Timing(50 * MS, 200 * MS, 200 * MS, 2, 2, 100);
    private final ReceiveWindow window = new ReceiveWindow(timing, new ReceiveWindow.Listener() {
        @Override
        public void deliver(byte[] tsdu) {
            events.add("d" + tsdu[0]);
        }

        @Override
        public void lost() {
            events.add("lost");
        }
    }, new Random(1));

    private void data(int sqn, int trail, long now) {
        window.onData(sqn, trail, new byte[] {(byte) sqn}, now);
    }

    @Test
    void deliversInOrderStartingAtTheFirstPacketHeard() {
        data(10, 0, 0);
        data(11, 0, 0);
        assertEquals(List.of("d10", "d11"), events, "a late joiner does not ask for 0..9");
        assertTrue(window.dueNaks(10_000 * MS).isEmpty());
        data(11, 0, 0);
        data(3, 0, 0);
        assertEquals(2, window.duplicates());
        assertEquals(List.of("d10", "d11"), events);
    }

    @Test
    void aGapIsNakedAfterTheBackoffAndFilledByTheRepair() {
        data(0, 0, 0);
        data(3, 0, 0);
        assertEquals(List.of("d0"), events, "1 and 2 are missing: 3 waits");
        assertTrue(window.isMissing(1) && window.isMissing(2));
        assertTrue(window.dueNaks(0).size() <= 2);
        assertEquals(List.of(1, 2), window.dueNaks(50 * MS), "both NAKed by the end of the back-off");
        assertTrue(window.dueNaks(60 * MS).isEmpty(), "then waiting for an NCF");
        window.onNcf(1, 70 * MS);
        window.onNcf(2, 70 * MS);
        assertTrue(window.dueNaks(260 * MS).isEmpty(), "confirmed: waiting for RDATA until 270 ms");
        data(2, 0, 100 * MS);
        data(1, 0, 110 * MS);
        assertEquals(List.of("d0", "d1", "d2", "d3"), events);
        assertEquals(0, window.missingCount());
        assertEquals(Long.MAX_VALUE, window.nextDeadline(110 * MS));
    }

    @Test
    void aNakWithoutNcfIsRepeatedThenGivenUp() {
        data(0, 0, 0);
        data(2, 0, 0);
        long t = 0;
        int naks = 0;
        for (int i = 0; i < 100 && window.missingCount() > 0; i++) {
            t = Math.max(t, window.nextDeadline(t));
            naks += window.dueNaks(t).size();
        }
        assertEquals(3, naks, "the first NAK and two retries (NAK_NCF_RETRIES = 2)");
        assertEquals(List.of("d0", "lost", "d2"), events, "then the hole is reported and the stream goes on");
        assertEquals(1, window.lostCount());
    }

    @Test
    void theSourcesTrailPassingAGapMeansItIsLost() {
        data(0, 0, 0);
        data(2, 0, 0);
        data(3, 0, 0);
        assertTrue(window.isMissing(1));
        data(4, 2, 0); // the source no longer holds 0 and 1
        assertEquals(List.of("d0", "lost", "d2", "d3", "d4"), events);
    }

    @Test
    void spmsRevealLostPacketsAtTheEndOfAStream() {
        window.onSpm(-1, 0, 0);
        data(0, 0, 0);
        assertEquals(List.of("d0"), events);
        window.onSpm(2, 0, 0); // 1 and 2 were sent, and lost
        assertTrue(window.isMissing(1) && window.isMissing(2));
        assertEquals(List.of(1, 2), window.dueNaks(50 * MS));
        assertFalse(window.isMissing(3));
    }

    @Test
    void aJumpBeyondTheWindowGivesUpWhatCannotBeHeld() {
        data(0, 0, 0);
        data(150, 0, 0); // the window holds 100 sequence numbers
        assertTrue(events.contains("lost"));
        assertFalse(window.isMissing(10), "too old to wait for");
        assertTrue(window.isMissing(100));
        data(1_000_000, 0, 0);
        assertEquals(1_000_001, window.next(), "far beyond: start over there");
    }
}
