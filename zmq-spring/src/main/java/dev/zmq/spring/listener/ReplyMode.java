package dev.zmq.spring.listener;

import dev.zmq.SocketType;

/** How a listener's socket receives and answers. */
enum ReplyMode {
    /** A real REP socket: the core strips and restores the envelope; every request must be answered. */
    REP,
    /** REP semantics over a ROUTER (inline REP with concurrency &gt; 1): envelope up to the empty delimiter; must answer. */
    REP_OVER_ROUTER,
    /** A ROUTER: the envelope is the routing id and, for REQ peers, the frames up to the empty delimiter. */
    ROUTER,
    /** A SERVER or PEER: the reply goes to the routing id the request carried (Message.routingId()). */
    SERVER,
    /** No reply (PULL, SUB, DEALER, PAIR, ...): return values are only sent with {@code @SendTo}. */
    NONE;

    static ReplyMode of(SocketType type) {
        return switch (type) {
            case REP -> REP;
            case ROUTER -> ROUTER;
            case SERVER, PEER -> SERVER;
            default -> NONE;
        };
    }

    /** Whether a requester waits for an answer to every message. */
    boolean mustReply() {
        return this == REP || this == REP_OVER_ROUTER;
    }

    boolean replies() {
        return this != NONE;
    }
}
