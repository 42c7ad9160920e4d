package dev.zmq.internal.transport.pgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The source's SPM schedule: what a receiver needs before it can ask for a repair. */
class PgmSenderTest {
    private static final long MS = 1_000_000L;

    private final List<PgmPacket> sent = new ArrayList<>();

    private PgmSender sender() throws Exception {
        var lo = java.net.NetworkInterface.getByName("lo");
        var address = new PgmAddress(lo, PgmCodecTest.ip("127.0.0.1"), PgmCodecTest.ip("239.192.7.7"), 5555);
        return new PgmSender(new Tsi(0x123456789abcL, 40001), address, (bytes, to) -> {
            try {
                sent.add(PgmCodec.decode(bytes, bytes.length));
            } catch (MalformedPacketException e) {
                throw new AssertionError(e);
            }
            return true;
        }, 10_000, 10_000, 1500, 0);
    }

    /**
     * OpenPGM's receiver (libzmq 4.3.4) learns where to send NAKs only from an SPM, declares a loss
     * unrecoverable when it must NAK before that, and may then never deliver again. With a single
     * SPM before data, losing that one packet (5% in the interop test) was enough: so, as OpenPGM's
     * own sources do, a new source announces itself with three.
     */
    @Test
    void announcesItselfWithThreeSpmsBeforeAnyData() throws Exception {
        var sender = sender();
        var queue = new ArrayDeque<>(List.of(Message.of("hello")));
        sender.run(0, queue::poll);
        assertEquals(4, sent.size(), "three SPMs, then the data: " + sent);
        for (int i = 0; i < 3; i++) {
            var spm = assertInstanceOf(PgmPacket.Spm.class, sent.get(i));
            assertEquals(i, spm.sqn(), "SPM sequence numbers advance, or receivers discard the copies as duplicates");
            assertEquals(-1, spm.lead(), "announced before any data");
            assertEquals(PgmCodecTest.ip("127.0.0.1"), spm.nla());
        }
        assertInstanceOf(PgmPacket.Data.class, sent.get(3));

        // Afterwards heartbeats go one at a time.
        sent.clear();
        sender.run(100 * MS, () -> null);
        assertEquals(1, sent.size(), sent.toString());
        assertEquals(3, assertInstanceOf(PgmPacket.Spm.class, sent.get(0)).sqn());
    }

    @Test
    void anAnnouncementTheKernelRefusesIsCompletedLater() throws Exception {
        var refuse = new boolean[] {true};
        var lo = java.net.NetworkInterface.getByName("lo");
        var address = new PgmAddress(lo, PgmCodecTest.ip("127.0.0.1"), PgmCodecTest.ip("239.192.7.7"), 5555);
        var sender = new PgmSender(new Tsi(1, 40001), address, (bytes, to) -> {
            if (refuse[0]) {
                return false;
            }
            try {
                sent.add(PgmCodec.decode(bytes, bytes.length));
            } catch (MalformedPacketException e) {
                throw new AssertionError(e);
            }
            return true;
        }, 10_000, 10_000, 1500, 0);
        assertEquals(Long.MAX_VALUE, sender.run(0, () -> null), "waits for the socket to be writable");
        assertTrue(sender.blocked());
        refuse[0] = false;
        sender.run(MS, () -> null);
        assertEquals(3, sent.stream().filter(p -> p instanceof PgmPacket.Spm).count(), "the refused SPM and the two after it: " + sent);
    }

    @Test
    void closingSendsThreeFinSpms() throws Exception {
        var sender = sender();
        sender.run(0, () -> null);
        sent.clear();
        sender.finish();
        sender.finish();
        assertEquals(3, sent.size(), sent.toString());
        sent.forEach(p -> assertTrue(assertInstanceOf(PgmPacket.Spm.class, p).fin(), p.toString()));
    }
}
