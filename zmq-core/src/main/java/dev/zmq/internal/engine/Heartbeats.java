package dev.zmq.internal.engine;

import dev.zmq.internal.io.IoThread;
import dev.zmq.internal.wire.Command;

/**
 * The timers of one connection (RFC 37 and libzmq's stream_engine): the handshake deadline
 * (HANDSHAKE_IVL), our PINGs every HEARTBEAT_IVL, the HEARTBEAT_TIMEOUT after each of them, and the
 * TTL a peer's PING asks for; and the PING/PONG commands they make the connection send. Runs on
 * the connection's I/O thread; the engine calls {@link #onTraffic} for every frame it reads.
 */
final class Heartbeats implements Runnable {
    private static final byte[] NO_CONTEXT = new byte[0];

    /** What the heartbeats need of their connection. */
    interface Connection {
        /** A timer whose action runs guarded by the connection (whatever it throws closes the connection only). */
        IoThread.Timer schedule(long delayMillis, Runnable action);

        /** Closes the connection with {@code reason}. */
        void close(String reason);

        /** Gives the connection a chance to write (a PING or PONG is waiting). */
        void flush();

        /** Whether the handshake is done and the connection carries messages. */
        boolean isActive();
    }

    private final Connection connection;
    private final EngineSettings.Heartbeat settings;
    private final int handshakeMillis;
    private IoThread.Timer handshakeTimer;
    private IoThread.Timer pingTimer;
    /** Armed after we PING: fires unless some traffic arrives first. */
    private IoThread.Timer livenessTimer;
    /** Armed when the peer's PING asks for a TTL: fires unless some traffic arrives first. */
    private IoThread.Timer peerTtlTimer;
    /**
     * The context of the latest PING not answered yet. As libzmq, at most one PONG is pending: a
     * PING arriving before the previous PONG went out replaces it, so a peer flooding PINGs while
     * never reading costs one PONG, not a queue.
     */
    private byte[] pendingPong;
    /** A PING of ours is queued and not yet encoded: the next interval does not add another. */
    private boolean pingQueued;

    Heartbeats(Connection connection, EngineSettings.Heartbeat settings, int handshakeMillis) {
        this.connection = connection;
        this.settings = settings;
        this.handshakeMillis = handshakeMillis;
    }

    /**
     * The connection starts: the handshake must be done within HANDSHAKE_IVL (if set). The timer's
     * action is this object ({@link #run}), not a lambda: one class fewer spun at the first
     * connection, inside a latency tool's window (~0.4 ms cold).
     */
    void startHandshakeTimer() {
        if (handshakeMillis > 0) {
            handshakeTimer = connection.schedule(handshakeMillis, this);
        }
    }

    /** HANDSHAKE_IVL passed (the handshake timer's action): the connection closes unless its handshake is done. */
    @Override
    public void run() {
        if (!connection.isActive()) {
            connection.close("handshake not completed within HANDSHAKE_IVL (" + handshakeMillis + " ms)");
        }
    }

    /** The handshake is over (whatever its outcome). */
    void handshakeDone() {
        cancel(handshakeTimer);
        handshakeTimer = null;
    }

    /** Starts our PINGs, if HEARTBEAT_IVL is set (ZMTP 3.1 peers only: older ones have no PING). */
    void startPinging() {
        if (settings.intervalMillis() > 0) {
            pingTimer = connection.schedule(settings.intervalMillis(), this::ping);
        }
    }

    private void ping() {
        if (!connection.isActive()) {
            return;
        }
        pingQueued = true;
        if (livenessTimer == null) {
            long timeout = settings.timeoutMillis() < 0 ? settings.intervalMillis() : settings.timeoutMillis();
            livenessTimer = connection.schedule(timeout, () -> connection.close("no traffic from the peer within HEARTBEAT_TIMEOUT ("
                    + timeout + " ms) after a PING"));
        }
        pingTimer = connection.schedule(settings.intervalMillis(), this::ping);
        connection.flush();
    }

    /**
     * Any traffic proves the peer alive (RFC 37). Called for every frame read: cheap when no timer
     * runs, and small enough (19 bytecodes, under C1's 35) to be inlined into the read path's
     * profiled code rather than compiled again on its own.
     */
    void onTraffic() {
        if (livenessTimer != null || peerTtlTimer != null) {
            stopTrafficTimers();
        }
    }

    private void stopTrafficTimers() {
        if (livenessTimer != null) {
            livenessTimer.cancel();
            livenessTimer = null;
        }
        if (peerTtlTimer != null) {
            peerTtlTimer.cancel();
            peerTtlTimer = null;
        }
    }

    /**
     * The peer sent a PING: a PONG is due (answered whether or not we send heartbeats ourselves, as
     * libzmq expects), and the peer's TTL starts if it asks for one. Returns whether a PONG was
     * already pending, which the answer now replaces.
     */
    boolean onPing(Command.Ping ping) {
        boolean replaced = pendingPong != null;
        pendingPong = ping.context();
        if (ping.ttlDeciseconds() > 0 && peerTtlTimer == null) {
            long ttl = ping.ttlDeciseconds() * 100L;
            peerTtlTimer = connection.schedule(ttl, () -> connection.close("no traffic within the TTL of " + ttl
                    + " ms the peer's PING asked for"));
        }
        return replaced;
    }

    /** The pending PONG, else our queued PING, else null; each command body is made when it goes out. */
    byte[] nextCommand() {
        if (pendingPong != null) {
            var pong = Command.pong(pendingPong);
            pendingPong = null;
            return pong;
        }
        if (pingQueued) {
            pingQueued = false;
            return Command.ping(settings.ttlMillis() / 100, NO_CONTEXT);
        }
        return null;
    }

    /** Whether no PING or PONG waits to go out. */
    boolean idle() {
        return pendingPong == null && !pingQueued;
    }

    /** The connection closed: every timer stops. */
    void stop() {
        cancel(handshakeTimer);
        cancel(pingTimer);
        cancel(livenessTimer);
        cancel(peerTtlTimer);
    }

    private static void cancel(IoThread.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
