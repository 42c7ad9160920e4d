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
    /**
     * A DGRAM: the envelope is the sender's address frame ({@code ip:port}); a return value goes back
     * there as one datagram. No error replies: a datagram peer is no ZeroMQ requester, and an error
     * reply's three frames do not fit in a datagram.
     */
    DGRAM,
    /** No reply (PULL, SUB, DEALER, PAIR, ...): return values are only sent with {@code @SendTo}. */
    NONE;

    static ReplyMode of(SocketType type) {
        return switch (type) {
            case REP -> REP;
            case ROUTER -> ROUTER;
            case SERVER, PEER -> SERVER;
            case DGRAM -> DGRAM;
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

    /** Whether a failed listener answers with an error reply when its error handler gives none. */
    boolean errorReplies() {
        return replies() && this != DGRAM;
    }

    /** Whether a batch listener may use it: no requester waits for each message's answer. */
    boolean batchable() {
        return this == NONE || this == DGRAM;
    }
}
