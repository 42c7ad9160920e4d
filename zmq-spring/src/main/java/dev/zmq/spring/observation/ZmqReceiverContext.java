package dev.zmq.spring.observation;

import dev.zmq.SocketType;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.Map;

/**
 * The observation context of a message handled by a listener: its carrier is the header map read from
 * the header frame (empty on sockets without the envelope), so a propagating tracing handler continues
 * the sender's trace.
 */
public class ZmqReceiverContext extends ReceiverContext<Map<String, String>> {
    private final String listenerId;
    private final String socket;
    private final SocketType socketType;

    /**
     * @param headers the message's header frame as a map (empty without the envelope), read by propagating handlers
     * @param listenerId the listener's id
     * @param socket the name of the socket received on
     * @param socketType that socket's type
     */
    public ZmqReceiverContext(Map<String, String> headers, String listenerId, String socket, SocketType socketType) {
        super((carrier, key) -> carrier.get(key));
        setCarrier(headers);
        setRemoteServiceName("zeromq");
        this.listenerId = listenerId;
        this.socket = socket;
        this.socketType = socketType;
    }

    /** The id of the listener that handles the message. */
    public String listenerId() {
        return listenerId;
    }

    /** The name of the socket received on. */
    public String socket() {
        return socket;
    }

    /** The type of the socket received on. */
    public SocketType socketType() {
        return socketType;
    }
}
