package dev.zmq.perf;

/**
 * What a perf command needs from a ZeroMQ implementation, and nothing more: a context, the four
 * socket types of libzmq's perf tools, bind/connect, and single-frame send/receive of byte arrays.
 * Every command is written once against this interface, so both implementations run exactly the
 * same loop.
 *
 * <p>Implementations report every failure as a {@link PerfException} naming the libzmq call that
 * failed, so the commands can print libzmq's {@code error in zmq_xxx: reason} lines.
 */
public interface PerfZmq {

    /** The socket types the perf tools use (XPUB and SUB for the Guide's weather benchmark). */
    enum Kind { PUSH, PULL, REQ, REP, XPUB, SUB }

    /** The name given to {@code --impl}. */
    String name();

    /** A context with one I/O thread, as {@code zmq_init(1)}. */
    Context newContext();

    /** A ZeroMQ context. */
    interface Context extends AutoCloseable {
        Socket socket(Kind kind);

        /** Terminates the context, delivering pending messages as libzmq's default LINGER does. Idempotent. */
        @Override
        void close();
    }

    /** A ZeroMQ socket used by one thread. */
    interface Socket extends AutoCloseable {
        /** Binds and returns the endpoint actually bound (with the real port for {@code tcp://host:*}). */
        String bind(String endpoint);

        void connect(String endpoint);

        /** Sends {@code data} as a single-frame message; the array is not modified afterwards. */
        void send(byte[] data);

        /** Receives the next single-frame message; blocks until one arrives. */
        byte[] recv();

        /**
         * Receives the next single-frame message into {@code buffer} (zmq_recv), blocking until one
         * arrives, and returns its size; a larger message is cut to the buffer (then the size
         * returned is the implementation's: the whole size, or what was copied).
         */
        int recv(byte[] buffer);

        /** SUB: receive messages starting with {@code prefix}. */
        void subscribe(byte[] prefix);

        /** CURVE server (as libzmq's perf tools with enable_curve): this 32-byte secret key. */
        void curveServer(byte[] secretKey);

        /** CURVE client: the server's public key and this client's key pair (32 bytes each). */
        void curveClient(byte[] serverPublicKey, byte[] publicKey, byte[] secretKey);

        /** XPUB: block at a full subscriber (XPUB_NODROP) instead of dropping, so nothing is lost. */
        void noDrop();

        @Override
        void close();
    }
}
