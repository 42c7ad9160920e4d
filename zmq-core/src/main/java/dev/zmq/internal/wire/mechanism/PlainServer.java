package dev.zmq.internal.wire.mechanism;

import dev.zmq.SocketEvent;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * PLAIN server (RFC 24): the client's HELLO credentials go to the ZAP handler; WELCOME only if it
 * accepts, then INITIATE and READY. As libzmq 4.3 (which departs from nothing in the RFC but is
 * worth saying): without a ZAP handler there is no way to check a password, so the handshake fails
 * (HANDSHAKE_FAILED_NO_DETAIL with EFAULT, libzmq's value).
 */
public final class PlainServer implements Mechanism {
    private static final int EFAULT = 14;

    private enum State { WAITING_HELLO, WAITING_ZAP, WAITING_INITIATE, DONE }

    private final Metadata ours;
    private final ZapCheck zap;
    private State state = State.WAITING_HELLO;
    private Metadata peer;

    public PlainServer(Metadata ours, ZapSettings zap) {
        this.ours = ours;
        this.zap = new ZapCheck(zap);
    }

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public boolean asServer() {
        return true;
    }

    @Override
    public void start(Handshake handshake) {
        // the client speaks first
    }

    @Override
    public void onCommand(byte[] body, Handshake handshake) throws ZmtpProtocolException {
        if (state == State.WAITING_HELLO && Commands.is(body, "HELLO")) {
            onHello(body, handshake);
        } else if (state == State.WAITING_INITIATE && Commands.is(body, "INITIATE")) {
            try {
                peer = Metadata.decode(Commands.data(body));
            } catch (ZmtpProtocolException e) {
                throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_INVALID_METADATA, "malformed metadata in PLAIN INITIATE");
            }
            handshake.send(Command.ready(ours));
            state = State.DONE;
        } else {
            throw Commands.unexpected(body, "in the PLAIN handshake (state " + state + ")");
        }
    }

    private void onHello(byte[] body, Handshake handshake) throws ZmtpProtocolException {
        var data = Commands.data(body);
        int pos = 0;
        if (data.length < 1 || data.length < 1 + (data[0] & 0xFF) + 1) {
            throw malformedHello();
        }
        var username = Arrays.copyOfRange(data, 1, 1 + (data[0] & 0xFF));
        pos = 1 + username.length;
        int passwordLength = data[pos] & 0xFF;
        if (data.length - pos - 1 != passwordLength) {
            throw malformedHello();
        }
        var password = Arrays.copyOfRange(data, pos + 1, data.length);
        state = State.WAITING_ZAP;
        boolean asked = zap.ask(handshake, "PLAIN", List.of(username, password), () -> {
            handshake.send(Command.encode("WELCOME", new byte[0]));
            state = State.WAITING_INITIATE;
        });
        if (!asked) {
            throw ZmtpProtocolException.noDetail(EFAULT, "PLAIN client refused: no ZAP handler is bound at "
                    + ZapRequester.ENDPOINT + " to check its password");
        }
    }

    private static ZmtpProtocolException malformedHello() {
        return new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO, "malformed PLAIN HELLO");
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
    public Map<String, String> zapProperties() {
        return zap.properties();
    }

    @Override
    public void dispose() {
        zap.cancel();
    }
}
