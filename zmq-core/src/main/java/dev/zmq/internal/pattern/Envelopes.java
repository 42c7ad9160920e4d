package dev.zmq.internal.pattern;

import dev.zmq.Message;

/** What REQ and REP share of a message with an envelope: its body once the envelope is taken off. */
final class Envelopes {
    private Envelopes() {
    }

    /**
     * The frames of {@code m} from {@code bodyStart} on ({@code frames} its frames, {@code bodyStart}
     * less than their count): a one-frame body of a message without properties (inproc's, or a tcp
     * connection's without metadata) as its bare frame, which stands for {@code Message.of(frame)}
     * (see {@link Pattern#tryRecvFrame}); any other body as the Message {@code m.dropFirst} gives,
     * which keeps the connection's properties.
     */
    static Object body(Message m, byte[][] frames, int bodyStart) {
        if (bodyStart == frames.length - 1 && m.properties().isEmpty()) {
            return frames[bodyStart];
        }
        return m.dropFirst(bodyStart);
    }
}
