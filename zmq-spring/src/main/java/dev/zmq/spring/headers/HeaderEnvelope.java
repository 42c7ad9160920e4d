package dev.zmq.spring.headers;

import dev.zmq.Message;
import dev.zmq.SocketType;
import java.util.Map;

/**
 * Where the header frame goes on a socket with the header envelope: first, or, on PUB, XPUB, SUB and
 * XSUB, second, after the topic frame (subscriptions match the first frame, so the topic stays there).
 */
public final class HeaderEnvelope {

    /** A message split into its headers and the frames without the header frame. */
    public record Unwrapped(Map<String, String> headers, Message message) {
    }

    private HeaderEnvelope() {
    }

    /** The index of the header frame on a socket of {@code type}. */
    public static int position(SocketType type) {
        return switch (type) {
            case PUB, XPUB, SUB, XSUB -> 1;
            default -> 0;
        };
    }

    /** {@code message} with the header frame of {@code headers} put in its place. */
    public static Message wrap(SocketType type, Message message, Map<String, String> headers) {
        var frame = ZmqHeaderFrame.encode(headers);
        if (position(type) == 0 || message.size() == 0) {
            return message.prepend(frame);
        }
        var rest = message.size() > 1 ? message.dropFirst(1).prepend(message.first(), frame) : Message.of(message.first(), frame);
        return rest;
    }

    /**
     * The headers and the rest of {@code message}, received on a socket of {@code type} with the envelope.
     *
     * @throws IllegalArgumentException naming the problem when the header frame is missing or malformed
     */
    public static Unwrapped unwrap(SocketType type, Message message) {
        int at = position(type);
        if (message.size() <= at) {
            throw new IllegalArgumentException("a message of " + message.size() + " frame(s) has no header frame at index " + at);
        }
        var headers = ZmqHeaderFrame.decode(message.frame(at));
        Message rest;
        if (message.size() == at + 1) {
            rest = at == 0 ? Message.of(new byte[0]) : Message.of(message.first());
        } else if (at == 0) {
            rest = message.dropFirst(1);
        } else {
            rest = message.dropFirst(2).prepend(message.first());
        }
        return new Unwrapped(headers, rest);
    }
}
