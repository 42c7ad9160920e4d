package dev.zmq.internal.pipe;

/**
 * The connection side of a {@link Pipe}: told, with the socket lock held, when the application has
 * queued messages to write or has read enough to let a paused reader go on. Implementations only
 * post work to their I/O thread; they never block.
 */
public interface PipeEndpoint {
    /** The pipe's outbound queue went from idle to having messages. */
    void outboundReady();

    /** The pipe's inbound queue drained below its low-water mark after the reader was paused. */
    void resumeReading();

    /**
     * The pattern no longer wants this peer (ROUTER_HANDOVER gave its routing id to a new
     * connection): close its connection; what it already sent stays readable. Endpoints without
     * a connection of their own ignore it.
     */
    default void dropConnection(String reason) {
    }

    /**
     * The pattern closes this peer's connection on the application's request (a STREAM socket sent
     * [routing id, empty]): once what is queued for it is written (within LINGER), the connection
     * closes and the pipe goes, with no reconnection. Endpoints without a connection ignore it.
     */
    default void closeWhenWritten() {
    }

    /**
     * The application gave back its first received frame array ({@link Pipe#recycleIn}) since the
     * pipe last held none: the connection should call {@link Pipe#dropReturnedFramesIfUnused()} from
     * time to time until it returns true, so that arrays it no longer takes are let go. Called with
     * the socket lock held; implementations post to their I/O thread. Endpoints that never decode
     * into returned arrays ignore it.
     */
    default void returnedFramesHeld() {
    }

    /**
     * For a transport that carries each message in one datagram (udp), the largest datagram it
     * sends, in bytes; 0 for the others, which carry messages of any size. A RADIO sends every
     * group to such an endpoint and checks the size before accepting a message, since nothing
     * tells it which groups the DISHes behind a udp endpoint joined (libzmq's subscribe_to_all).
     */
    default int datagramLimit() {
        return 0;
    }
}
