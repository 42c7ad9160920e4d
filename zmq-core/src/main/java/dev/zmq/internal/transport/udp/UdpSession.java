package dev.zmq.internal.transport.udp;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.internal.DatagramAddress;
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

/**
 * A udp endpoint: one UDP socket driven on one I/O thread, standing for every peer at once, as
 * libzmq's udp_engine does. A RADIO connects (sends to a host or a multicast group), a DISH binds
 * (receives, joining the group of a multicast address), a DGRAM binds and does both, its messages
 * being [peer address, body]. Nothing is exchanged but the messages themselves: no handshake, and
 * no JOIN/LEAVE (a DISH filters by the groups it joined on its own side).
 */
public final class UdpSession extends DatagramSession {
    private static final System.Logger LOG = System.getLogger(UdpSession.class.getName());
    private static final int WRITE_BATCH = 256;

    /** What the endpoint does: send (RADIO), receive (DISH) or both, without the RADIO header (DGRAM). */
    private enum Role {
        RADIO, DISH, DGRAM
    }

    private final Role role;
    /** Where a RADIO's datagrams go. */
    private final InetSocketAddress target;
    private final ByteBuffer writeBuffer = ByteBuffer.allocate(UdpWire.MAX_DATAGRAM);
    /** Where the datagram in {@link #writeBuffer} goes, while the kernel had no room for it; else null. */
    private InetSocketAddress pendingTo;
    /** The last pump stopped at {@link #WRITE_BATCH} with messages left: go on when writable. */
    private boolean moreToSend;
    /** Malformed or oversized datagrams dropped (also counted in the socket's discarded messages), for the log. */
    private long malformed;

    private UdpSession(SessionHost socket, IoThread io, String endpoint, Role role, DatagramChannel channel, InetSocketAddress target) {
        super(socket, io, LOG, "udp", endpoint, channel);
        this.role = role;
        this.target = target;
    }

    /**
     * Opens the UDP socket of {@code endpoint} now, so address problems reach the caller. As libzmq:
     * RADIO connects, DISH and DGRAM bind; anything else fails with ENOCOMPATPROTO.
     */
    public static UdpSession open(SessionHost socket, IoThread io, String endpoint, String addressText, boolean bind) {
        var role = role(socket.type(), bind, endpoint);
        var options = socket.options();
        var address = UdpAddress.parse(addressText, bind, options.flag(SocketOption.IPV6));
        if (role == Role.DGRAM && address.ipv6()) {
            // libzmq's DGRAM writes and reads IPv4 addresses only (its engine asserts AF_INET).
            throw new ZmqException(ZmqError.EINVAL, "a DGRAM socket speaks IPv4 only, as libzmq's; bind an IPv4 address, not '"
                    + endpoint + "'");
        }
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open(address.ipv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            applyBuffers(channel, options.integer(SocketOption.SNDBUF), options.integer(SocketOption.RCVBUF), role != Role.RADIO);
            String actual = endpoint;
            if (role == Role.RADIO) {
                if (address.multicast()) {
                    channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, options.flag(SocketOption.MULTICAST_LOOP));
                    channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, options.integer(SocketOption.MULTICAST_HOPS));
                    if (address.nic() != null) {
                        channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, address.nic());
                    }
                }
            } else {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (address.multicast()) {
                    // As libzmq: every socket on the port gets the group's datagrams, so several
                    // DISHes (and processes) can bind it; bind any address, join on the interface.
                    if (channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true); // libzmq too sets it where it exists
                    }
                    channel.bind(new InetSocketAddress(address.target().getPort()));
                    channel.join(address.target().getAddress(), address.joinInterface(endpoint));
                } else {
                    channel.bind(address.target());
                }
                int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
                actual = endpoint.substring(0, endpoint.lastIndexOf(':') + 1) + port;
            }
            channel.configureBlocking(false);
            return new UdpSession(socket, io, actual, role, channel, role == Role.RADIO ? address.target() : null);
        } catch (BindException e) {
            closeQuietly(channel);
            throw new ZmqException(ZmqError.EADDRINUSE, "cannot bind udp endpoint '" + endpoint + "': " + e.getMessage(), e);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            closeQuietly(channel);
            throw new ZmqException(ZmqError.EINVAL, "cannot open udp endpoint '" + endpoint + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static Role role(SocketType type, boolean bind, String endpoint) {
        return switch (type) {
            case RADIO -> {
                if (bind) {
                    throw new ZmqException(ZmqError.ENOCOMPATPROTO, "a RADIO connects to udp endpoints (where its datagrams go), it"
                            + " cannot bind '" + endpoint + "': connect the RADIO and bind the DISH");
                }
                yield Role.RADIO;
            }
            case DISH -> {
                if (!bind) {
                    throw new ZmqException(ZmqError.ENOCOMPATPROTO, "a DISH binds udp endpoints (where datagrams arrive), it cannot"
                            + " connect to '" + endpoint + "': bind the DISH (udp://*:port, or interface;group:port for multicast)"
                            + " and connect the RADIO");
                }
                yield Role.DISH;
            }
            case DGRAM -> {
                if (!bind) {
                    throw new ZmqException(ZmqError.ENOCOMPATPROTO, "a DGRAM socket binds its udp endpoint and names the peer in each"
                            + " message; it cannot connect to '" + endpoint + "' (as libzmq): bind it, e.g. udp://*:5555");
                }
                yield Role.DGRAM;
            }
            default -> throw new ZmqException(ZmqError.ENOCOMPATPROTO, "udp carries RADIO, DISH and DGRAM sockets only, not " + type
                    + " (endpoint '" + endpoint + "')");
        };
    }

    @Override
    public int datagramLimit() {
        return UdpWire.MAX_DATAGRAM;
    }

    /**
     * Attaches the endpoint's pipe now, on the caller's thread, so a message sent right after
     * connect or bind is queued (as libzmq creates a udp pipe within zmq_connect), then starts the
     * session on its I/O thread.
     */
    @Override
    public void start() {
        // The pipe stands for every peer behind the endpoint; it counts as connected from the start.
        pipe = attachNewPipe(switch (role) {
            case RADIO -> SocketType.DISH;
            case DISH -> SocketType.RADIO;
            case DGRAM -> SocketType.DGRAM;
        }, null);
        io.execute(this::begin);
    }

    private void begin() {
        if (terminated) {
            return;
        }
        if (pipe == null) {
            terminate(); // the socket closed meanwhile
            return;
        }
        if (register(role == Role.RADIO ? 0 : SelectionKey.OP_READ)) {
            pump();
        }
    }

    // ---- pipe side ----------------------------------------------------------------------------

    /**
     * Sends what the pipe holds until the kernel has no room; a DISH's pipe holds nothing to send.
     * At most {@value #WRITE_BATCH} datagrams at a time, then the rest once the selector says the
     * socket is writable again: a sender never has the I/O thread to itself while a receiver
     * sharing it loses datagrams for want of reading.
     */
    @Override
    protected void pump() {
        if (terminated || key == null) {
            return;
        }
        moreToSend = false;
        for (int sent = 0; ; sent++) {
            if (sent == WRITE_BATCH) {
                moreToSend = true;
                break;
            }
            if (pendingTo != null && !sendPending()) {
                break;
            }
            if (drained.isEmpty()) {
                pipe.drainOut(drained, 256);
                if (drained.isEmpty()) {
                    break;
                }
            }
            var m = drained.poll();
            if (role == Role.DISH) {
                continue; // nothing goes upstream over udp (libzmq's restart_output drops it too)
            }
            prepare(m);
        }
        updateInterest();
        if (lingering && lingerDone()) {
            terminate();
        }
    }

    /** Puts message {@code m} in the write buffer, as the datagram its role sends, with its destination. */
    private void prepare(Message m) {
        if (m.size() != 2) {
            host.countDroppedOut(1); // the patterns only queue [group, body] or [address, body]
            return;
        }
        var first = m.frame(0);
        var body = m.frame(1);
        if (role == Role.RADIO) {
            if (UdpWire.radioSize(first.length, body.length) > UdpWire.MAX_DATAGRAM || first.length > 255) {
                host.countDroppedOut(1); // the RADIO checked the size when it took the message
                return;
            }
            UdpWire.encodeRadio(first, body, writeBuffer);
            pendingTo = target;
        } else {
            var to = DatagramAddress.parse(first);
            if (to == null || body.length > UdpWire.MAX_DATAGRAM) {
                host.countDroppedOut(1); // the DGRAM pattern checked both when it took the message
                return;
            }
            writeBuffer.clear();
            writeBuffer.put(body).flip();
            pendingTo = to;
        }
    }

    /** Sends the prepared datagram; false if the kernel has no room now (it stays pending). */
    private boolean sendPending() {
        try {
            // send() returns 0 both for "no room now" and for an empty datagram (a DGRAM body may
            // be empty): the latter counts as sent, or it would be sent again forever.
            if (channel.send(writeBuffer, pendingTo) == 0 && writeBuffer.hasRemaining()) {
                return false;
            }
        } catch (IOException e) {
            // A datagram the network refuses (no route, unreachable) is lost, as any datagram may be.
            host.countDroppedOut(1);
            LOG.log(System.Logger.Level.DEBUG, "udp endpoint {0}: send to {1} failed: {2}", endpoint, pendingTo, e.toString());
        }
        pendingTo = null;
        return true;
    }

    @Override
    protected void updateInterest() {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = role == Role.RADIO || readPaused ? 0 : SelectionKey.OP_READ;
        if (pendingTo != null || moreToSend) {
            ops |= SelectionKey.OP_WRITE;
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    // ---- network side -------------------------------------------------------------------------

    @Override
    protected void onReadable() {
        if (role == Role.RADIO) {
            return;
        }
        long dropped = 0;
        for (int i = 0; i < READ_BATCH && !readPaused; i++) {
            var from = receive();
            if (from == null) {
                break;
            }
            int length = readBuffer.position();
            Message message;
            if (role == Role.DISH) {
                var decoded = UdpWire.decodeRadio(readBuffer.array(), length);
                if (decoded instanceof UdpWire.Malformed bad) {
                    dropped++;
                    LOG.log(System.Logger.Level.DEBUG, "udp endpoint {0}: dropped a datagram from {1}: {2}", endpoint, from, bad.reason());
                    continue;
                }
                var frames = (UdpWire.Message) decoded;
                message = Frames.wrap(new byte[][] {frames.group(), frames.body()});
            } else {
                if (length > UdpWire.MAX_DATAGRAM) {
                    dropped++;
                    LOG.log(System.Logger.Level.DEBUG, "udp endpoint {0}: dropped a {1}-byte datagram from {2}, over the {3}-byte limit",
                            endpoint, length, from, UdpWire.MAX_DATAGRAM);
                    continue;
                }
                var body = new byte[length];
                readBuffer.flip();
                readBuffer.get(body);
                message = Frames.wrap(new byte[][] {DatagramAddress.format(from), body});
            }
            batch.add(message);
            if (batch.size() >= 64 && !deliverBatch()) {
                break;
            }
        }
        if (!batch.isEmpty()) {
            deliverBatch();
        }
        if (dropped > 0) {
            malformed += dropped;
            host.countDiscardedIn((int) dropped);
        }
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /** Done once everything given to the endpoint went out; a receiver has nothing to finish. */
    @Override
    protected boolean lingerDone() {
        if (role == Role.DISH) {
            return true;
        }
        return pendingTo == null && drained.isEmpty() && (pipe == null || !pipe.hasOut());
    }

    /** A udp endpoint can always send: only LINGER bounds the wait for the kernel to take what is queued. */
    @Override
    protected boolean noConnectionInSight() {
        return false;
    }

    @Override
    protected void onTerminate() {
        if (malformed > 0) {
            LOG.log(System.Logger.Level.DEBUG, "udp endpoint {0} ends, {1} malformed datagrams dropped", endpoint, malformed);
        }
        super.onTerminate();
    }
}
