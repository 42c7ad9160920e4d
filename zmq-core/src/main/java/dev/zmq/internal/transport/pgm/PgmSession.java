package dev.zmq.internal.transport.pgm;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.Frames;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.session.DatagramSession;
import dev.zmq.internal.session.SessionHost;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * An epgm endpoint of a PUB/XPUB (a PGM source) or SUB/XSUB (a PGM receiver) socket: one UDP
 * socket on the endpoint's port, driven on one I/O thread. Like libzmq, an epgm endpoint is the
 * same whether bound or connected, and the session stands for every peer on the group at once.
 *
 * <p>Sockets: a source binds the interface address and port, so receivers' unicast NAKs (sent to
 * that address and port, as OpenPGM sends them) reach it rather than a receiver on the same host; a
 * receiver binds the group address and port, so it gets the group's traffic and never takes a
 * unicast NAK meant for a source, and sends its NAKs from a second socket on an ephemeral port.
 * Both set SO_REUSEPORT, which OpenPGM sets, so libzmq and this transport share the port.
 */
public final class PgmSession extends DatagramSession {
    private static final System.Logger LOG = System.getLogger(PgmSession.class.getName());
    /** libzmq's default ZMQ_MULTICAST_MAXTPDU: the largest PGM packet, IP header included. */
    static final int MAX_TPDU = 1500;

    private final PgmAddress address;
    private final boolean source;
    /** Where a receiver sends NAKs from; the source sends on {@link #channel}. */
    private final DatagramChannel sendChannel;
    private final PgmSender sender;
    private final PgmReceiver receiver;
    private final Supplier<Message> nextMessage = this::nextMessage;
    private IoThread.Timer timer;
    private long timerAt;
    /** The receiver's loss count when the monitors were last told. */
    private long reportedLosses;

    private PgmSession(SessionHost socket, IoThread io, String endpoint, PgmAddress address, boolean source,
            DatagramChannel channel, DatagramChannel sendChannel) {
        super(socket, io, LOG, "epgm", endpoint, channel);
        this.address = address;
        this.source = source;
        this.sendChannel = sendChannel;
        var options = socket.options();
        long now = System.nanoTime();
        if (source) {
            // As libzmq: a random GSI for each socket, and a random source port different from the data port.
            var random = new SecureRandom();
            int sport;
            do {
                sport = random.nextInt(1, 65536);
            } while (sport == address.port());
            var tsi = new Tsi(random.nextLong() & 0xFFFF_FFFF_FFFFL, sport);
            this.sender = new PgmSender(tsi, address, this::sendDatagram, options.integer(SocketOption.RATE),
                    options.integer(SocketOption.RECOVERY_IVL), MAX_TPDU, now);
            this.receiver = null;
        } else {
            int sqns = TransmitWindow.sequences(options.integer(SocketOption.RATE), options.integer(SocketOption.RECOVERY_IVL), MAX_TPDU);
            // The receive window holds at least what a libzmq source at RATE can repair, and no
            // less than a few thousand packets so a faster source is not cut short.
            this.receiver = new PgmReceiver(address, this::sendDatagram, ReceiveWindow.Timing.libzmq(Math.max(sqns, 4096)),
                    options.get(SocketOption.MAXMSGSIZE), batch::add, ThreadLocalRandom.current());
            this.sender = null;
        }
    }

    /**
     * Opens the UDP sockets of an epgm endpoint for {@code socket} now, so address problems reach
     * the caller, and starts the session on {@code io}. PUB and XPUB become sources, SUB and XSUB
     * receivers; other types get ENOCOMPATPROTO, as in libzmq.
     */
    public static PgmSession open(SessionHost socket, IoThread io, String endpoint, String addressText) {
        var type = socket.type();
        boolean source = type == SocketType.PUB || type == SocketType.XPUB;
        if (!source && type != SocketType.SUB && type != SocketType.XSUB) {
            throw new ZmqException(ZmqError.ENOCOMPATPROTO, "epgm carries PUB, XPUB, SUB and XSUB sockets only, not " + type
                    + " (endpoint '" + endpoint + "')");
        }
        var address = PgmAddress.parse(addressText);
        var options = socket.options();
        DatagramChannel channel = null;
        DatagramChannel sendChannel = null;
        try {
            var family = address.group() instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
            channel = DatagramChannel.open(family);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            // Multicast arrives in bursts the application cannot slow down; a source takes NAKs.
            applyBuffers(channel, options.integer(SocketOption.SNDBUF), options.integer(SocketOption.RCVBUF), true);
            if (source) {
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, address.nic());
                channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, options.integer(SocketOption.MULTICAST_HOPS));
                // libzmq 4.3 turns multicast loopback off for PGM whatever MULTICAST_LOOP says
                // (that option is for udp://); receivers on the loopback interface still hear it.
                channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
                channel.bind(new InetSocketAddress(address.interfaceAddress(), address.port()));
                sendChannel = channel;
            } else {
                channel.bind(new InetSocketAddress(address.group(), address.port()));
                channel.join(address.group(), address.nic());
                sendChannel = DatagramChannel.open(family);
                sendChannel.bind(new InetSocketAddress(address.interfaceAddress(), 0));
            }
            channel.configureBlocking(false);
            sendChannel.configureBlocking(false);
        } catch (BindException e) {
            closeQuietly(channel);
            closeQuietly(sendChannel);
            throw new ZmqException(ZmqError.EADDRINUSE, "cannot open epgm endpoint '" + endpoint + "': " + e.getMessage()
                    + " (another socket holds the port without SO_REUSEPORT?)", e);
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(channel);
            closeQuietly(sendChannel);
            throw new ZmqException(ZmqError.EINVAL, "cannot open epgm endpoint '" + endpoint + "': " + e.getMessage(), e);
        }
        var session = new PgmSession(socket, io, endpoint, address, source, channel, sendChannel);
        return session;
    }

    /** Starts the session on its I/O thread. */
    @Override
    public void start() {
        io.execute(this::begin);
    }

    private void begin() {
        if (terminated) {
            return;
        }
        if (!register(SelectionKey.OP_READ)) {
            return;
        }
        pipe = attachNewPipe(source ? SocketType.SUB : SocketType.PUB, null);
        if (pipe == null) {
            terminate();
            return;
        }
        if (source) {
            // As libzmq's pgm_sender: PGM carries no subscriptions upstream, so the publisher
            // sends everything and subscribers filter.
            var all = new ArrayList<Message>(List.of(Frames.wrap(new byte[][] {{1}})));
            pipe.pushIn(all);
        }
        pump();
    }

    // ---- pipe side ----------------------------------------------------------------------------

    private Message nextMessage() {
        if (drained.isEmpty() && pipe != null) {
            pipe.drainOut(drained, 256);
        }
        return drained.poll();
    }

    /** Does what is due now: sends (source) or NAKs (receiver), then sleeps until the next thing is due. */
    @Override
    protected void pump() {
        if (terminated || key == null) {
            return;
        }
        long now = System.nanoTime();
        long wake;
        if (source) {
            wake = sender.run(now, nextMessage);
            while (wake == now) {
                // A burst cut at PgmSender.BURST packets: NAKs and SPM requests go before more data.
                onReadable();
                now = System.nanoTime();
                wake = sender.run(now, nextMessage);
            }
        } else {
            // Subscriptions have nowhere to go over PGM: the subscriber filters (as libzmq).
            while (nextMessage() != null) {
                drained.clear();
            }
            wake = receiver.run(now);
            reportLosses();
        }
        reschedule(now, wake);
        updateInterest();
        if (lingering && lingerDone()) {
            terminate();
        }
    }

    private void reschedule(long now, long wake) {
        if (wake == Long.MAX_VALUE) {
            return; // a pending timer may fire for nothing; harmless
        }
        if (timer != null && timerAt - wake <= 0) {
            return; // an earlier (or equal) wake-up is already set
        }
        if (timer != null) {
            timer.cancel();
        }
        long millis = Math.max(0, (wake - now + 999_999) / 1_000_000);
        timerAt = wake;
        timer = io.schedule(millis, () -> {
            timer = null;
            pump();
        });
    }

    @Override
    protected void updateInterest() {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = readPaused ? 0 : SelectionKey.OP_READ;
        if (source && sender.blocked()) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    // ---- network side -------------------------------------------------------------------------

    private boolean sendDatagram(byte[] packet, InetSocketAddress to) {
        try {
            return sendChannel.send(ByteBuffer.wrap(packet), to) > 0;
        } catch (IOException e) {
            // A datagram the network refuses (no route, unreachable) is a lost packet: PGM repairs it.
            LOG.log(System.Logger.Level.DEBUG, "epgm endpoint {0}: send to {1} failed: {2}", endpoint, to, e.toString());
            return true;
        }
    }

    @Override
    protected void onReadable() {
        long now = System.nanoTime();
        for (int i = 0; i < READ_BATCH && !readPaused; i++) {
            var from = receive();
            if (from == null) {
                break;
            }
            PgmPacket packet;
            try {
                packet = PgmCodec.decode(readBuffer.array(), readBuffer.position());
            } catch (MalformedPacketException e) {
                LOG.log(System.Logger.Level.DEBUG, "epgm endpoint {0}: dropped a datagram from {1}: {2}", endpoint, from, e.getMessage());
                if (receiver != null) {
                    receiver.stats().malformed++;
                }
                continue;
            }
            if (packet == null) {
                continue;
            }
            if (source) {
                sender.onPacket(packet);
            } else {
                receiver.onPacket(packet, from, now);
                if (!batch.isEmpty() && !deliverBatch()) {
                    break;
                }
            }
        }
    }

    /** Tells the socket's monitors of packets given up since the last report (counted in the statistics anyway). */
    private void reportLosses() {
        if (receiver.stats().losses != reportedLosses) {
            reportedLosses = receiver.stats().losses;
            receiver.drainLosses((source, n) -> host.emit(dev.zmq.SocketEvent.Type.MULTICAST_DATA_LOST, endpoint,
                    source.getHostAddress(), n, n + " packet(s) from source " + source.getHostAddress()
                            + " could not be repaired; the messages in them are missing"));
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /**
     * A receiver has nothing to deliver (subscriptions go nowhere); a source is done once all it
     * was given went out. A source can always send to the group, so unlike a connecting session
     * it never gives up for want of a connection: only LINGER (or maxLinger) bounds the wait.
     */
    @Override
    protected boolean lingerDone() {
        if (!source) {
            return true;
        }
        return drained.isEmpty() && (pipe == null || !pipe.hasOut()) && sender.idle();
    }

    @Override
    protected void onTerminate() {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            var st = sender != null ? sender.stats() : null;
            LOG.log(System.Logger.Level.DEBUG, "epgm endpoint {0} ends: {1}", endpoint, st != null
                    ? "odata=" + st.odata + " rdata=" + st.rdata + " spms=" + st.spms + " naks=" + st.naks + " ignored=" + st.ignoredNaks
                            + " unrepairable=" + st.unrepairable
                    : "data=" + receiver.stats().data + " repairs=" + receiver.stats().repairs + " naks=" + receiver.stats().naksSent
                            + " losses=" + receiver.stats().losses + " malformed=" + receiver.stats().malformed);
        }
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (source && key != null) {
            sender.finish();
        }
        super.onTerminate();
    }

    /** The group socket, and a receiver's NAK socket. */
    @Override
    protected void closeChannels() {
        super.closeChannels();
        closeQuietly(sendChannel);
    }

    /** This endpoint's PGM counters for {@link dev.zmq.SocketStatistics#multicast()}; any thread. */
    @Override
    public dev.zmq.MulticastStatistics multicastStatistics() {
        if (sender != null) {
            var st = sender.stats();
            return new dev.zmq.MulticastStatistics(st.odata, st.rdata, st.naks, st.unrepairable, 0, 0, 0, 0, 0);
        }
        var st = receiver.stats();
        return new dev.zmq.MulticastStatistics(0, 0, 0, 0, st.data, st.repairs, st.naksSent, st.losses, st.malformed);
    }

    /** For tests and diagnostics: the source's counters, or null for a receiver. */
    public PgmSender.Stats senderStats() {
        return sender == null ? null : sender.stats();
    }

    /** For tests and diagnostics: the receiver's counters, or null for a source. */
    public PgmReceiver.Stats receiverStats() {
        return receiver == null ? null : receiver.stats();
    }
}
