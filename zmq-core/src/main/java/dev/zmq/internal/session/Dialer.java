package dev.zmq.internal.session;

import dev.zmq.internal.io.IoThread;
import java.nio.channels.SocketChannel;

/** Opens outgoing connections for one endpoint of one transport. */
public interface Dialer {

    /** What a connection attempt ends with; called on the I/O thread. */
    interface Callback {
        void connected(SocketChannel channel, String peerAddress);

        /**
         * The attempt failed; it is not retried by the dialer. {@code peer} is the endpoint or address
         * tried and {@code cause} why (both already made: a refused attempt builds no text).
         */
        void failed(String peer, String cause);
    }

    /**
     * Starts one connection attempt on {@code io}; returns a handle to abandon it. Call on the I/O
     * thread, one attempt at a time (a dialer serves one session and may reuse its attempt object).
     */
    Attempt dial(IoThread io, Callback callback);

    /** An attempt in progress. */
    interface Attempt {
        /** Abandons the attempt, closing its channel; the callback is not called. */
        void cancel();

        /** Whether the attempt is still waiting for the connection to complete. */
        default boolean pending() {
            return false;
        }
    }
}
