package dev.zmq.internal.wire.mechanism;

import dev.zmq.internal.wire.ZmtpProtocolException;

/** What a mechanism sees of its connection during the handshake. Used on the connection's I/O thread. */
public interface Handshake {

    /** Queues a command frame (its body) for the peer. */
    void send(byte[] commandBody);

    /** The peer's IP address, as ZAP's address field and the Peer-Address property carry it. */
    String peerIp();

    /** The context's ZAP handler, as mechanisms reach it. */
    ZapRequester zap();

    /**
     * Continues the handshake with {@code step}, run later on the connection's I/O thread (unless
     * the connection has ended by then): for asynchronous work such as a ZAP request. Safe to call
     * from any thread. A step that throws fails the handshake.
     */
    void resume(Step step);

    /** A piece of handshake work. */
    @FunctionalInterface
    interface Step {
        void run() throws ZmtpProtocolException;
    }
}
