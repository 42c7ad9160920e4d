package dev.zmq.internal.wire.mechanism;

import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.util.function.Consumer;

/** The NULL mechanism: both sides send READY with their metadata; no security. */
public final class NullMechanism implements Mechanism {
    private final Metadata ours;
    private Metadata peer;

    public NullMechanism(Metadata ours) {
        this.ours = ours;
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
    public void start(Consumer<byte[]> send) {
        send.accept(Command.ready(ours));
    }

    @Override
    public void onCommand(Command command, Consumer<byte[]> send) throws ZmtpProtocolException {
        if (peer != null) {
            throw new ZmtpProtocolException("handshake command after READY");
        }
        if (command instanceof Command.Ready ready) {
            peer = ready.metadata();
        } else if (command instanceof Command.Error error) {
            throw new ZmtpProtocolException("peer sent ERROR: " + error.reason());
        } else {
            throw new ZmtpProtocolException(dev.zmq.SocketEvent.ProtocolError.ZMTP_UNEXPECTED_COMMAND,
                    "unexpected command during NULL handshake: " + command.name());
        }
    }

    @Override
    public boolean isComplete() {
        return peer != null;
    }

    @Override
    public Metadata peerMetadata() {
        return peer;
    }
}
