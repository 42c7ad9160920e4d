package dev.zmq.internal.transport.inproc;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.session.Session;
import dev.zmq.internal.socket.SocketCore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One side of an inproc connection. Messages move from this side's outbound queue straight into
 * the peer's inbound queue, as the same objects: no encoding, no copy, no network.
 *
 * <p>A message sent by the application is moved by the sending thread itself, right after it
 * released its socket's lock ({@link SocketCore#runAfterSend}), so a send costs no I/O-thread
 * hop; other moves (after linking, after the peer read below its low-water mark, while
 * lingering) run on the I/O thread. A mover holds one socket's lock at a time, never both, so two
 * sockets sending to each other cannot deadlock. At most one thread moves for a session at a
 * time ({@link #kick}), which keeps messages in order.
 */
final class InprocSession extends Session {
    private static final int BATCH = 256;

    private final String endpoint;
    private final InprocRegistry registry;
    private InprocSession peer;
    /** What a mover needs, published once both sides are linked (null before, and after termination). */
    private volatile Link link;
    /** Kicks asked for and not yet served; the thread that raises it from 0 moves until it is 0 again. */
    private final AtomicInteger pendingKicks = new AtomicInteger();
    private final ArrayDeque<Message> drained = new ArrayDeque<>();
    private final ArrayList<Message> batch = new ArrayList<>();
    private final Runnable kickTask = this::kick;
    /** Set when our socket closes: everything queued goes to the peer now, whatever its RCVHWM. */
    private volatile boolean handOverAll;

    private record Link(InprocSession peer, Pipe ours, Pipe theirs) {
    }

    /** CONNECT_ROUTING_ID given to the connect that made this session, or null. */
    private final byte[] peerRoutingId;

    InprocSession(SocketCore socket, IoThread io, String endpoint, InprocRegistry registry, byte[] peerRoutingId) {
        super(socket, io);
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

    /** Attaches this side's pipe; {@code peerType} null while the other side is not bound yet. */
    boolean attach(SocketType peerType, byte[] peerRoutingId) {
        pipe = socket.attachPipe(this, peerType, peerRoutingId);
        return pipe != null;
    }

    /** Completes a connect made before the bind. */
    boolean identify(SocketType peerType, byte[] peerRoutingId) {
        return pipe != null && socket.identifyPipe(pipe, peerType, peerRoutingId);
    }

    /** Joins two sides. Call on the I/O thread. */
    static void link(InprocSession a, InprocSession b) {
        a.peer = b;
        b.peer = a;
        if (a.pipe != null && b.pipe != null) {
            a.link = new Link(b, a.pipe, b.pipe);
            b.link = new Link(a, b.pipe, a.pipe);
        }
        a.kick();
        b.kick();
    }

    @Override
    public void outboundReady() {
        // Called with our socket's lock held: inside an application's send the sending thread
        // moves the message once it let go of the lock; anywhere else the I/O thread does.
        if (!socket.runAfterSend(kickTask)) {
            io.execute(kickTask);
        }
    }

    @Override
    public void resumeReading() {
        // Our application read enough: the peer may push into our inbound queue again.
        var p = peer;
        if (p != null) {
            p.io.execute(p.kickTask);
        }
    }

    /** Moves what waits, on whichever thread calls; serialized so that only one thread moves at a time. */
    private void kick() {
        if (pendingKicks.getAndIncrement() != 0) {
            return; // the thread moving now will go round once more and take our messages
        }
        int served = 1;
        do {
            move();
            served = pendingKicks.addAndGet(-served);
        } while (served != 0);
        if (lingering && !io.inThread()) {
            io.execute(kickTask); // whether lingering is over is decided on the I/O thread
        }
    }

    private void move() {
        var l = link;
        if (l == null || (io.inThread() && (terminated || l.peer.terminated))) {
            return; // not linked yet (link() moves then) or gone
        }
        // The peer's RCVHWM: leave messages in our queue (where SNDHWM holds the sender back)
        // until the peer's reads resume us.
        while (handOverAll || !l.theirs.isReadPaused()) {
            socket.drain(l.ours, drained, BATCH);
            if (drained.isEmpty()) {
                break;
            }
            boolean more = drained.size() == BATCH;
            batch.addAll(drained);
            drained.clear();
            boolean room = l.peer.socket.deliver(l.theirs, batch);
            batch.clear();
            if (!room && !handOverAll) {
                break; // the peer's RCVHWM is reached: resumeReading() brings us back
            }
            if (!more) {
                break; // our queue was emptied: a new message kicks us again (no second lock to find out)
            }
        }
        if (lingering && io.inThread() && !terminated && lingerDone()) {
            terminate();
        }
    }

    /**
     * Our socket closes: like libzmq, whose inproc pipe holds SNDHWM + RCVHWM messages and stays
     * readable after the writer closed, we give the peer everything we accepted, even beyond its
     * RCVHWM, so closing a sender neither loses messages nor waits for the reader.
     */
    @Override
    protected void beforeLinger() {
        handOverAll = true;
        kick();
    }

    /**
     * An inproc connection has no engine, but it can still carry what is queued as long as the
     * peer socket is there, or, for a connect made before the bind, until it binds (libzmq's
     * inproc pipe keeps messages readable after the sender closed, too).
     */
    @Override
    protected boolean noConnectionInSight() {
        var p = peer;
        return link != null && (p == null || p.terminated);
    }

    @Override
    protected void onTerminate() {
        registry.forget(this);
        link = null;
        var p = peer;
        peer = null;
        if (p != null) {
            // What we sent stays readable on the other side until its application reads it.
            p.io.execute(() -> p.terminate(true));
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
