package dev.zmq.internal.transport.inproc;

import dev.zmq.SocketType;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.session.Session;
import dev.zmq.internal.session.SessionHost;

/**
 * One side of an inproc connection. As in libzmq, the two sockets share one lock-free queue per
 * direction ({@link Pipe#inproc}, {@link Pipe#mateOf}): the sending application writes straight
 * into the queue the receiving application reads, so a message passes no session, no I/O thread
 * and no copy. The session only ties the connection's life to the two sockets: it joins the two
 * pipes once both exist ({@link #link}), and tells the other side when this one ends, after which
 * what it sent stays readable there until read.
 */
final class InprocSession extends Session {
    private final String endpoint;
    private final InprocRegistry registry;
    /** The other side, once joined (I/O thread). */
    private InprocSession peer;
    /** Whether the two pipes share their queues: from then on nothing is ours to hand over (I/O thread). */
    private boolean linked;

    /** CONNECT_ROUTING_ID given to the connect that made this session, or null. */
    private final byte[] peerRoutingId;

    InprocSession(SessionHost host, IoThread io, String endpoint, InprocRegistry registry, byte[] peerRoutingId) {
        super(host, io);
        this.endpoint = endpoint;
        this.registry = registry;
        this.peerRoutingId = peerRoutingId;
    }

    /** The routing id the peer gets on our socket instead of the one it announces (CONNECT_ROUTING_ID), or null. */
    byte[] peerRoutingId() {
        return peerRoutingId;
    }

    String endpoint() {
        return endpoint;
    }

    /**
     * Attaches this side's pipe: with queues of its own for the first side ({@code first} null),
     * over the first side's queues for the second. {@code peerType} is null while the other side
     * is not bound yet.
     */
    boolean attach(SocketType peerType, byte[] peerRoutingId, InprocSession first) {
        var firstPipe = first == null ? null : first.pipe;
        if (first != null && firstPipe == null) {
            return false;
        }
        var ours = host.attachInprocPipe(this, peerType, peerRoutingId, firstPipe);
        pipe = ours;
        if (ours != null && first != null) {
            // At once, as libzmq's connect and bind: the first side's limit is both marks from now on.
            first.host.linkInproc(firstPipe, ours);
        }
        return ours != null;
    }

    /** Completes a connect made before the bind. */
    boolean identify(SocketType peerType, byte[] peerRoutingId) {
        return pipe != null && host.identifyPipe(pipe, peerType, peerRoutingId);
    }

    /**
     * Joins the sessions of the first side (whose pipe has its own queues) and the second (whose
     * pipe was made over them, {@link #attach}). Call on the I/O thread both sessions share.
     */
    static void link(InprocSession first, InprocSession second) {
        first.peer = second;
        second.peer = first;
        if (first.terminated || second.terminated || first.pipe == null || second.pipe == null) {
            // One side already ended; the other learns it (its onTerminate ran before the peer was known).
            if (first.terminated && !second.terminated) {
                second.terminate(true);
            } else if (second.terminated && !first.terminated) {
                first.terminate(true);
            }
            return;
        }
        first.linked = true;
        second.linked = true;
        // A side that closed while waiting for the bind has handed everything over now.
        for (var s : new InprocSession[] {first, second}) {
            if (s.lingering && !s.terminated) {
                s.terminate();
            }
        }
    }

    @Override
    public void outboundReady() {
        // Not called: an inproc pipe has no connection side to wake.
    }

    @Override
    public void resumeReading() {
        // Not called: the peer socket writes into our inbound queue itself.
    }

    /**
     * Once linked, what this side's socket sent is already in the queue the peer reads (libzmq's
     * inproc pipe stays readable after the writer closed), so closing need not wait. Before the
     * bind, it waits within LINGER for the bind that takes the queued messages over.
     */
    @Override
    protected boolean lingerDone() {
        return linked || pipe == null || !pipe.hasOut();
    }

    @Override
    protected boolean noConnectionInSight() {
        return linked;
    }

    @Override
    protected void onTerminate() {
        registry.forget(this);
        var p = peer;
        peer = null;
        if (p != null) {
            // What we sent stays readable on the other side until its application reads it.
            p.io.execute(new PeerLeft(p));
        }
    }

    /**
     * Ends the other side's session on its I/O thread. A named class, not a lambda: a socket's close
     * comes here, in an inproc throughput run while the other socket of the process still receives.
     */
    private static final class PeerLeft implements Runnable {
        private final InprocSession session;

        PeerLeft(InprocSession session) {
            this.session = session;
        }

        @Override
        public void run() {
            session.terminate(true);
        }
    }

    // An inproc session has no ZMTP engine.

    @Override
    public Pipe onHandshake(Engine engine, SocketType peerType, byte[] identity) {
        throw new IllegalStateException("inproc sessions have no handshake");
    }

    @Override
    public void onClosed(Engine engine, String reason, boolean wasActive) {
        throw new IllegalStateException("inproc sessions have no connection to close");
    }
}
