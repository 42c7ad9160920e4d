package dev.zmq.internal.wire.mechanism;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a mechanism asks the context's ZAP handler (RFC 27) about a peer. Owned by the mechanism
 * layer, so mechanisms and the engine depend on this interface only; the context's ZAP client
 * (a DEALER connected to {@link #ENDPOINT}) implements it. Never blocks the caller, an I/O thread.
 */
public interface ZapRequester {
    /** Where ZAP handlers bind, as RFC 27 fixes it. */
    String ENDPOINT = "inproc://zeromq.zap.01";

    /** Whether a ZAP handler is bound in this context (libzmq's zap_connect succeeding). */
    boolean handlerPresent();

    /**
     * Sends a request; {@code callback} gets the outcome on another thread (or at once, on the
     * calling thread, if the request cannot be sent).
     *
     * @param domain ZAP_DOMAIN
     * @param address the peer's IP address
     * @param identity our socket's routing id
     * @param mechanism the mechanism's name ("NULL", "PLAIN", "CURVE")
     * @param credentials the mechanism's credential frames
     */
    Pending request(String domain, String address, byte[] identity, String mechanism, List<byte[]> credentials,
                    Consumer<Outcome> callback);

    /** The outcome of a request: a well-formed reply, or a malformed one with libzmq's protocol error code. */
    sealed interface Outcome permits Reply, Failure {
    }

    /**
     * A well-formed reply.
     *
     * @param statusCode "200", "300", "400" or "500"
     * @param statusText the handler's explanation
     * @param userId the user id (for 200)
     * @param metadata the ZAP metadata, decoded
     */
    record Reply(String statusCode, String statusText, String userId, Map<String, String> metadata) implements Outcome {
        public boolean ok() {
            return statusCode.equals("200");
        }
    }

    /** A reply that breaks RFC 27, or a handler that went away. */
    record Failure(int protocolError, String reason) implements Outcome {
    }

    /** Lets a connection that goes away forget its request. */
    interface Pending {
        void cancel();
    }
}
