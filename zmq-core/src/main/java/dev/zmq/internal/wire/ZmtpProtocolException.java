package dev.zmq.internal.wire;

/** A peer broke the ZMTP protocol; the connection is dropped with this reason. */
public final class ZmtpProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;

    /** A protocol error with libzmq's unspecified ZMTP error code. */
    public ZmtpProtocolException(String reason) {
        this(dev.zmq.SocketEvent.ProtocolError.ZMTP_UNSPECIFIED, reason);
    }

    /** A protocol error with one of libzmq's ZMQ_PROTOCOL_ERROR_* codes (see {@code SocketEvent.ProtocolError}). */
    public ZmtpProtocolException(int code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    /** The libzmq protocol error code, reported by the monitor. */
    public int code() {
        return code;
    }
}
