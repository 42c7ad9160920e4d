package dev.zmq.internal.transport.pgm;

import dev.zmq.Message;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The receiver side of a PGM session as libzmq's epgm SUB uses it: one stream per source (TSI),
 * each with a {@link ReceiveWindow} that NAKs gaps to the source's NLA (learnt from its SPMs) and an
 * {@link ApduReader} that joins the stream at a message boundary and again after any loss.
 *
 * <p>No I/O and no clock of its own: the session feeds it packets and calls {@link #run} when the
 * time it returned has come.
 */
public final class PgmReceiver {
    /** A source silent this long is forgotten (libzmq's PGM_PEER_EXPIRY: 300 s). */
    static final long PEER_EXPIRY_NANOS = 300_000_000_000L;
    /** The most sources followed at once; packets from more (a flood of forged GSIs) are dropped and counted. */
    static final int MAX_PEERS = 1024;

    private final PgmAddress address;
    private final Datagrams out;
    private final ReceiveWindow.Timing timing;
    private final long maxMessageSize;
    private final Consumer<Message> sink;
    private final RandomGenerator random;
    private final Map<Tsi, Peer> peers = new HashMap<>();
    private long nextExpiryCheck;
    private final Stats stats = new Stats();

    /** Counters, for tests and diagnostics. */
    public static final class Stats {
        public long data;
        public long repairs;
        public long naksSent;
        public long losses;
        public long malformed;
        public long refusedSources;
    }

    private final class Peer {
        final Tsi tsi;
        final ReceiveWindow window;
        final ApduReader reader;
        /** Where NAKs go: the SPM's NLA, or the packets' source until an SPM came. */
        Inet4Address nla;
        long lastHeard;

        Peer(Tsi tsi, Inet4Address from, long now) {
            this.tsi = tsi;
            this.nla = from;
            this.lastHeard = now;
            this.reader = new ApduReader(sink, maxMessageSize);
            this.window = new ReceiveWindow(timing, new ReceiveWindow.Listener() {
                @Override
                public void deliver(byte[] tsdu) {
                    reader.accept(tsdu);
                }

                @Override
                public void lost() {
                    stats.losses++;
                    reader.lost();
                }
            }, random);
        }
    }

    public PgmReceiver(PgmAddress address, Datagrams out, ReceiveWindow.Timing timing, long maxMessageSize, Consumer<Message> sink,
            RandomGenerator random) {
        this.address = address;
        this.out = out;
        this.timing = timing;
        this.maxMessageSize = maxMessageSize;
        this.sink = sink;
        this.random = random;
    }

    public Stats stats() {
        return stats;
    }

    /** Sources heard from. */
    public int peerCount() {
        return peers.size();
    }

    /** A packet from {@code from} (the UDP source address). */
    public void onPacket(PgmPacket packet, InetSocketAddress from, long now) {
        if (packet instanceof PgmPacket.Data d) {
            if (d.dataPort() != address.port()) {
                return;
            }
            if (d.fragment() != null) {
                // libzmq's senders never fragment (each TSDU fits one packet); an APDU spread over
                // several packets cannot be one of libzmq's framed TSDUs, so it counts as lost.
                stats.malformed++;
                return;
            }
            var peer = peer(d.source(), from, now);
            if (peer == null) {
                return;
            }
            stats.data++;
            if (d.repair()) {
                stats.repairs++;
            }
            peer.window.onData(d.sqn(), d.trail(), d.tsdu(), now);
        } else if (packet instanceof PgmPacket.Spm s) {
            if (s.dataPort() != address.port()) {
                return;
            }
            var peer = peer(s.source(), from, now);
            if (peer == null) {
                return;
            }
            peer.nla = s.nla();
            peer.window.onSpm(s.lead(), s.trail(), now);
            if (s.fin()) {
                peers.remove(s.source());
            }
        } else if (packet instanceof PgmPacket.Nak n && n.confirm() && n.dataPort() == address.port()) {
            var peer = peers.get(n.source());
            if (peer != null) {
                peer.lastHeard = now;
                for (int sqn : n.sqns()) {
                    peer.window.onNcf(sqn, now);
                }
            }
        }
    }

    /** Sends the NAKs due at {@code now}; returns when to call again, or {@code Long.MAX_VALUE}. */
    public long run(long now) {
        long wake = Long.MAX_VALUE;
        for (var peer : peers.values()) {
            var due = peer.window.dueNaks(now);
            for (int i = 0; i < due.size(); i += PgmPacket.Nak.MAX_SQNS) {
                var sqns = due.subList(i, Math.min(due.size(), i + PgmPacket.Nak.MAX_SQNS)).stream().mapToInt(Integer::intValue).toArray();
                var nak = new PgmPacket.Nak(false, peer.tsi, address.port(), sqns, peer.nla, address.group());
                // A NAK that cannot go now is like a lost one: the repair timers send it again.
                out.send(PgmCodec.encode(nak), new InetSocketAddress(peer.nla, address.port()));
                stats.naksSent++;
            }
            long next = peer.window.nextDeadline(now);
            if (next != Long.MAX_VALUE && (wake == Long.MAX_VALUE || next - wake < 0)) {
                wake = next;
            }
        }
        if (now - nextExpiryCheck >= 0) {
            nextExpiryCheck = now + PEER_EXPIRY_NANOS / 10;
            peers.values().removeIf(p -> now - p.lastHeard > PEER_EXPIRY_NANOS);
        }
        return wake;
    }

    private Peer peer(Tsi tsi, InetSocketAddress from, long now) {
        var peer = peers.get(tsi);
        if (peer == null) {
            if (peers.size() >= MAX_PEERS) {
                stats.refusedSources++;
                return null;
            }
            var source = from != null && from.getAddress() instanceof Inet4Address a ? a : address.interfaceAddress();
            peer = new Peer(tsi, source, now);
            peers.put(tsi, peer);
        }
        peer.lastHeard = now;
        return peer;
    }

    @Override
    public String toString() {
        return "PgmReceiver" + Arrays.toString(peers.keySet().toArray());
    }
}
