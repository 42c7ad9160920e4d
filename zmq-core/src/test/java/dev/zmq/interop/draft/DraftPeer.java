package dev.zmq.interop.draft;

/**
 * One JeroMQ socket of a draft type, driven through JDK types only, so the same driver runs the
 * JeroMQ on the test classpath (0.6.0) and JeroMQ 0.7.0 loaded on its own ({@link JeromqLoader}).
 */
public interface DraftPeer extends AutoCloseable {
    /** A received message: its body, the routing id JeroMQ gave it, its group. */
    record Received(byte[] body, int routingId, String group) {
    }

    /** Binds to a random port on 127.0.0.1 and returns the tcp endpoint. */
    String bind();

    void connect(String endpoint);

    /** PEER: JeroMQ's connectPeer. */
    int connectPeer(String endpoint);

    void join(String group);

    /** Sends one frame with a routing id (0: none) and a group (null: none). */
    void send(byte[] body, int routingId, String group);

    /** The next message within {@code timeoutMillis}, or null. */
    Received recv(int timeoutMillis);

    /** The JeroMQ version running this peer, as its jar says. */
    String version();

    @Override
    void close();
}
