package dev.zmq;

/**
 * Why an operation failed, named after the libzmq {@code errno} value a C programmer would see
 * for the same situation.
 */
public enum ZmqError {
    /** The operation would block (non-blocking call, or SNDTIMEO/RCVTIMEO expired). */
    EAGAIN(11),
    /** The context was closed while the operation was pending or before it started. */
    ETERM(156384765),
    /** The socket is closed. */
    ENOTSOCK(88),
    /** The operation is not valid in the socket's current state (for example REQ sending twice). */
    EFSM(156384763),
    /**
     * The message names a peer that is not connected: a ROUTER with ROUTER_MANDATORY, a STREAM, a
     * SERVER or a PEER.
     */
    EHOSTUNREACH(113),
    /** An argument is invalid: endpoint syntax, option value, message shape. */
    EINVAL(22),
    /** The socket type does not support the operation (for example receiving on PUSH). */
    ENOTSUP(95),
    /** The endpoint's transport is unknown. */
    EPROTONOSUPPORT(93),
    /** The endpoint's transport cannot carry this socket type (epgm with anything but PUB, XPUB, SUB, XSUB). */
    ENOCOMPATPROTO(156384764),
    /** The address is already in use. */
    EADDRINUSE(98),
    /** The address cannot be bound (no such local interface). */
    EADDRNOTAVAIL(99),
    /** A blocking call was interrupted (the thread's interrupt flag is set again). */
    EINTR(4),
    /** unbind/disconnect named an endpoint the socket is not bound or connected to. */
    ENOENT(2),
    /** libzmq's answer to a call that cannot work with the socket's options (connectPeer with IMMEDIATE). */
    EFAULT(14),
    /** The message is larger than its transport can carry (udp: one datagram of at most 8192 bytes, as libzmq). */
    EMSGSIZE(90);

    private final int errno;

    ZmqError(int errno) {
        this.errno = errno;
    }

    /** The errno value libzmq uses on Linux (ETERM, EFSM and ENOCOMPATPROTO are libzmq's own numbers). */
    public int errno() {
        return errno;
    }
}
