package dev.zmq.internal.wire.mechanism;

import dev.zmq.internal.wire.Command;
import dev.zmq.internal.wire.Metadata;
import dev.zmq.internal.wire.ZmtpProtocolException;
import java.util.function.Consumer;

/**
 * A ZMTP security mechanism (RFC 23 section "Authentication and Confidentiality"): it runs the
 * handshake commands after the greeting and ends with the peer's metadata. NULL is the only one
 * today; PLAIN and CURVE plug in here without touching framing.
 */
public interface Mechanism {

    /** The name in the greeting, e.g. "NULL". */
    String name();

    /** The greeting's as-server flag for our side. */
    boolean asServer();

    /** Starts the handshake, sending the first commands (command frame bodies) through {@code send}. */
    void start(Consumer<byte[]> send);

    /** Handles a handshake command from the peer, possibly sending more. */
    void onCommand(Command command, Consumer<byte[]> send) throws ZmtpProtocolException;

    /** Whether the handshake is done: data frames may flow. */
    boolean isComplete();

    /** The peer's metadata, once complete. */
    Metadata peerMetadata();
}
