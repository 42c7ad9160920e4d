package dev.zmq.security;

/**
 * Decides whether a client may connect (the handler side of ZAP, RFC 27). Run by a
 * {@link ZapServer}, on its own thread: it may block (look up a database) without stalling any
 * connection but those waiting for its answer. {@link ZapAuthenticator} is a ready one.
 */
@FunctionalInterface
public interface ZapHandler {

    /** The verdict on {@code request}; an exception counts as a 500 (internal error) reply. */
    ZapReply authenticate(ZapRequest request);
}
