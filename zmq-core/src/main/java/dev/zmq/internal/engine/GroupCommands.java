package dev.zmq.internal.engine;

import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.ZmtpProtocolException;

/**
 * RADIO/DISH on the wire, as libzmq's radio_session_t and dish_session_t: a DISH sends JOIN and
 * LEAVE commands whose data is the group's bytes ({@code 0x04 "JOIN" group}, {@code 0x05 "LEAVE"
 * group}); a RADIO sends each message as two frames, the group (MORE) then the body. Inside the
 * socket a join or leave is the one-frame message {@code 0x01}+group or {@code 0x00}+group.
 */
final class GroupCommands {
    /** libzmq's ZMQ_GROUP_MAX_LENGTH. */
    static final int MAX_GROUP = 255;

    private GroupCommands() {
    }

    static boolean isJoinOrLeave(String commandName) {
        return commandName.equals("JOIN") || commandName.equals("LEAVE");
    }

    /** The socket's form of a JOIN or LEAVE command from a DISH. */
    static byte[] toMessage(String commandName, byte[] group) throws ZmtpProtocolException {
        if (group.length > MAX_GROUP) {
            // libzmq asserts on this (set_group fails); a hostile DISH is disconnected here instead.
            throw new ZmtpProtocolException(commandName + " command with a group of " + group.length + " bytes (at most " + MAX_GROUP + ")");
        }
        var message = new byte[group.length + 1];
        message[0] = (byte) (commandName.equals("JOIN") ? 1 : 0);
        System.arraycopy(group, 0, message, 1, group.length);
        return message;
    }

    /** The JOIN or LEAVE command body for the socket's {@code 0x01}/{@code 0x00}+group message. */
    static byte[] toCommand(byte[] message) {
        return Command.encode(message[0] == 1 ? "JOIN" : "LEAVE", java.util.Arrays.copyOfRange(message, 1, message.length));
    }

    /**
     * Checks one data frame a DISH receives against RADIO's format, [group (MORE), body]: as libzmq's
     * dish_session_t (EFAULT, which closes the connection), anything else is a protocol error.
     *
     * @param framesBefore frames of the message already received
     */
    static void checkRadioFrame(int framesBefore, boolean more, int size) throws ZmtpProtocolException {
        if (framesBefore == 0) {
            if (!more) {
                throw new ZmtpProtocolException("RADIO message without its group frame (a single frame without MORE)");
            }
            if (size > MAX_GROUP) {
                throw new ZmtpProtocolException("RADIO group frame of " + size + " bytes (at most " + MAX_GROUP + ")");
            }
        } else if (more) {
            throw new ZmtpProtocolException("RADIO message of more than two frames (group, body)");
        }
    }
}
