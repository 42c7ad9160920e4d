package dev.zmq.internal.engine;

import dev.zmq.SocketType;
import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.util.Arrays;

/**
 * Subscriptions between the socket's form and the wire's. Inside the socket a subscription (SUB),
 * a cancellation, a join or a leave (DISH) is the one-frame message {@code 0x01}+topic or
 * {@code 0x00}+topic; on the wire a ZMTP 3.1 peer expects SUBSCRIBE/CANCEL commands, and a RADIO
 * JOIN/LEAVE commands (see {@link GroupCommands}). ZMTP 3.0 peers (JeroMQ 0.6) take the messages as they are.
 */
final class SubscriptionCommands {
    private final boolean dish;
    private final boolean subscriber;
    private final boolean radio;
    private final boolean publisher;
    /** A ZMTP 3.1 peer of a SUB/XSUB: subscriptions go out as SUBSCRIBE/CANCEL commands. */
    private boolean subscribeCommands;

    SubscriptionCommands(SocketType ourType) {
        dish = ourType == SocketType.DISH;
        subscriber = ourType == SocketType.SUB || ourType == SocketType.XSUB;
        radio = ourType == SocketType.RADIO;
        publisher = ourType == SocketType.PUB || ourType == SocketType.XPUB;
    }

    /** The peer's greeting said which ZMTP 3 revision it speaks. */
    void peerSpeaks31(boolean speaks31) {
        subscribeCommands = subscriber && speaks31;
    }

    /** Whether some outbound messages of this connection become commands (then {@link #toCommand} is asked). */
    boolean translatesOutbound() {
        return dish || subscribeCommands;
    }

    /**
     * The command body to send instead of the outbound one-frame message {@code frame}, or null when
     * it goes out as a message.
     */
    byte[] toCommand(byte[] frame) {
        if (!isSubscription(frame)) {
            return null;
        }
        if (dish) {
            return GroupCommands.toCommand(frame); // ZMTP JOIN/LEAVE, as libzmq's dish_session_t
        }
        if (subscribeCommands) {
            return Command.encode(frame[0] == 1 ? "SUBSCRIBE" : "CANCEL", Arrays.copyOfRange(frame, 1, frame.length));
        }
        return null;
    }

    /**
     * The message handed to the socket for an inbound command (a RADIO's JOIN/LEAVE, a PUB's
     * SUBSCRIBE/CANCEL), as an inproc peer or a ZMTP 3.0 peer would send it; null when the command
     * is none of those for this socket.
     */
    byte[] toMessage(Command.Other command) throws ZmtpProtocolException {
        var name = command.name();
        if (radio && GroupCommands.isJoinOrLeave(name)) {
            return GroupCommands.toMessage(name, command.data());
        }
        if (publisher && (name.equals("SUBSCRIBE") || name.equals("CANCEL"))) {
            var data = command.data();
            var message = new byte[data.length + 1];
            message[0] = (byte) (name.equals("SUBSCRIBE") ? 1 : 0);
            System.arraycopy(data, 0, message, 1, data.length);
            return message;
        }
        return null;
    }

    private static boolean isSubscription(byte[] frame) {
        return frame.length > 0 && (frame[0] == 0 || frame[0] == 1);
    }
}
