package dev.zmq.internal.transport.inproc;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.session.Session;
import dev.zmq.internal.socket.SocketCore;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * One side of an inproc connection. Messages move from this side's outbound queue straight into
 * the peer's inbound queue, as the same objects: no encoding, no copy, no network. The move runs
 * on an I/O thread so neither application thread ever holds both sockets' locks.
 */
final class InprocSession extends Session {
    private static final int BATCH = 256;

    private final String endpoint;
    private final InprocRegistry registry;
    private InprocSession peer;
    private final ArrayDeque<Message> drained = new ArrayDeque<>();
    private final ArrayList<Message> batch = new ArrayList<>();
    private final Runnable moveTask = this::move;

    InprocSession(SocketCore socket, IoThread io, String endpoint, InprocRegistry registry) {
        super(socket, io);
        this.endpoint = endpoint;
        this.registry = registry;
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
        a.move();
        b.move();
    }

    @Override
    public void outboundReady() {
        io.execute(moveTask);
    }

    @Override
    public void resumeReading() {
        // Our application read enough: the peer may push into our inbound queue again.
        var p = peer;
        if (p != null) {
            p.io.execute(p.moveTask);
        }
    }

    private void move() {
        var p = peer;
        if (terminated || p == null || p.terminated || pipe == null || p.pipe == null) {
            return;
        }
        while (true) {
            socket.drain(pipe, drained, BATCH);
            if (drained.isEmpty()) {
                break;
            }
            batch.addAll(drained);
            drained.clear();
            boolean room = p.socket.deliver(p.pipe, batch);
            batch.clear();
            if (!room) {
                break; // the peer's RCVHWM is reached: resumeReading() brings us back
            }
        }
        if (lingering && lingerDone()) {
            terminate();
        }
    }

    @Override
    protected void onTerminate() {
        registry.forget(this);
        var p = peer;
        peer = null;
        if (p != null) {
            // What we sent stays readable on the other side until its application reads it.
            p.io.execute(() -> p.terminate(true));
        }
    }

    // An inproc session has no ZMTP engine.

    @Override
    public Pipe onHandshake(ZmtpEngine engine, SocketType peerType, byte[] identity) {
        throw new IllegalStateException("inproc sessions have no handshake");
    }

    @Override
    public void onClosed(ZmtpEngine engine, String reason, boolean wasActive) {
        throw new IllegalStateException("inproc sessions have no connection to close");
    }
}
