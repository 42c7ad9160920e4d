package dev.zmq.internal.engine;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import dev.zmq.internal.Frames;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.ZmtpProtocolException;

/**
 * The commands a peer may send once the handshake is done (RFC 23 and 37): PING (answered with a
 * PONG), PONG, ERROR, and the subscription commands the socket takes as messages (SUBSCRIBE/CANCEL
 * to a PUB, JOIN/LEAVE to a RADIO). Anything else is a protocol error.
 */
final class PeerCommands {
    private final ZmtpEngine engine;
    private final Heartbeats heartbeats;
    private final SubscriptionCommands subscriptions;

    PeerCommands(ZmtpEngine engine, Heartbeats heartbeats, SubscriptionCommands subscriptions) {
        this.engine = engine;
        this.heartbeats = heartbeats;
        this.subscriptions = subscriptions;
    }

    /** Handles one command; returns the message a subscription becomes for the socket, null for the others. */
    Message onCommand(Command command) throws ZmtpProtocolException {
        if (command instanceof Command.Ping ping) {
            if (heartbeats.onPing(ping)) {
                engine.pongOverdue();
            }
            engine.flush();
            return null;
        } else if (command instanceof Command.Pong) {
            return null; // liveness only
        } else if (command instanceof Command.Error error) {
            throw new ZmtpProtocolException("peer sent ERROR: " + error.reason());
        } else {
            var message = command instanceof Command.Other other ? subscriptions.toMessage(other) : null;
            if (message == null) {
                throw new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_UNEXPECTED_COMMAND,
                        "unexpected command " + command.name() + " after the handshake");
            }
            return Frames.wrap(new byte[][] {message});
        }
    }
}
