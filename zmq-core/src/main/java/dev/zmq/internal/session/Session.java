package dev.zmq.internal.session;

import dev.zmq.SocketType;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.pipe.PipeEndpoint;

/**
 * Binds one peer's {@link Pipe} to the connection ({@link ZmtpEngine}) that carries it. Lives on
 * one I/O thread: everything but the {@link PipeEndpoint} callbacks and {@link #linger} runs there.
 */
public abstract class Session implements PipeEndpoint, ZmtpEngine.Owner {
    protected final SessionHost host;
    protected final IoThread io;
    /** Volatile: an application thread reads it to write its request or reply itself ({@link #outboundReady}). */
    protected volatile Engine engine;
    protected Pipe pipe;
    /** Volatile: inproc moves run on application threads too and look at it. */
    protected volatile boolean lingering;
    protected boolean terminated;
    private IoThread.Timer lingerTimer;

    private final Runnable flushTask = new EngineTask(EngineTask.FLUSH);
    private final Runnable resumeTask = new EngineTask(EngineTask.RESUME);
    private final Runnable returnsHeldTask = new EngineTask(EngineTask.RETURNS_HELD);

    /**
     * The engine calls the pipe's side asks for, run on the I/O thread: one class for the three, not a
     * lambda each, which every process spun at its first session (inproc too, whose sessions never
     * run them): one class load, about 0.3 ms cold, instead of three lambdas, about 0.4 ms each.
     */
    private final class EngineTask implements Runnable {
        static final int FLUSH = 0;
        static final int RESUME = 1;
        static final int RETURNS_HELD = 2;
        private final int call;

        EngineTask(int call) {
            this.call = call;
        }

        @Override
        public void run() {
            var e = engine;
            if (e == null) {
                return;
            }
            switch (call) {
                case FLUSH -> e.flush();
                case RESUME -> e.resumeReading();
                default -> e.returnedFramesHeld();
            }
        }
    }

    protected Session(SessionHost host, IoThread io) {
        this.host = host;
        this.io = io;
    }

    /** The socket this session belongs to, as sessions see it. */
    public SessionHost host() {
        return host;
    }

    /** The I/O thread this session runs on. */
    public IoThread ioThread() {
        return io;
    }

    /**
     * Starts a session the socket made and registered (connecting, udp, epgm): its work begins on
     * its I/O thread. Accepted and inproc sessions start otherwise and do nothing here.
     */
    public void start() {
    }

    @Override
    public void outboundReady() {
        var e = engine;
        if (e != null && e.tryDirectFlush()) {
            return;
        }
        io.execute(flushTask);
    }

    @Override
    public void resumeReading() {
        io.execute(resumeTask);
    }

    @Override
    public void returnedFramesHeld() {
        io.execute(returnsHeldTask);
    }

    @Override
    public void dropConnection(String reason) {
        io.execute(() -> {
            if (terminated) {
                return;
            }
            if (engine != null) {
                engine.shutdown(reason); // the owner's onClosed follows, as for any lost connection
            } else {
                terminate(true);
            }
        });
    }

    @Override
    public void closeWhenWritten() {
        linger(host.lingerMillis());
    }

    /**
     * Stops the session once its pending outbound messages are written, or after
     * {@code lingerMillis} at the latest (0 = now). Until then a connecting session keeps
     * (re)connecting, so a peer that is down at close still gets what was queued for it when it
     * comes back, as in libzmq. Safe from any thread.
     */
    public void linger(long lingerMillis) {
        io.execute(new StartLinger(lingerMillis));
    }

    // Named classes, not lambdas: a process's last close would spin them (class generation, its
    // compiles) right when its peer is still busy; these only load.

    /** {@link #linger} on the I/O thread. */
    private final class StartLinger implements Runnable {
        private final long lingerMillis;

        StartLinger(long lingerMillis) {
            this.lingerMillis = lingerMillis;
        }

        @Override
        public void run() {
            startLinger(lingerMillis);
        }
    }

    /** LINGER ran out: {@link #terminate()}. */
    private final class LingerExpired implements Runnable {
        @Override
        public void run() {
            terminate();
        }
    }

    private void startLinger(long lingerMillis) {
        if (terminated) {
            return;
        }
        lingering = true;
        beforeLinger();
        if (lingerMillis <= 0 || lingerDone()) {
            terminate();
            return;
        }
        lingerTimer = io.schedule(lingerMillis, new LingerExpired());
        onLingerStarted();
    }

    /** Hook: the socket closes; a session that can hand its queue over at once does it now. */
    protected void beforeLinger() {
    }

    /** Hook for sessions that must keep working while lingering (reconnecting). */
    protected void onLingerStarted() {
    }

    /**
     * Whether nothing is left to deliver, or nothing ever can be. A connecting session with
     * messages pending and no connection keeps trying until LINGER runs out, as libzmq does.
     */
    protected boolean lingerDone() {
        if (noConnectionInSight()) {
            return true;
        }
        boolean pending = pipe != null && pipe.hasOut();
        return !pending && (engine == null || engine.outputIdle());
    }

    /**
     * Whether no connection exists and none ever will that could carry pending messages (an
     * accepted connection that ended does not come back).
     */
    protected boolean noConnectionInSight() {
        return engine == null;
    }

    @Override
    public boolean drainAwaited() {
        return lingering;
    }

    @Override
    public void onOutputDrained(Engine e) {
        if (lingering && !terminated && lingerDone()) {
            terminate();
        }
    }

    /** Ends the session now: closes the connection and gives the pipe back, dropping what it holds. */
    public void terminate() {
        terminate(false);
    }

    /**
     * Ends the session. When the peer left ({@code peerGone}), messages it sent that the
     * application has not read yet stay readable; otherwise the pipe is dropped with its contents.
     */
    protected void terminate(boolean peerGone) {
        if (terminated) {
            return;
        }
        terminated = true;
        try {
            if (lingerTimer != null) {
                lingerTimer.cancel();
            }
            onTerminate();
            if (engine != null) {
                var e = engine;
                engine = null;
                e.shutdown(lingering ? "socket closed" : "session terminated");
            }
            if (pipe != null) {
                var p = pipe;
                pipe = null;
                if (peerGone) {
                    host.peerGone(p);
                } else {
                    host.detachPipe(p);
                }
            }
        } finally {
            // Whatever failed above, the socket must learn the session is gone, or close would wait.
            host.sessionEnded(this);
        }
    }

    /** This session's PGM counters for the socket's statistics; none but for epgm. Any thread. */
    public dev.zmq.MulticastStatistics multicastStatistics() {
        return dev.zmq.MulticastStatistics.NONE;
    }

    /** Hook: release transport resources (timers, pending connects). */
    protected void onTerminate() {
    }

    /** Attaches a new pipe for a peer that completed its handshake; null if refused. */
    protected Pipe attachNewPipe(SocketType peerType, byte[] identity) {
        return host.attachPipe(this, peerType, identity);
    }
}
