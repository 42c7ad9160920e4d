package dev.zmq;

import java.util.Optional;

/**
 * The ZeroMQ socket patterns. Each constant knows its ZMTP wire name (the {@code Socket-Type}
 * property) and which peer types it may be connected to, as RFC 28, 30 and 31 and libzmq 4.3
 * define them.
 */
public enum SocketType {
    /** Exclusive pair (RFC 31): one peer, bidirectional. */
    PAIR,
    /** Requester (RFC 28): strict send/receive lockstep, load-balanced requests. */
    REQ,
    /** Replier (RFC 28): strict receive/send lockstep, envelopes handled for you. */
    REP,
    /** Asynchronous requester (RFC 28): round-robin out, fair-queued in. */
    DEALER,
    /** Asynchronous replier (RFC 28): messages carry the peer's routing id as first frame. */
    ROUTER,
    /** Pipeline consumer (RFC 30): fair-queued in, cannot send. */
    PULL,
    /** Pipeline producer (RFC 30): round-robin out to peers with room, cannot receive. */
    PUSH;

    /** The value of the ZMTP {@code Socket-Type} property for this type. */
    public String wireName() {
        return name();
    }

    /** Whether a peer of type {@code peer} may be connected to a socket of this type. */
    public boolean isCompatibleWith(SocketType peer) {
        return switch (this) {
            case PAIR -> peer == PAIR;
            case REQ -> peer == REP || peer == ROUTER;
            case REP -> peer == REQ || peer == DEALER;
            case DEALER -> peer == REP || peer == DEALER || peer == ROUTER;
            case ROUTER -> peer == REQ || peer == DEALER || peer == ROUTER;
            case PULL -> peer == PUSH;
            case PUSH -> peer == PULL;
        };
    }

    /** Whether sockets of this type can send. */
    public boolean canSend() {
        return this != PULL;
    }

    /** Whether sockets of this type can receive. */
    public boolean canReceive() {
        return this != PUSH;
    }

    /** The type whose wire name is {@code name}, if this library knows it. */
    public static Optional<SocketType> fromWireName(String name) {
        for (var type : values()) {
            if (type.wireName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
