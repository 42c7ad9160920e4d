package dev.zmq.internal.transport.pgm;

import dev.zmq.Message;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.function.Supplier;

/**
 * The source side of a PGM session (RFC 3208 section 6) as libzmq's epgm PUB uses it: messages are
 * framed into TSDUs ({@link ApduWriter}), each sent once as ODATA within RATE ({@link TokenBucket})
 * and kept in a {@link TransmitWindow} sized by RATE and RECOVERY_IVL; SPMs announce the window and
 * where NAKs go; each valid NAK is confirmed by an NCF and repaired by RDATA from the window.
 *
 * <p>No I/O and no clock of its own: the session calls {@link #run} with the time whenever
 * something may be due and sleeps until the time it returns.
 */
public final class PgmSender {
    /** libzmq's heartbeat SPM intervals after data (ms); then ambient SPMs every 30 s. */
    private static final long[] HEARTBEAT_MS = {100, 100, 100, 100, 1300, 7000, 16000, 25000, 30000};
    private static final long AMBIENT_MS = 30_000;
    /**
     * SPMs a new source sends at once, and FIN SPMs a closing one sends, as OpenPGM (pgm_connect,
     * pgm_close). A receiver learns where to send NAKs only from an SPM; OpenPGM's receiver
     * (5.3.128, libzmq 4.3.4) declares a packet unrecoverable when it must NAK before it knows,
     * and may then stall for good ("Locking trail at commit window", issue 14). One lost SPM (5%
     * under the tests' loss) must not leave a receiver without our address when data starts.
     */
    static final int ANNOUNCE_SPMS = 3;
    /**
     * Data packets {@link #run} sends before it returns for the session to read what receivers sent
     * meanwhile. A receiver that missed our SPMs asks for one (SPMR) 25 ms after it first hears us,
     * and OpenPGM's declares a loss unrecoverable when its NAK comes due (0-50 ms after the loss)
     * before the SPM arrived. A whole bucket (100 ms of RATE: 85 packets at 10 Mbit/s) took 35 ms
     * to send in a cold JVM, and the SPMR waited behind it; libzmq's sender goes back to its poller
     * after each message.
     */
    static final int BURST = 8;

    private final Tsi tsi;
    private final PgmAddress address;
    private final InetSocketAddress groupTarget;
    private final Datagrams out;
    private final TransmitWindow window;
    private final TokenBucket bucket;
    private final ApduWriter writer;
    private final LinkedHashSet<Integer> repairs = new LinkedHashSet<>();
    /** A TSDU cut from the stream that waits for tokens (it is not in the window yet). */
    private byte[] waitingTsdu;
    /** A packet the kernel did not take; sent again first. */
    private byte[] blockedPacket;
    private InetSocketAddress blockedTarget;
    private int spmSqn;
    /** Announcement SPMs still to send (the first SPM time sends {@link #ANNOUNCE_SPMS}). */
    private int announcing = ANNOUNCE_SPMS;
    private long nextSpm;
    /** Index of the next heartbeat interval; 0 at start, so a new source sends SPMs at 0, 100, 200 ms... */
    private int heartbeat = 0;
    private boolean spmRequested;
    private boolean finished;
    private final Stats stats = new Stats();

    /** Counters, for tests, diagnostics and the socket's statistics: written by the I/O thread only, read by any. */
    public static final class Stats {
        public volatile long odata;
        public volatile long rdata;
        public volatile long spms;
        public volatile long naks;
        public volatile long ignoredNaks;
        public volatile long unrepairable;
    }

    /**
     * @param tsi this source's session id (random GSI and source port, as libzmq picks them)
     * @param address the endpoint's interface, group and port
     * @param out where packets go
     * @param rateKbps RATE
     * @param recoveryIvlMillis RECOVERY_IVL
     * @param maxTpdu the largest PGM packet (libzmq's MULTICAST_MAXTPDU, 1500) including IP and UDP headers
     * @param now the current time in nanoseconds
     */
    public PgmSender(Tsi tsi, PgmAddress address, Datagrams out, int rateKbps, int recoveryIvlMillis, int maxTpdu, long now) {
        this.tsi = tsi;
        this.address = address;
        this.groupTarget = new InetSocketAddress(address.group(), address.port());
        this.out = out;
        this.window = new TransmitWindow(TransmitWindow.sequences(rateKbps, recoveryIvlMillis, maxTpdu));
        // As OpenPGM: the TPDU limit includes the IP header, 40 bytes with IPv6 instead of 20.
        int overhead = address.group() instanceof java.net.Inet6Address ? TokenBucket.IP6_UDP_OVERHEAD : TokenBucket.IP_UDP_OVERHEAD;
        int maxTsdu = maxTpdu - overhead - PgmCodec.HEADER - PgmCodec.DATA_HEADER;
        this.writer = new ApduWriter(maxTsdu);
        this.bucket = TokenBucket.forRate(rateKbps, maxTpdu, now, overhead);
        this.nextSpm = now; // an SPM first, so receivers learn where to send NAKs before data is lost
    }

    public Tsi tsi() {
        return tsi;
    }

    public Stats stats() {
        return stats;
    }

    /** Whether everything handed over was sent (repairs aside) and nothing waits for the kernel. */
    public boolean idle() {
        return waitingTsdu == null && writer.pending() == 0 && blockedPacket == null;
    }

    /** Whether a packet waits for the kernel to take it (the session should watch for writability). */
    public boolean blocked() {
        return blockedPacket != null;
    }

    /**
     * Sends what is due at {@code now}: a packet the kernel refused before, SPMs, repairs, then new
     * data taken from {@code messages} (null when none is ready), at most {@link #BURST} packets of
     * it. Returns when to call again (nanoseconds): {@code now} itself when it stopped at that limit
     * (the session reads the NAKs and SPM requests that came meanwhile, then calls again at once),
     * or {@code Long.MAX_VALUE} when only new messages or packets can give work.
     */
    public long run(long now, Supplier<Message> messages) {
        if (blockedPacket != null) {
            if (!out.send(blockedPacket, blockedTarget)) {
                return Long.MAX_VALUE; // the session waits for writability
            }
            blockedPacket = null;
        }
        if (spmRequested || nextSpm - now <= 0) {
            spmRequested = false;
            int spms = Math.max(1, announcing);
            announcing = 0;
            for (int i = 0; i < spms; i++) {
                if (!sendSpm(false)) {
                    announcing = spms - i - 1; // the refused one waits in blockedPacket; the rest follow
                    return Long.MAX_VALUE;
                }
            }
            nextSpm = now + 1_000_000L * (heartbeat < HEARTBEAT_MS.length ? HEARTBEAT_MS[heartbeat++] : AMBIENT_MS);
        }
        long wake = nextSpm;
        while (!repairs.isEmpty()) {
            int sqn = repairs.iterator().next();
            var tsdu = window.get(sqn);
            if (tsdu == null) {
                repairs.remove(sqn);
                stats.unrepairable++;
                continue;
            }
            var packet = PgmCodec.encode(new PgmPacket.Data(tsi, address.port(), true, sqn, window.trail(), tsdu, null));
            if (!bucket.tryTake(packet.length, now)) {
                return Math.min(wake, now + bucket.nanosUntil(packet.length, now));
            }
            repairs.remove(sqn);
            stats.rdata++;
            if (!transmit(packet, groupTarget)) {
                return Long.MAX_VALUE;
            }
        }
        boolean sentData = false;
        int burst = 0;
        while (true) {
            if (waitingTsdu == null) {
                while (writer.wantsMore()) {
                    var m = messages == null ? null : messages.get();
                    if (m == null) {
                        break;
                    }
                    writer.add(m);
                }
                waitingTsdu = writer.next();
                if (waitingTsdu == null) {
                    break;
                }
            }
            int size = PgmCodec.HEADER + PgmCodec.DATA_HEADER + waitingTsdu.length;
            if (!bucket.tryTake(size, now)) {
                wake = Math.min(wake, now + bucket.nanosUntil(size, now));
                break;
            }
            int sqn = window.append(waitingTsdu);
            var packet = PgmCodec.encode(new PgmPacket.Data(tsi, address.port(), false, sqn, window.trail(), waitingTsdu, null));
            waitingTsdu = null;
            stats.odata++;
            sentData = true;
            if (!transmit(packet, groupTarget)) {
                wake = Long.MAX_VALUE;
                break;
            }
            if (++burst == BURST) {
                wake = now; // more may be due: the session reads its socket first
                break;
            }
        }
        if (sentData) {
            // Heartbeat SPMs tell receivers the new lead, so a lost last packet is found and NAKed.
            // Unlike OpenPGM, which postpones the heartbeat on every packet (a steady stream then
            // carries no SPM until the 30 s ambient one), an SPM goes at least every 100 ms while
            // data flows, so a receiver that missed the first SPMs soon learns where to send NAKs.
            heartbeat = 1;
            if (nextSpm - now > 1_000_000L * HEARTBEAT_MS[0]) {
                nextSpm = now + 1_000_000L * HEARTBEAT_MS[0];
            }
            wake = Math.min(wake, nextSpm);
        }
        return wake;
    }

    /** Sends SPMs with OPT_FIN: the session ends (three, as OpenPGM on close, so one lost does not matter). */
    public void finish() {
        if (!finished) {
            finished = true;
            for (int i = 0; i < ANNOUNCE_SPMS && sendSpm(true); i++) {
                // a refused one ends the flush: the socket is closing
            }
        }
    }

    /** A packet arrived on the source's socket: NAKs and SPM requests for this session are served. */
    public void onPacket(PgmPacket packet) {
        if (packet instanceof PgmPacket.Nak nak && !nak.confirm()) {
            onNak(nak);
        } else if (packet instanceof PgmPacket.Spmr spmr && spmr.source().equals(tsi) && spmr.dataPort() == address.port()) {
            spmRequested = true;
        }
    }

    private void onNak(PgmPacket.Nak nak) {
        // As OpenPGM's source: a NAK must name this session, our address and our group.
        if (!nak.source().equals(tsi) || nak.dataPort() != address.port() || !nak.sourceNla().equals(address.interfaceAddress())
                || !nak.groupNla().equals(address.group())) {
            stats.ignoredNaks++;
            return;
        }
        stats.naks++;
        // A loop, not a stream and a lambda: the first NAK must not wait for classes to be spun.
        var sqns = nak.sqns();
        var held = new int[sqns.length];
        int count = 0;
        for (int s : sqns) {
            if (window.get(s) != null) {
                held[count++] = s;
            } else {
                stats.unrepairable++;
            }
        }
        if (count == 0) {
            return; // gone from the window: the receiver learns it from the trail in SPMs and data
        }
        var confirmed = count == held.length ? held : Arrays.copyOf(held, count);
        transmit(PgmCodec.encode(new PgmPacket.Nak(true, tsi, address.port(), confirmed, address.interfaceAddress(), address.group())),
                groupTarget);
        for (int s : confirmed) {
            repairs.add(s);
        }
    }

    private boolean sendSpm(boolean fin) {
        stats.spms++;
        var spm = new PgmPacket.Spm(tsi, address.port(), spmSqn++, window.trail(), window.lead(), address.interfaceAddress(), fin);
        return transmit(PgmCodec.encode(spm), groupTarget);
    }

    private boolean transmit(byte[] packet, InetSocketAddress to) {
        if (blockedPacket != null) {
            return false;
        }
        if (out.send(packet, to)) {
            return true;
        }
        blockedPacket = packet;
        blockedTarget = to;
        return false;
    }
}
