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
    PUSH,
    /** Publisher (RFC 29): sends to every subscriber whose subscription matches; never blocks, drops at HWM. */
    PUB,
    /** Subscriber (RFC 29): receives what matches its subscriptions, fair-queued; cannot send. */
    SUB,
    /** Extended publisher (RFC 29): a PUB that also receives subscription messages from its subscribers. */
    XPUB,
    /**
     * Extended subscriber (RFC 29): subscriptions are sent as messages ({@code 0x01}+topic /
     * {@code 0x00}+topic), and, as libzmq's XSUB, it delivers everything that arrives (only SUB
     * filters by its subscriptions).
     */
    XSUB,
    /**
     * Plain TCP (libzmq's ZMQ_STREAM): no ZMTP on the wire, the peer's bytes as they come. Every
     * message is [routing id, data]; a connection and a disconnection are announced by a message with
     * empty data (unless STREAM_NOTIFY is off), and sending [routing id, empty] closes that connection
     * once what was queued before is written. Talks to any TCP (or ipc) peer, never to a ZMTP socket.
     */
    STREAM,
    /** Draft (RFC 41): thread-safe, single-frame requester; round-robin out to SERVERs, fair-queued in. */
    CLIENT,
    /**
     * Draft (RFC 41): thread-safe, single-frame replier; every received message carries the
     * {@linkplain Message#routingId() routing id} of its CLIENT, and a reply goes to the routing id it carries.
     */
    SERVER,
    /** Draft (RFC 48): publishes single-frame messages to the DISHes that joined the message's {@linkplain Message#group() group}. */
    RADIO,
    /** Draft (RFC 48): receives the RADIO messages of the groups it {@linkplain ZmqSocket#join(String) joined}. */
    DISH,
    /** Draft (RFC 49): single-frame PUSH, round-robin to GATHERs. */
    SCATTER,
    /** Draft (RFC 49): single-frame PULL, fair-queued from SCATTERs. */
    GATHER,
    /**
     * Draft (RFC 51): a SERVER that also connects; {@link ZmqSocket#connectPeer(String)} returns the
     * routing id of the connected peer.
     */
    PEER,
    /** Draft: single-frame PAIR, thread-safe. */
    CHANNEL,
    /**
     * Draft (libzmq's ZMQ_DGRAM): plain UDP datagrams over {@code udp://} only, which it binds. Every
     * message is two frames, [peer address {@code "ip:port"}, body]: a received one names the sender,
     * a sent one goes to the address it names. Talks to any UDP peer, never to a ZMTP socket.
     */
    DGRAM;

    /** The value of the ZMTP {@code Socket-Type} property for this type. */
    public String wireName() {
        return name();
    }

    /** Whether a peer of type {@code peer} may be connected to a socket of this type. */
    public boolean isCompatibleWith(SocketType peer) {
        // Tests, not a switch on this enum: such a switch is a class of its own (SocketType$1, its
        // $SwitchMap), which each side of a connection loaded at its handshake, inside a latency
        // tool's first roundtrip.
        if (this == REQ) {
            return peer == REP || peer == ROUTER;
        } else if (this == REP) {
            return peer == REQ || peer == DEALER;
        } else if (this == DEALER) {
            return peer == REP || peer == DEALER || peer == ROUTER;
        } else if (this == ROUTER) {
            return peer == REQ || peer == DEALER || peer == ROUTER;
        } else if (this == PUSH) {
            return peer == PULL;
        } else if (this == PULL) {
            return peer == PUSH;
        } else if (this == PUB || this == XPUB) {
            return peer == SUB || peer == XSUB;
        } else if (this == SUB || this == XSUB) {
            return peer == PUB || peer == XPUB;
        } else if (this == CLIENT) {
            return peer == SERVER;
        } else if (this == SERVER) {
            return peer == CLIENT;
        } else if (this == RADIO) {
            return peer == DISH;
        } else if (this == DISH) {
            return peer == RADIO;
        } else if (this == SCATTER) {
            return peer == GATHER;
        } else if (this == GATHER) {
            return peer == SCATTER;
        } else if (this == PAIR || this == PEER || this == CHANNEL) {
            return peer == this;
        }
        return false; // STREAM and DGRAM speak no ZMTP: they have no ZMTP peer type
    }

    /** Whether sockets of this type can send. */
    public boolean canSend() {
        return this != PULL && this != SUB && this != DISH && this != GATHER;
    }

    /** Whether sockets of this type can receive. */
    public boolean canReceive() {
        return this != PUSH && this != PUB && this != RADIO && this != SCATTER;
    }

    /**
     * Whether this is one of libzmq's draft, thread-safe types (CLIENT, SERVER, RADIO, DISH, SCATTER,
     * GATHER, PEER, CHANNEL), which carry single-frame messages only: a message of more frames is
     * refused with EINVAL when sent and dropped when received, as libzmq does.
     */
    public boolean isSingleFrame() {
        return this == CLIENT || this == SERVER || this == RADIO || this == DISH || this == SCATTER
                || this == GATHER || this == PEER || this == CHANNEL; // not a switch: see isCompatibleWith
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
