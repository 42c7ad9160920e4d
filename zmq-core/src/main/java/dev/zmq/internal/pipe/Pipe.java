package dev.zmq.internal.pipe;

import dev.zmq.Message;
import dev.zmq.SocketType;
import java.util.ArrayDeque;
import java.util.Collection;

/**
 * The two bounded queues between a socket and one peer connection: outbound (application to
 * connection, bounded by SNDHWM) and inbound (connection to application, bounded by RCVHWM).
 * High-water marks count whole messages, as libzmq's do.
 *
 * <p>Every method must be called with the owning socket's lock held; the socket's patterns and the
 * connection's session both go through that lock, so a pipe needs no synchronization of its own.
 */
public final class Pipe {
    private final ArrayDeque<Message> outbound = new ArrayDeque<>();
    private final ArrayDeque<Message> inbound = new ArrayDeque<>();
    private final int sndhwm;
    private final int rcvhwm;
    private final boolean conflate;
    private final PipeEndpoint endpoint;
    private final DropCounter drops;

    private SocketType peerType;
    private byte[] routingId;
    private boolean outboundSignalled;
    /**
     * Volatile: an inproc peer checks it without this socket's lock before moving more messages
     * in (a stale "paused" is harmless: the resume that cleared it moves them).
     */
    private volatile boolean readPaused;
    private boolean detached;
    private boolean connected;
    private boolean peerGone;
    private boolean retired;
    /** Scratch mark used by PUB to deliver a message once per pipe however many prefixes match. */
    private int matchMark;

    public Pipe(int sndhwm, int rcvhwm, boolean conflate, PipeEndpoint endpoint, DropCounter drops) {
        this.sndhwm = sndhwm;
        this.rcvhwm = rcvhwm;
        this.conflate = conflate;
        this.endpoint = endpoint;
        this.drops = drops;
    }

    // ---- application side -------------------------------------------------------------

    /** Whether one more message fits in the outbound queue. */
    public boolean hasRoomOut() {
        return !peerGone && !retired && (conflate || sndhwm == 0 || outbound.size() < sndhwm);
    }

    /** Queues a message for the peer; the caller checked {@link #hasRoomOut()}. */
    public void pushOut(Message message) {
        if (conflate && !outbound.isEmpty()) {
            drops.droppedOut(outbound.size()); // replaced by the newer message
            outbound.clear();
        }
        outbound.add(message);
        if (!outboundSignalled) {
            outboundSignalled = true;
            endpoint.outboundReady();
        }
    }

    /**
     * Queues control traffic (subscriptions, welcome messages) regardless of SNDHWM: it is small,
     * and dropping it would silently change what the peer receives.
     */
    public void pushOutControl(Message message) {
        outbound.add(message);
        if (!outboundSignalled) {
            outboundSignalled = true;
            endpoint.outboundReady();
        }
    }

    /** Whether a message from the peer is waiting. */
    public boolean hasIn() {
        return !inbound.isEmpty();
    }

    /** The next message from the peer without taking it, or null. */
    public Message peekIn() {
        return inbound.peek();
    }

    /** The next message from the peer, or null. */
    public Message pollIn() {
        var m = inbound.poll();
        if (m != null && readPaused && inbound.size() <= lowWaterMark()) {
            readPaused = false;
            endpoint.resumeReading();
        }
        return m;
    }

    // ---- connection side --------------------------------------------------------------

    /**
     * Moves up to {@code max} outbound messages into {@code into}. When none are left, the pipe
     * notes that the connection is idle, so the next {@link #pushOut} wakes it again.
     *
     * @return whether the outbound queue was full before (so blocked senders may go on now)
     */
    public boolean drainOut(Collection<Message> into, int max) {
        boolean wasFull = !hasRoomOut();
        for (int i = 0; i < max; i++) {
            var m = outbound.poll();
            if (m == null) {
                break;
            }
            into.add(m);
        }
        if (outbound.isEmpty()) {
            outboundSignalled = false;
        }
        return wasFull;
    }

    /** Puts messages back at the head of the outbound queue, in their order (a lost connection's leftovers). */
    public void requeueOut(java.util.Deque<Message> unsent) {
        for (var it = unsent.descendingIterator(); it.hasNext(); ) {
            outbound.addFirst(it.next());
        }
        if (!outbound.isEmpty() && !outboundSignalled) {
            outboundSignalled = true;
            endpoint.outboundReady();
        }
    }

    /** Whether the inbound queue reached RCVHWM and the peer must wait until the application reads. */
    public boolean isReadPaused() {
        return readPaused;
    }

    /** Whether messages wait to be written. */
    public boolean hasOut() {
        return !outbound.isEmpty();
    }

    /** Makes the connection be told again of pending output (after it reconnects). */
    public void rearmOutbound() {
        if (!outbound.isEmpty()) {
            outboundSignalled = true;
            endpoint.outboundReady();
        } else {
            outboundSignalled = false;
        }
    }

    /**
     * Adds a message from the peer. Returns false when the inbound queue reached RCVHWM: the
     * connection must stop reading until {@link PipeEndpoint#resumeReading()}.
     */
    public boolean pushIn(Message message) {
        if (conflate && !inbound.isEmpty()) {
            drops.discardedIn(inbound.size()); // replaced by the newer message
            inbound.clear();
        }
        inbound.add(message);
        if (!conflate && rcvhwm > 0 && inbound.size() >= rcvhwm) {
            readPaused = true;
            return false;
        }
        return true;
    }

    /** Drops everything queued in both directions. */
    public void clear() {
        outbound.clear();
        inbound.clear();
        outboundSignalled = false;
        readPaused = false;
    }

    /** Drops queued outbound messages only (a connection that cannot deliver them any more). */
    public void clearOutbound() {
        outbound.clear();
        outboundSignalled = false;
    }

    private int lowWaterMark() {
        return rcvhwm / 2;
    }

    // ---- identity -------------------------------------------------------------------------

    /** The peer's socket type, once the handshake told it. */
    public SocketType peerType() {
        return peerType;
    }

    public void setPeerType(SocketType peerType) {
        this.peerType = peerType;
    }

    /** The peer's routing id as seen by a ROUTER, once known. */
    public byte[] routingId() {
        return routingId;
    }

    public void setRoutingId(byte[] routingId) {
        this.routingId = routingId;
    }

    /** Whether the pattern let go of this pipe. */
    public boolean isDetached() {
        return detached;
    }

    public void markDetached() {
        this.detached = true;
    }

    /** The application disconnected from this peer: nothing new is routed here; what is queued drains. */
    public void stopTakingOut() {
        this.retired = true;
    }

    /** The connection side of this pipe. */
    public PipeEndpoint endpoint() {
        return endpoint;
    }

    /** The peer left for good: nothing more can be sent; what it sent stays readable. */
    public void markPeerGone() {
        this.peerGone = true;
        this.connected = false;
    }

    public boolean isPeerGone() {
        return peerGone;
    }

    /** Whether a connection currently carries this pipe. */
    public boolean isConnected() {
        return connected;
    }

    public void setConnected(boolean connected) {
        this.connected = connected;
    }

    /** The PUB pattern's per-send mark (see {@code PubPattern}). */
    public int matchMark() {
        return matchMark;
    }

    public void setMatchMark(int mark) {
        this.matchMark = mark;
    }

    public int outboundSize() {
        return outbound.size();
    }

    public int inboundSize() {
        return inbound.size();
    }
}
