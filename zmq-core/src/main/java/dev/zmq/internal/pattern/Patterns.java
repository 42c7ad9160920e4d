package dev.zmq.internal.pattern;

import dev.zmq.SocketType;
import dev.zmq.internal.socket.Options;

/** Creates the pattern for a socket type. */
public final class Patterns {
    private Patterns() {
    }

    public static Pattern create(SocketType type, Options options) {
        return switch (type) {
            case PAIR -> new PairPattern();
            case REQ -> new ReqPattern(options);
            case REP -> new RepPattern();
            case DEALER -> new DealerPattern();
            case ROUTER -> new RouterPattern(options);
            case PULL -> new PullPattern();
            case PUSH -> new PushPattern();
        };
    }
}
