package dev.zmq.perf;

/**
 * A failed ZeroMQ call, in libzmq's terms: {@link #call()} names the libzmq function
 * ({@code zmq_bind}, {@code zmq_recvmsg}, ...) so the commands print what libzmq's tools print.
 */
public final class PerfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final boolean transportUnsupported;

    public PerfException(String call, String reason, boolean transportUnsupported, Throwable cause) {
        super(reason, cause);
        this.call = call;
        this.transportUnsupported = transportUnsupported;
    }

    public PerfException(String call, String reason) {
        this(call, reason, false, null);
    }

    /** The libzmq call that failed, e.g. {@code zmq_bind}. */
    public String call() {
        return call;
    }

    /** Whether the failure is EPROTONOSUPPORT: the implementation lacks the endpoint's transport. */
    public boolean transportUnsupported() {
        return transportUnsupported;
    }
}
