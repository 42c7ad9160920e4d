package dev.zmq.spring.core;

import dev.zmq.Message;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The wire form of an error reply: exactly three frames, {@code [0xFF 'Z' 'E' 0x01, code, message]}.
 * The first frame cannot be the start of a UTF-8 text or JSON reply (0xFF never occurs in UTF-8),
 * and a listener's normal reply that starts with it is refused, so a requester, ours or libzmq's,
 * tells an error from a reply by the first frame alone. The code is ASCII ({@link #BAD_REQUEST},
 * {@link #TIMEOUT}, {@link #INTERNAL}, or one the listener chose); the message is UTF-8 and carries the
 * exception's text only when the listener side is configured to send it. The README shows a pyzmq reader.
 */
public final class ZmqErrorReply {
    private static final byte[] MARKER = {(byte) 0xFF, 'Z', 'E', 0x01};

    /** The request could not be converted or validated. */
    public static final String BAD_REQUEST = "BAD_REQUEST";
    /** The listener's asynchronous result did not complete in time. */
    public static final String TIMEOUT = "TIMEOUT";
    /** The listener failed. */
    public static final String INTERNAL = "INTERNAL";

    private ZmqErrorReply() {
    }

    /** A copy of the first frame of every error reply. */
    public static byte[] marker() {
        return MARKER.clone();
    }

    /** The frames of an error reply. */
    public static List<byte[]> frames(String code, String message) {
        return List.of(MARKER.clone(), code.getBytes(StandardCharsets.US_ASCII),
                (message == null ? "" : message).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code frames} begin with the error marker frame (a normal reply must not). */
    public static boolean startsWithMarker(List<byte[]> frames) {
        return frames != null && !frames.isEmpty() && Arrays.equals(frames.get(0), MARKER);
    }

    /** Whether {@code reply} is an error reply. */
    public static boolean isErrorReply(Message reply) {
        return reply != null && reply.size() == 3 && Arrays.equals(reply.frame(0), MARKER);
    }

    /** The exception a requester throws for the error reply {@code reply} received on {@code socket}. */
    public static ZmqRemoteException toException(String socket, Message reply) {
        return new ZmqRemoteException(socket, reply.frameString(1), reply.frameString(2));
    }

    /** {@code reply}, or a {@link ZmqRemoteException} thrown when it is an error reply. */
    static Message check(String socket, Message reply) {
        if (isErrorReply(reply)) {
            throw toException(socket, reply);
        }
        return reply;
    }
}
