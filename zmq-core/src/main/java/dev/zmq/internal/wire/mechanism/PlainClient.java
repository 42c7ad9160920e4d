package dev.zmq.internal.wire.mechanism;

import dev.zmq.SocketEvent;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** PLAIN client (RFC 24): HELLO with user name and password, WELCOME, INITIATE with metadata, READY. */
public final class PlainClient implements Mechanism {
    private enum State { WAITING_WELCOME, WAITING_READY, DONE }

    private final Metadata ours;
    private final byte[] username;
    private final byte[] password;
    private State state = State.WAITING_WELCOME;
    private Metadata peer;

    public PlainClient(Metadata ours, String username, String password) {
        this.ours = ours;
        this.username = username.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public boolean asServer() {
        return false;
    }

    @Override
    public void start(Handshake handshake) {
        var data = new ByteArrayOutputStream();
        data.write(username.length);
        data.write(username, 0, username.length);
        data.write(password.length);
        data.write(password, 0, password.length);
        handshake.send(Command.encode("HELLO", data.toByteArray()));
    }

    @Override
    public void onCommand(byte[] body, Handshake handshake) throws ZmtpProtocolException {
        body = Commands.repairLibzmqPlainError(body);
        if (Commands.is(body, "ERROR") && state != State.DONE) {
            throw Commands.peerError(body, "PLAIN");
        }
        if (state == State.WAITING_WELCOME && Commands.is(body, "WELCOME")) {
            if (body.length != 8) {
                throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_WELCOME, "malformed PLAIN WELCOME");
            }
            handshake.send(Command.encode("INITIATE", ours.encode()));
            state = State.WAITING_READY;
        } else if (state == State.WAITING_READY && Commands.is(body, "READY")) {
            try {
                peer = Metadata.decode(Commands.data(body));
            } catch (ZmtpProtocolException e) {
                throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_INVALID_METADATA, "malformed metadata in PLAIN READY");
            }
            state = State.DONE;
        } else {
            throw Commands.unexpected(body, "in the PLAIN handshake (state " + state + ")");
        }
    }

    @Override
    public boolean isComplete() {
        return state == State.DONE;
    }

    @Override
    public Metadata peerMetadata() {
        return peer;
    }

    @Override
    public void dispose() {
        java.util.Arrays.fill(password, (byte) 0);
    }
}
