package dev.zmq.internal.wire;

/**
 * A handshake or connection failure; the connection is dropped with this reason. Most are
 * protocol errors with one of libzmq's ZMQ_PROTOCOL_ERROR_* codes (monitor event
 * HANDSHAKE_FAILED_PROTOCOL); {@link #auth} is an authentication refusal carrying the ZAP status
 * code (HANDSHAKE_FAILED_AUTH), {@link #noDetail} a failure libzmq reports with an errno value
 * (HANDSHAKE_FAILED_NO_DETAIL).
 */
public final class ZmtpProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which monitor event reports the failure. */
    public enum Kind { PROTOCOL, AUTH, NO_DETAIL }

    private final Kind kind;
    private final int code;

    /** A protocol error with libzmq's unspecified ZMTP error code. */
    public ZmtpProtocolException(String reason) {
        this(dev.zmq.SocketEvent.ProtocolError.ZMTP_UNSPECIFIED, reason);
    }

    /** A protocol error with one of libzmq's ZMQ_PROTOCOL_ERROR_* codes (see {@code SocketEvent.ProtocolError}). */
    public ZmtpProtocolException(int code, String reason) {
        this(Kind.PROTOCOL, code, reason);
    }

    private ZmtpProtocolException(Kind kind, int code, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    /** Authentication refused, with the ZAP status code (300, 400 or 500). */
    public static ZmtpProtocolException auth(int zapStatus, String reason) {
        return new ZmtpProtocolException(Kind.AUTH, zapStatus, reason);
    }

    /** A failure without a protocol code, with the errno value libzmq reports. */
    public static ZmtpProtocolException noDetail(int errno, String reason) {
        return new ZmtpProtocolException(Kind.NO_DETAIL, errno, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** The libzmq protocol error code, ZAP status or errno, as the monitor reports it. */
    public int code() {
        return code;
    }
}
