package dev.zmq.internal.engine;

import dev.zmq.SocketEvent;
import dev.zmq.SocketType;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.FrameFlags;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import dev.zmq.internal.wire.mechanism.Handshake;
import dev.zmq.internal.wire.mechanism.Mechanism;
import dev.zmq.internal.wire.mechanism.ZapRequester;

/**
 * The handshake of a ZMTP 3.x peer: the mechanism's commands (NULL, PLAIN, CURVE; ZAP requests
 * among them) until READY, then the peer's socket type is checked and the connection handed over
 * to the message exchange with the mechanism's codec and the connection's properties.
 */
final class SecurityHandshake implements HandshakeStage, Handshake {
    private final ZmtpEngine engine;
    private final Mechanism mechanism;
    private final SocketType ourType;
    private final String peerAddress;
    private final String peerIp;
    private final ZapRequester zap;

    /**
     * The stage is itself what the mechanism sees of the connection ({@link Handshake}): an
     * anonymous class for that view was one more class loaded at the first handshake, inside a
     * latency tool's window (~0.3 ms cold).
     */
    SecurityHandshake(ZmtpEngine engine, EngineSettings settings, String peerAddress) {
        this.engine = engine;
        this.mechanism = settings.mechanism();
        this.ourType = settings.socketType();
        this.peerAddress = peerAddress;
        this.peerIp = ConnectionProperties.ipOf(peerAddress);
        this.zap = settings.zap();
    }

    @Override
    public void send(byte[] commandBody) {
        engine.sendCommand(commandBody);
    }

    @Override
    public String peerIp() {
        return peerIp;
    }

    @Override
    public ZapRequester zap() {
        return zap;
    }

    @Override
    public void resume(Step step) {
        engine.resumeHandshake(() -> {
            step.run();
            if (mechanism.isComplete()) {
                complete();
            }
        });
    }

    /** The mechanism sends its first commands (a client's HELLO, NULL's READY). */
    void start() throws ZmtpProtocolException {
        mechanism.start(this);
        if (mechanism.isComplete()) {
            complete();
        }
    }

    @Override
    public void checkHeader(int flags, long size) throws ZmtpProtocolException {
        // An unauthenticated peer must not make us buffer anything; command sizes are bounded by the decoder.
        if ((flags & FrameFlags.COMMAND) == 0) {
            throw new ZmtpProtocolException("data frame before the handshake completed");
        }
    }

    @Override
    public void onFrame(int flags, byte[] body) throws ZmtpProtocolException {
        if ((flags & FrameFlags.COMMAND) == 0) {
            throw new ZmtpProtocolException("data frame before the handshake completed");
        }
        mechanism.onCommand(body, this);
        if (mechanism.isComplete()) {
            complete();
        } else if (engine.commandsQueued()) {
            engine.flush(); // the mechanism answered (WELCOME, INITIATE...)
        }
    }

    private void complete() throws ZmtpProtocolException {
        var metadata = mechanism.peerMetadata();
        var typeName = metadata.getString(Metadata.SOCKET_TYPE);
        if (typeName == null) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_READY, "READY without a Socket-Type property");
        }
        var peerType = SocketType.fromWireName(typeName).orElse(null);
        if (peerType == null || !ourType.isCompatibleWith(peerType)) {
            // Tell the peer why before closing, as RFC 37 asks (libzmq closes without a word).
            engine.sendCommand(Command.error("Invalid socket type"));
            var reason = "incompatible peer socket type " + typeName + " for a " + ourType + " socket";
            engine.refuseAfterHandshake(reason, new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_INVALID_METADATA, reason));
            return;
        }
        engine.handshakeDone(peerType, metadata.get(Metadata.IDENTITY), mechanism.codec(),
                ConnectionProperties.of(peerAddress, mechanism.zapProperties(), metadata), true);
    }
}
