package dev.zmq.internal.wire.mechanism;

import dev.zmq.SocketEvent;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.util.List;
import java.util.Map;

/**
 * The NULL mechanism: both sides send READY with their metadata; no security. With a ZAP domain
 * set and a handler bound, our READY waits for the handler's verdict on the peer's address (libzmq
 * 4.3's null_mechanism_t; without a handler the peer is accepted).
 */
public final class NullMechanism implements Mechanism {
    private final Metadata ours;
    private final ZapCheck zap;
    private Metadata peer;
    private boolean readySent;

    public NullMechanism(Metadata ours) {
        this(ours, null);
    }

    /** With {@code zap} non-null (ZAP_DOMAIN set), peers are checked by the ZAP handler if one is bound. */
    public NullMechanism(Metadata ours, ZapSettings zap) {
        this.ours = ours;
        this.zap = zap == null ? null : new ZapCheck(zap);
    }

    @Override
    public String name() {
        return "NULL";
    }

    @Override
    public boolean asServer() {
        return false;
    }

    @Override
    public void start(Handshake handshake) throws ZmtpProtocolException {
        if (zap != null && zap.ask(handshake, "NULL", List.of(), () -> sendReady(handshake))) {
            return;
        }
        sendReady(handshake);
    }

    private void sendReady(Handshake handshake) {
        handshake.send(Command.ready(ours));
        readySent = true;
    }

    @Override
    public void onCommand(byte[] body, Handshake handshake) throws ZmtpProtocolException {
        if (peer != null) {
            throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_UNEXPECTED_COMMAND, "handshake command after READY");
        }
        if (Commands.is(body, "READY")) {
            if (Command.decode(body) instanceof Command.Ready ready) {
                peer = ready.metadata();
            }
        } else if (Commands.is(body, "ERROR")) {
            throw Commands.peerError(body, "NULL");
        } else {
            throw Commands.unexpected(body, "during the NULL handshake");
        }
    }

    @Override
    public boolean isComplete() {
        return peer != null && readySent;
    }

    @Override
    public Metadata peerMetadata() {
        return peer;
    }

    @Override
    public Map<String, String> zapProperties() {
        return zap == null ? Map.of() : zap.properties();
    }

    @Override
    public void dispose() {
        if (zap != null) {
            zap.cancel();
        }
    }
}
