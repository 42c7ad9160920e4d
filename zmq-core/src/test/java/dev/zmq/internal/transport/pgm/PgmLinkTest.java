package dev.zmq.internal.transport.pgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A source and receivers joined by a simulated lossy network with a simulated clock: the repair
 * machinery (SPM, NAK, NCF, RDATA) end to end, without sockets or namespaces.
 */
class PgmLinkTest {
    private static final long MS = 1_000_000L;

    private record Packet(byte[] bytes, InetSocketAddress to) {
    }

    private final Random random = new Random(42);
    private final ArrayDeque<Packet> downstream = new ArrayDeque<>();
    private final ArrayDeque<Packet> upstream = new ArrayDeque<>();
    private double loss;
    private long dropped;

    private PgmAddress address() throws Exception {
        var lo = java.net.NetworkInterface.getByName("lo");
        return new PgmAddress(lo, PgmCodecTest.ip("127.0.0.1"), PgmCodecTest.ip("239.192.7.7"), 5555);
    }

    private boolean lossy(ArrayDeque<Packet> queue, byte[] bytes, InetSocketAddress to) {
        if (random.nextDouble() < loss) {
            dropped++;
        } else {
            queue.add(new Packet(bytes, to));
        }
        return true;
    }

    private static Message message(int i) {
        return Message.of("data".getBytes(), Integer.toString(i).getBytes(), new byte[(i * 37) % 3000]);
    }

    /** Runs the network until {@code until} (simulated), delivering every packet 1 ms after it was sent. */
    private long run(long now, long until, PgmSender sender, ArrayDeque<Message> toSend, List<PgmReceiver> receivers) throws Exception {
        long senderWake = 0;
        for (; now < until; now += MS) {
            if (now - senderWake >= 0 || !toSend.isEmpty()) {
                senderWake = sender.run(now, toSend::poll);
            }
            var down = new ArrayList<>(downstream);
            downstream.clear();
            for (var p : down) {
                var packet = PgmCodec.decode(p.bytes(), p.bytes().length);
                for (var r : receivers) {
                    r.onPacket(packet, new InetSocketAddress("127.0.0.1", 40000), now);
                }
            }
            for (var r : receivers) {
                r.run(now);
            }
            var up = new ArrayList<>(upstream);
            upstream.clear();
            for (var p : up) {
                sender.onPacket(PgmCodec.decode(p.bytes(), p.bytes().length));
            }
        }
        return now;
    }

    @Test
    void everyMessageArrivesInOrderThroughTenPercentLoss() throws Exception {
        var address = address();
        var sender = new PgmSender(new Tsi(0x123456789abcL, 40001), address, (b, to) -> lossy(downstream, b, to), 10_000, 10_000, 1500, 0);
        var received = new ArrayList<List<Message>>();
        var receivers = new ArrayList<PgmReceiver>();
        for (int k = 0; k < 3; k++) {
            var got = new ArrayList<Message>();
            received.add(got);
            receivers.add(new PgmReceiver(address, (b, to) -> lossy(upstream, b, to), ReceiveWindow.Timing.libzmq(8192), -1, got::add,
                    new Random(k)));
        }
        var toSend = new ArrayDeque<Message>();
        var sent = new ArrayList<Message>();
        // the receivers hear the first SPM (no loss yet), then 10% of everything is lost, both ways
        run(0, 5 * MS, sender, toSend, receivers);
        loss = 0.10;
        for (int i = 0; i < 2000; i++) {
            sent.add(message(i));
        }
        toSend.addAll(sent);
        run(5 * MS, 20_000 * MS, sender, toSend, receivers);
        assertTrue(dropped > 100, "the network lost " + dropped + " packets");
        assertTrue(sender.stats().rdata > 0 && sender.stats().naks > 0);
        for (int k = 0; k < 3; k++) {
            assertEquals(sent.size(), received.get(k).size(), "receiver " + k + " got everything");
            assertEquals(sent, received.get(k), "in order");
            assertEquals(0, receivers.get(k).stats().losses);
        }
    }

    @Test
    void aLateJoinerStartsWithAWholeMessage() throws Exception {
        var address = address();
        var sender = new PgmSender(new Tsi(7, 40001), address, (b, to) -> lossy(downstream, b, to), 10_000, 10_000, 1500, 0);
        var toSend = new ArrayDeque<Message>();
        var sent = new ArrayList<Message>();
        for (int i = 0; i < 600; i++) {
            sent.add(message(i));
        }
        toSend.addAll(sent);
        long now = run(0, 200 * MS, sender, toSend, List.of());
        var got = new ArrayList<Message>();
        var late = new PgmReceiver(address, (b, to) -> lossy(upstream, b, to), ReceiveWindow.Timing.libzmq(8192), -1, got::add, new Random(3));
        run(now, 5_000 * MS, sender, toSend, List.of(late));
        assertTrue(!got.isEmpty() && got.size() < sent.size(), "joined mid-stream: " + got.size());
        int first = sent.indexOf(got.get(0));
        assertTrue(first > 0, "the first message it got is one of those sent, whole");
        assertEquals(sent.subList(first, sent.size()), got);
        assertEquals(0, sender.stats().naks, "nothing older than its first packet is asked for");
    }

    @Test
    void naksForAnotherGroupOrAddressAreIgnoredAndUnrepairableOnesCounted() throws Exception {
        var address = address();
        var tsi = new Tsi(9, 40001);
        var sender = new PgmSender(tsi, address, (b, to) -> lossy(downstream, b, to), 10_000, 10_000, 1500, 0);
        var toSend = new ArrayDeque<>(List.of(message(1), message(2)));
        run(0, 10 * MS, sender, toSend, List.of());
        downstream.clear();
        sender.onPacket(new PgmPacket.Nak(false, tsi, 5555, new int[] {0}, address.interfaceAddress(), PgmCodecTest.ip("239.1.1.1")));
        sender.onPacket(new PgmPacket.Nak(false, tsi, 5555, new int[] {0}, PgmCodecTest.ip("10.9.9.9"), address.group()));
        sender.onPacket(new PgmPacket.Nak(false, new Tsi(10, 40001), 5555, new int[] {0}, address.interfaceAddress(), address.group()));
        assertEquals(3, sender.stats().ignoredNaks);
        assertTrue(downstream.isEmpty(), "no NCF for them");
        sender.onPacket(new PgmPacket.Nak(false, tsi, 5555, new int[] {0, 99}, address.interfaceAddress(), address.group()));
        assertEquals(1, sender.stats().unrepairable, "99 was never sent");
        var ncf = (PgmPacket.Nak) PgmCodec.decode(downstream.peek().bytes(), downstream.peek().bytes().length);
        assertTrue(ncf.confirm());
        assertEquals(1, ncf.sqns().length);
        sender.run(20 * MS, () -> null);
        var repairs = downstream.stream().map(p -> {
            try {
                return PgmCodec.decode(p.bytes(), p.bytes().length);
            } catch (MalformedPacketException e) {
                throw new AssertionError(e);
            }
        }).filter(p -> p instanceof PgmPacket.Data d && d.repair()).count();
        assertEquals(1, repairs);
    }
}
