package dev.zmq.internal.wire.mechanism;

/**
 * What a server-side mechanism puts in its ZAP requests besides the peer's credentials.
 *
 * @param domain ZAP_DOMAIN
 * @param routingId this socket's own ROUTING_ID, sent as the identity frame (as libzmq does)
 */
public record ZapSettings(String domain, byte[] routingId) {
}
