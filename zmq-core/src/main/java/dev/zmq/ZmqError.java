package dev.zmq;

/**
 * Why an operation failed, named after the libzmq {@code errno} value a C programmer would see
 * for the same situation.
 */
public enum ZmqError {
    /** The operation would block (non-blocking call, or SNDTIMEO/RCVTIMEO expired). */
    EAGAIN,
    /** The context was closed while the operation was pending or before it started. */
    ETERM,
    /** The socket is closed. */
    ENOTSOCK,
    /** The operation is not valid in the socket's current state (for example REQ sending twice). */
    EFSM,
    /** ROUTER_MANDATORY is set and the message names a peer that is not connected. */
    EHOSTUNREACH,
    /** An argument is invalid: endpoint syntax, option value, message shape. */
    EINVAL,
    /** The socket type does not support the operation (for example receiving on PUSH). */
    ENOTSUP,
    /** The endpoint's transport is unknown. */
    EPROTONOSUPPORT,
    /** The address is already in use. */
    EADDRINUSE,
    /** The address cannot be bound (no such local interface). */
    EADDRNOTAVAIL,
    /** A blocking call was interrupted (the thread's interrupt flag is set again). */
    EINTR,
    /** unbind/disconnect named an endpoint the socket is not bound or connected to. */
    ENOENT
}
