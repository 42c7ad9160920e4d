package dev.zmq.spring.listener;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.spring.headers.HeaderEnvelope;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A received message split into its envelope (kept for the reply) and its content, with the
 * topic (SUB) and routing id (ROUTER; DGRAM: the sender's address) picked out, and the headers of the header frame on a socket
 * with the header envelope (empty otherwise).
 */
record InboundMessage(byte[][] envelope, Message content, String topic, byte[] routingId, Map<String, String> headers) {
    private static final byte[] EMPTY = new byte[0];

    InboundMessage(byte[][] envelope, Message content, String topic, byte[] routingId) {
        this(envelope, content, topic, routingId, Map.of());
    }

    /**
     * Null when a REP-over-ROUTER request has no delimiter (malformed: dropped as REP does).
     *
     * @throws IllegalArgumentException when the socket has the header envelope and the header frame is missing or malformed
     */
    static InboundMessage parse(ReplyMode mode, Message raw, List<String> topics, SocketType type, boolean headerEnvelope) {
        var in = parse(mode, raw, topics);
        if (in == null || !headerEnvelope) {
            return in;
        }
        var unwrapped = HeaderEnvelope.unwrap(type, in.content());
        return new InboundMessage(in.envelope(), unwrapped.message(), in.topic(), in.routingId(), unwrapped.headers());
    }

    static InboundMessage parse(ReplyMode mode, Message raw, List<String> topics) {
        return switch (mode) {
            case REP, NONE -> new InboundMessage(null, raw, topic(raw, topics), null);
            case SERVER -> new InboundMessage(null, raw, null, null); // the routing id stays on the message
            // [address, body]: the address is where a reply goes, as a ROUTER's routing id
            case DGRAM -> new InboundMessage(new byte[][] {raw.first()}, raw.size() > 1 ? raw.dropFirst(1) : Message.of(EMPTY), null,
                    raw.first());
            case REP_OVER_ROUTER, ROUTER -> {
                var frames = raw.frames();
                int delimiter = -1;
                for (int i = 1; i < frames.size(); i++) {
                    if (frames.get(i).length == 0) {
                        delimiter = i;
                        break;
                    }
                }
                if (delimiter < 0 && mode == ReplyMode.REP_OVER_ROUTER) {
                    yield null;
                }
                int envelopeSize = delimiter < 0 ? 1 : delimiter + 1;
                var envelope = frames.subList(0, envelopeSize).toArray(byte[][]::new);
                Message content;
                if (envelopeSize < raw.size()) {
                    content = raw.dropFirst(envelopeSize);
                } else if (delimiter > 0) {
                    content = raw.dropFirst(delimiter); // nothing after the delimiter: the empty frame, with the message's properties
                } else {
                    content = Message.of(EMPTY);
                }
                yield new InboundMessage(envelope, content, null, raw.first());
            }
        };
    }

    /** The body: the last frame. */
    byte[] body() {
        return content.last();
    }

    private static String topic(Message raw, List<String> topics) {
        if (topics == null) {
            return null;
        }
        if (raw.size() > 1) {
            return raw.frameString(0);
        }
        var first = raw.first();
        String best = null;
        for (var t : topics) {
            var prefix = t.getBytes(StandardCharsets.UTF_8);
            if (prefix.length <= first.length && Arrays.equals(first, 0, prefix.length, prefix, 0, prefix.length)
                    && (best == null || t.length() > best.length())) {
                best = t;
            }
        }
        return best;
    }
}
