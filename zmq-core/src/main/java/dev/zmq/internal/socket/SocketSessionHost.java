package dev.zmq.internal.socket;

import dev.zmq.SocketEvent;
import dev.zmq.SocketType;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.options.Options;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.pipe.PipeEndpoint;
import dev.zmq.internal.session.Session;
import dev.zmq.internal.session.SessionHost;
import java.nio.channels.SocketChannel;

/**
 * The socket as its sessions and transports see it ({@link SessionHost}): each call goes to the
 * part of the socket that owns it (its endpoints, its pipes, its connections' factory, its
 * counters and monitors). Control path only.
 */
final class SocketSessionHost implements SessionHost {
    private final SocketCore socket;
    private final SocketSync sync;
    private final SocketCounters counters;
    private final SocketEvents events;
    private final PipeSet pipes;
    private final EngineFactory engines;

    /** The socket's endpoints, which keep its sessions, are {@link SocketCore#endpoints()} (made with this host). */
    SocketSessionHost(SocketCore socket, SocketSync sync, SocketCounters counters, SocketEvents events, PipeSet pipes,
                      EngineFactory engines) {
        this.socket = socket;
        this.sync = sync;
        this.counters = counters;
        this.events = events;
        this.pipes = pipes;
        this.engines = engines;
    }

    @Override
    public SocketType type() {
        return socket.type();
    }

    @Override
    public Options options() {
        return socket.options();
    }

    @Override
    public IoThread nextIoThread() {
        return socket.nextIoThread();
    }

    @Override
    public long lingerMillis() {
        return socket.lingerMillis();
    }

    @Override
    public boolean addSession(Session session) {
        return socket.endpoints().addSession(session);
    }

    @Override
    public void sessionEnded(Session session) {
        socket.endpoints().sessionEnded(session);
    }

    @Override
    public Engine newEngine(IoThread io, SocketChannel channel, ZmtpEngine.Owner owner, String endpoint, String peerAddress) {
        return engines.newEngine(io, channel, owner, endpoint, peerAddress);
    }

    @Override
    public void startEngine(Engine engine) {
        engines.startEngine(engine);
    }

    @Override
    public Pipe attachPipe(PipeEndpoint endpoint, SocketType peerType, byte[] identity) {
        return pipes.attachPipe(endpoint, peerType, identity);
    }

    @Override
    public Pipe attachInprocPipe(PipeEndpoint endpoint, SocketType peerType, byte[] identity, Pipe first) {
        return pipes.attachInprocPipe(endpoint, peerType, identity, first);
    }

    @Override
    public void linkInproc(Pipe ours, Pipe theirs) {
        pipes.linkInproc(ours, theirs);
    }

    @Override
    public boolean identifyPipe(Pipe pipe, SocketType peerType, byte[] identity) {
        return pipes.identifyPipe(pipe, peerType, identity);
    }

    @Override
    public void detachPipe(Pipe pipe) {
        pipes.detachPipe(pipe);
    }

    @Override
    public void peerGone(Pipe pipe) {
        pipes.peerGone(pipe);
    }

    @Override
    public void pipeDisconnected(Pipe pipe) {
        pipes.pipeDisconnected(pipe);
    }

    @Override
    public void countDroppedOut(int count) {
        sync.lock();
        try {
            counters.drops.droppedOut(count);
        } finally {
            sync.unlock();
        }
    }

    @Override
    public void countDiscardedIn(int count) {
        sync.lock();
        try {
            counters.drops.discardedIn(count);
        } finally {
            sync.unlock();
        }
    }

    @Override
    public void emit(SocketEvent.Type type, String endpoint, String peer, long value, String reason) {
        events.emit(type, endpoint, peer, value, reason);
    }
}
