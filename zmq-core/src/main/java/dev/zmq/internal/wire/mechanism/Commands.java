package dev.zmq.internal.wire.mechanism;

import dev.zmq.SocketEvent;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Raw access to handshake command bodies (a length-prefixed name, then data), for the mechanisms. */
final class Commands {
    private Commands() {
    }

    /** Whether {@code body} is the command {@code name}. */
    static boolean is(byte[] body, String name) {
        int n = name.length();
        if (body.length < 1 + n || (body[0] & 0xFF) != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (body[1 + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * libzmq 4.3's PLAIN server writes its ERROR command from the C string "\x05ERROR", whose hex
     * escape swallows the 'E': the frame reads 0x5E "RROR", then the reason (seen on the wire from
     * libzmq 4.3.4). Recognise that form and return the well-formed command; anything else as is.
     */
    static byte[] repairLibzmqPlainError(byte[] body) {
        if (body.length >= 6 && body[0] == 0x5E && body[1] == 'R' && body[2] == 'R' && body[3] == 'O' && body[4] == 'R') {
            var fixed = new byte[body.length + 1];
            fixed[0] = 5;
            fixed[1] = 'E';
            System.arraycopy(body, 1, fixed, 2, body.length - 1);
            return fixed;
        }
        return body;
    }

    /** The command's data after its name. */
    static byte[] data(byte[] body) {
        return Arrays.copyOfRange(body, 1 + (body[0] & 0xFF), body.length);
    }

    /** The command's name, for error messages. */
    static String name(byte[] body) {
        if (body.length < 1 || body.length < 1 + (body[0] & 0xFF)) {
            return "(malformed)";
        }
        return new String(body, 1, body[0] & 0xFF, StandardCharsets.US_ASCII);
    }

    static ZmtpProtocolException unexpected(byte[] body, String state) {
        return new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_UNEXPECTED_COMMAND,
                "unexpected command " + name(body) + " " + state);
    }

    /**
     * The failure an ERROR command from the peer means. As libzmq's handle_error_reason: a reason
     * that is a ZAP status code (300, 400, 500) is an authentication refusal.
     */
    static ZmtpProtocolException peerError(byte[] body, String mechanism) {
        var data = data(body);
        if (data.length < 1 || (data[0] & 0xFF) > data.length - 1) {
            return new ZmtpProtocolException(SocketEvent.ProtocolError.ZMTP_MALFORMED_COMMAND_ERROR, "malformed ERROR command");
        }
        var reason = new String(data, 1, data[0] & 0xFF, StandardCharsets.UTF_8);
        if (reason.length() == 3 && reason.charAt(0) >= '3' && reason.charAt(0) <= '5' && reason.endsWith("00")) {
            return ZmtpProtocolException.auth((reason.charAt(0) - '0') * 100,
                    mechanism + " server refused us (ZAP status " + reason + ")");
        }
        return new ZmtpProtocolException("peer sent ERROR: " + reason);
    }
}
