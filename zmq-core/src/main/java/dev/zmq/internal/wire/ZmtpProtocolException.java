package dev.zmq.internal.wire;

/** A peer broke the ZMTP protocol; the connection is dropped with this reason. */
public final class ZmtpProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ZmtpProtocolException(String reason) {
        super(reason, null, false, false);
    }
}
