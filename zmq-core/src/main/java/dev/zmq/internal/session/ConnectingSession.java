package dev.zmq.internal.session;

import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.internal.engine.Engine;
import dev.zmq.internal.engine.ZmtpEngine;
import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.pipe.Pipe;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An endpoint this socket connects to. Unless IMMEDIATE is set, its pipe exists from the start, so
 * messages sent before the peer is reachable queue up to the high-water mark, and it survives
 * reconnections. Failed or lost connections are retried after RECONNECT_IVL, doubling up to
 * RECONNECT_IVL_MAX, with libzmq's random jitter.
 *
 * <p>A peer that accepts the TCP connection but fails the handshake (refused credentials, wrong
 * CURVE key, incompatible socket) is retried with the interval doubling too, up to
 * RECONNECT_IVL_MAX or, when that is not set, {@link #HANDSHAKE_FAILURE_BACKOFF_MAX_MILLIS}: a
 * misconfigured client must not hammer the server (libzmq 4.3 retries every RECONNECT_IVL). The
 * interval goes back to RECONNECT_IVL once a handshake succeeds.
 */
public final class ConnectingSession extends Session implements Dialer.Callback {
    private static final System.Logger LOG = System.getLogger(ConnectingSession.class.getName());
    /** Cap of the backoff after failed handshakes when RECONNECT_IVL_MAX is not set. */
    public static final int HANDSHAKE_FAILURE_BACKOFF_MAX_MILLIS = 30_000;

    private final String endpoint;
    private final Dialer dialer;
    private final boolean immediate;
    private Dialer.Attempt attempt;
    /** Started after each failed attempt or lost connection; one for the session's life (a storm allocates no timers). */
    private final IoThread.Timer reconnectTimer;
    private int currentInterval;
    /** The last connection attempt was refused or failed, or the connection was lost. */
    private boolean lastAttemptFailed;
    /** The last connection ended before its handshake completed. */
    private boolean lastHandshakeFailed;

    /** CONNECT_ROUTING_ID given to the connect that made this session: the peer's routing id on our socket. */
    private final byte[] peerRoutingId;
    /** The one address this session connects to when its endpoint's name stands for several, else null. */
    private final String address;
    /** Told (on this session's I/O thread) when a connect fails or a connection is lost; may be null. */
    private final Runnable onFailure;
    /** Whether a connection is up with its handshake done; read by statistics from other threads. */
    private volatile boolean connected;

    /**
     * A session for {@code connect(endpoint)}; {@code peerRoutingId}, if not null, is the routing
     * id the peer gets on our socket (CONNECT_ROUTING_ID) instead of the one it announces.
     */
    public ConnectingSession(SessionHost host, IoThread io, String endpoint, Dialer dialer, byte[] peerRoutingId) {
        this(host, io, endpoint, dialer, peerRoutingId, null, null);
    }

    /**
     * A session for one of the addresses behind {@code endpoint}'s name (CONNECT_ALL_ADDRESSES):
     * monitor events name {@code address} as their peer, and {@code onFailure} hears of failed
     * connects and lost connections (to resolve the name again).
     */
    public ConnectingSession(SessionHost host, IoThread io, String endpoint, Dialer dialer, byte[] peerRoutingId,
                             String address, Runnable onFailure) {
        super(host, io);
        this.endpoint = endpoint;
        this.dialer = dialer;
        this.peerRoutingId = peerRoutingId;
        this.address = address;
        this.onFailure = onFailure;
        this.immediate = host.options().flag(SocketOption.IMMEDIATE);
        this.currentInterval = host.options().integer(SocketOption.RECONNECT_IVL);
        this.reconnectTimer = io.timer(this::dial);
        if (!immediate) {
            // The routing id is known now for patterns that need it before the peer is reached (STREAM).
            pipe = host.attachPipe(this, null, peerRoutingId);
        }
    }

    /** The endpoint as given to connect(). */
    public String endpoint() {
        return endpoint;
    }

    /** The address this session connects to, when its endpoint's name stands for several; else null. */
    public String address() {
        return address;
    }

    /** Whether a connection is up with its handshake done. Safe from any thread. */
    public boolean isConnected() {
        return connected;
    }

    /** Starts connecting. Safe from any thread. */
    @Override
    public void start() {
        io.execute(this::dial);
    }

    private void dial() {
        if (terminated) {
            return;
        }
        attempt = dialer.dial(io, this);
        if (attempt != null && attempt.pending()) {
            host.emit(SocketEvent.Type.CONNECT_DELAYED, endpoint, address, 0, null);
        }
    }

    @Override
    public void connected(SocketChannel channel, String peerAddress) {
        attempt = null;
        if (terminated) {
            try {
                channel.close();
            } catch (java.io.IOException ignored) {
                // abandoned
            }
            return;
        }
        lastAttemptFailed = false;
        host.emit(SocketEvent.Type.CONNECTED, endpoint, peerAddress, 0, null);
        Engine created;
        try {
            created = host.newEngine(io, channel, this, endpoint, peerAddress);
        } catch (RuntimeException | OutOfMemoryError e) {
            // No memory for the connection's state: as AcceptedSession does, close this connection,
            // but (unlike an accepted one) try again later, or this endpoint would never connect.
            try {
                channel.close();
            } catch (java.io.IOException ignored) {
                // closing is all we wanted
            }
            lastAttemptFailed = true;
            lastHandshakeFailed = false;
            LOG.log(System.Logger.Level.WARNING, () -> "connection to " + endpoint + " dropped, retrying: no memory for it (" + e + ")");
            host.emit(SocketEvent.Type.DISCONNECTED, endpoint, peerAddress, 0, "cannot set up the connection: " + e);
            if (lingering && lingerDone()) {
                terminate();
            } else {
                scheduleReconnect();
            }
            return;
        }
        engine = created;
        host.startEngine(engine);
    }

    @Override
    public void failed(String peer, String cause) {
        attempt = null;
        lastAttemptFailed = true;
        lastHandshakeFailed = false;
        // Once per attempt in a reconnect storm: nothing is built unless DEBUG is on.
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "connect to " + peer + " failed: " + cause);
        }
        if (lingering && lingerDone()) {
            terminate();
            return;
        }
        scheduleReconnect();
        tellFailure();
    }

    private void tellFailure() {
        if (onFailure != null && !lingering && !terminated) {
            onFailure.run();
        }
    }

    @Override
    public Pipe onHandshake(Engine e, SocketType peerType, byte[] identity) {
        if (terminated) {
            return null;
        }
        currentInterval = host.options().integer(SocketOption.RECONNECT_IVL);
        lastHandshakeFailed = false;
        var id = peerRoutingId != null ? peerRoutingId : identity;
        if (pipe == null) {
            pipe = attachNewPipe(peerType, id);
            connected = pipe != null;
            return pipe;
        }
        connected = host.identifyPipe(pipe, peerType, id);
        return connected ? pipe : null;
    }

    @Override
    public void onClosed(Engine e, String reason, boolean wasActive) {
        if (engine != e) {
            return;
        }
        engine = null;
        connected = false;
        lastAttemptFailed = true;
        lastHandshakeFailed = !wasActive;
        if (pipe != null) {
            if (immediate) {
                host.peerGone(pipe);
                pipe = null;
            } else {
                host.pipeDisconnected(pipe);
                // Messages taken for this connection but never started on the wire go back to the
                // head of the queue for the next connection.
                requeue(pipe, e.unsentMessages());
            }
        }
        if (terminated) {
            return;
        }
        if (lingering && lingerDone()) {
            terminate();
            return;
        }
        scheduleReconnect();
        tellFailure();
    }

    /** Puts messages a lost connection never started back at the head of the pipe. */
    private static void requeue(Pipe pipe, java.util.ArrayDeque<dev.zmq.Message> unsent) {
        if (unsent.isEmpty()) {
            return;
        }
        pipe.requeueOut(unsent);
        unsent.clear();
    }

    private void scheduleReconnect() {
        if (terminated) {
            return;
        }
        var options = host.options();
        int base = options.integer(SocketOption.RECONNECT_IVL);
        if (base < 0) {
            // RECONNECT_IVL = -1: no reconnection. The pipe stays, as libzmq keeps its queue.
            return;
        }
        int jitter = base > 0 ? ThreadLocalRandom.current().nextInt(base) : 0;
        long delay = Math.min((long) currentInterval + jitter, Integer.MAX_VALUE);
        int max = options.integer(SocketOption.RECONNECT_IVL_MAX);
        int cap = max > base ? max : lastHandshakeFailed ? Math.max(base, HANDSHAKE_FAILURE_BACKOFF_MAX_MILLIS) : base;
        if (cap > base) {
            currentInterval = (int) Math.min((long) currentInterval * 2, cap);
        }
        reconnectTimer.start(Math.max(delay, 1));
        host.emit(SocketEvent.Type.CONNECT_RETRIED, endpoint, address, delay, null);
    }

    /**
     * Lingering keeps reconnecting (a peer that is down at close gets its messages when it comes
     * back, as in libzmq); only a failed connection that will not be retried (RECONNECT_IVL = -1)
     * ends it early.
     */
    @Override
    protected boolean noConnectionInSight() {
        return engine == null && attempt == null && lastAttemptFailed
                && host.options().integer(SocketOption.RECONNECT_IVL) < 0;
    }

    @Override
    protected void onTerminate() {
        connected = false;
        reconnectTimer.cancel();
        if (attempt != null) {
            attempt.cancel();
            attempt = null;
        }
    }
}
