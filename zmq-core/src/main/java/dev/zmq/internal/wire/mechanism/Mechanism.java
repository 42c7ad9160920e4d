package dev.zmq.internal.wire.mechanism;

import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.util.Map;

/**
 * A ZMTP security mechanism (RFC 23 section "Authentication and Confidentiality"): it runs the
 * handshake commands after the greeting and ends with the peer's metadata. NULL, PLAIN and CURVE
 * plug in here without touching framing: a mechanism that protects data after the handshake
 * (CURVE) returns a {@link MessageCodec}; the others leave frames as they are, at no cost.
 */
public interface Mechanism {

    /** The name in the greeting, e.g. "NULL". */
    String name();

    /** The greeting's as-server flag for our side. */
    boolean asServer();

    /** Starts the handshake, sending the first commands through {@code handshake}. */
    void start(Handshake handshake) throws ZmtpProtocolException;

    /** Handles a handshake command from the peer (the whole command frame body), possibly sending more. */
    void onCommand(byte[] body, Handshake handshake) throws ZmtpProtocolException;

    /** Whether the handshake is done: data frames may flow. */
    boolean isComplete();

    /** The peer's metadata, once complete. */
    Metadata peerMetadata();

    /**
     * How data frames and commands travel once the handshake is complete, or null when they go on
     * the wire unchanged (NULL, PLAIN).
     */
    default MessageCodec codec() {
        return null;
    }

    /** User-Id and the metadata a ZAP handler returned, for received messages; empty if none. */
    default Map<String, String> zapProperties() {
        return Map.of();
    }

    /** The connection ended: forget pending requests, wipe secrets. Called once, on the I/O thread. */
    default void dispose() {
    }
}
