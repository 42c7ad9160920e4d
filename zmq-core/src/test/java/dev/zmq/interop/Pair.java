package dev.zmq.interop;

import static dev.zmq.SocketType.DEALER;
import static dev.zmq.SocketType.PAIR;
import static dev.zmq.SocketType.PULL;
import static dev.zmq.SocketType.PUSH;
import static dev.zmq.SocketType.REP;
import static dev.zmq.SocketType.REQ;
import static dev.zmq.SocketType.ROUTER;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;

/** The valid socket-type pairs of the matrix, each with its natural traffic. */
enum Pair {
    REQ_REP(REQ, REP),
    REQ_ROUTER(REQ, ROUTER),
    DEALER_REP(DEALER, REP),
    DEALER_ROUTER(DEALER, ROUTER),
    DEALER_DEALER(DEALER, DEALER),
    ROUTER_ROUTER(ROUTER, ROUTER),
    PUSH_PULL(PUSH, PULL),
    PAIR_PAIR(PAIR, PAIR);

    private static final byte[] FIRST_ID = Payloads.bytes("router-1st");
    private static final byte[] SECOND_ID = Payloads.bytes("router-2nd");

    final SocketType first;
    final SocketType second;

    Pair(SocketType first, SocketType second) {
        this.first = first;
        this.second = second;
    }

    /** Options the pattern needs before binding or connecting. */
    void configure(PeerSocket first, PeerSocket second, boolean firstBinds) {
        if (this == ROUTER_ROUTER) {
            first.set(SocketOption.ROUTING_ID, FIRST_ID);
            second.set(SocketOption.ROUTING_ID, SECOND_ID);
            (firstBinds ? second : first).set(SocketOption.ROUTER_MANDATORY, true);
        }
    }

    /** Runs the pattern's traffic between the two connected sockets. */
    void exchange(PeerSocket first, PeerSocket second, boolean firstBinds) {
        switch (this) {
            case REQ_REP, REQ_ROUTER, DEALER_REP, DEALER_ROUTER -> Exchanges.requestReply(first, second);
            case DEALER_DEALER, PAIR_PAIR -> Exchanges.bothWays(first, second);
            case PUSH_PULL -> Exchanges.pipeline(first, second);
            case ROUTER_ROUTER -> {
                if (firstBinds) {
                    Exchanges.routerToRouter(second, SECOND_ID, first, FIRST_ID);
                } else {
                    Exchanges.routerToRouter(first, FIRST_ID, second, SECOND_ID);
                }
            }
        }
    }

    @Override
    public String toString() {
        return first + "-" + second;
    }
}
