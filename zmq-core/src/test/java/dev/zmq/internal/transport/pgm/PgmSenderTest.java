package dev.zmq.internal.transport.pgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * A burst stops every {@link PgmSender#BURST} packets for the session to read its socket: an SPM
     * request that came meanwhile is answered before more data, not after a whole bucket (85
     * packets at 10 Mbit/s, 35 ms in a cold JVM, longer than OpenPGM's receiver waits for it).
     */
    @Test
    void anSpmRequestDuringABurstIsAnsweredBeforeMoreData() throws Exception {
        var sender = sender();
        var queue = new ArrayDeque<Message>();
        for (int i = 0; i < 60; i++) {
            queue.add(Message.of(new byte[1400]));
        }
        assertEquals(0, sender.run(0, queue::poll), "stopped at the burst limit: call again at once");
        assertEquals(3 + PgmSender.BURST, sent.size(), "three SPMs, then one burst of data: " + sent.size());
        sent.clear();
        sender.onPacket(new PgmPacket.Spmr(new Tsi(0x123456789abcL, 40001), 5555));
        sender.run(0, queue::poll);
        assertInstanceOf(PgmPacket.Spm.class, sent.get(0), "the SPM first: " + sent.get(0));
        assertEquals(1 + PgmSender.BURST, sent.size());
        long wake = 0;
        for (int i = 0; i < 20 && wake == 0; i++) {
            wake = sender.run(0, queue::poll);
        }
        assertTrue(queue.isEmpty() && wake > 0, "the rest went out in bursts, then the next call is for the heartbeat: " + wake);
        assertTrue(sent.stream().skip(1).allMatch(p -> p instanceof PgmPacket.Data), "the SPM, then data only: " + sent.size());
    }

    /**
     * A receiver that missed the announcing SPMs asks for one (SPMR) 25 ms after it first hears the
     * source, and OpenPGM's receiver (libzmq 4.3.4) declares a loss unrecoverable when its NAK comes
     * due (0-50 ms after the loss) before it knows where to send it; its window then stalls for good
     * ("Locking trail at commit window"). Our source answered that SPMR 22-67 ms late (packet
     * captures): the first Tsi.equals, a record's invokedynamic equals, spun
     * java.lang.runtime.ObjectMethods and ~70 LambdaForm classes first. In a fresh JVM that has sent
     * data already, the first SPMR and the first NAK are answered without spinning a class.
     */
    @Test
    void answersTheFirstSpmrAndNakWithoutSpinningClasses(@TempDir Path dir) throws Exception {
        var log = dir.resolve("classes.log");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(java, "-Xlog:class+load=info:file=" + log + ":none", "-cp", System.getProperty("java.class.path"),
                FirstRepairProbe.class.getName()).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output);
        assertEquals("SPM NCF RDATA", output.strip(), "the SPMR answered by an SPM, the NAK by an NCF and the repair");
        var loaded = Files.readAllLines(log).stream().map(l -> l.split(" ")[0]).toList();
        int begin = loaded.indexOf(FirstRepairProbe.Begin.class.getName());
        int end = loaded.indexOf(FirstRepairProbe.End.class.getName());
        assertTrue(begin >= 0 && end > begin, "both marks in the class log: " + loaded.size() + " classes");
        var spun = loaded.subList(begin + 1, end).stream().filter(c -> c.startsWith("java.lang.invoke.") || c.startsWith("java.lang.runtime.")
                || c.startsWith("java.util.stream.") || c.contains("$$Lambda")).toList();
        assertEquals(List.of(), spun, "classes loaded while answering the first SPMR and NAK: " + loaded.subList(begin + 1, end));
    }

    /** Run in a child JVM by the test above: sends data, then answers an SPMR and a NAK between two marker classes. */
    static final class FirstRepairProbe {
        static final class Begin {
        }

        static final class End {
        }

        public static void main(String[] args) throws Exception {
            var lo = java.net.NetworkInterface.getByName("lo");
            var address = new PgmAddress(lo, java.net.InetAddress.getByName("127.0.0.1"), java.net.InetAddress.getByName("239.192.7.7"), 5555);
            var tsi = new Tsi(0x123456789abcL, 40001);
            var sent = new ArrayList<byte[]>();
            var sender = new PgmSender(tsi, address, (bytes, to) -> sent.add(bytes), 10_000, 10_000, 1500, 0);
            var queue = new ArrayDeque<>(List.of(Message.of("hello"), Message.of("world")));
            sender.run(0, queue::poll);
            // What arrives from a receiver, as the session reads it: bytes it decodes.
            var spmr = PgmCodec.encode(new PgmPacket.Spmr(new Tsi(tsi.gsi(), tsi.sourcePort()), 5555));
            var nak = PgmCodec.encode(new PgmPacket.Nak(false, new Tsi(tsi.gsi(), tsi.sourcePort()), 5555, new int[] {0},
                    address.interfaceAddress(), address.group()));
            java.util.function.Supplier<Message> none = () -> null;
            sent.clear();
            new Begin();
            sender.onPacket(PgmCodec.decode(spmr, spmr.length));
            sender.run(MS, none);
            sender.onPacket(PgmCodec.decode(nak, nak.length));
            sender.run(2 * MS, none);
            new End();
            var kinds = new StringBuilder();
            for (var packet : sent) {
                var p = PgmCodec.decode(packet, packet.length);
                kinds.append(kinds.length() == 0 ? "" : " ").append(p instanceof PgmPacket.Spm ? "SPM"
                        : p instanceof PgmPacket.Nak n && n.confirm() ? "NCF" : p instanceof PgmPacket.Data d && d.repair() ? "RDATA" : p.toString());
            }
            System.out.println(kinds);
        }
    }
}
