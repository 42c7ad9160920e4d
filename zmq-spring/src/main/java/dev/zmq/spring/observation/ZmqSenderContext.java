package dev.zmq.spring.observation;

import dev.zmq.SocketType;
import io.micrometer.observation.transport.SenderContext;
import java.util.Map;

/**
 * The observation context of a send ({@code ZmqTemplate}, {@code @SendTo}, listener replies): its carrier
 * is the header map written into the header frame, so a propagating tracing handler's
 * {@code traceparent} travels with the message on sockets with the header envelope.
 */
public class ZmqSenderContext extends SenderContext<Map<String, String>> {
    private final String socket;
    private final SocketType socketType;
    private final String operation;

    /**
     * @param headers the header map to send (written into the header frame on sockets with the envelope), which
     *                propagating handlers add their context to when the observation starts
     * @param socket the name of the socket sent on
     * @param socketType that socket's type
     * @param operation {@code send}, {@code request} or {@code send-to}
     */
    public ZmqSenderContext(Map<String, String> headers, String socket, SocketType socketType, String operation) {
        super((carrier, key, value) -> carrier.put(key, value));
        setCarrier(headers);
        setRemoteServiceName("zeromq");
        this.socket = socket;
        this.socketType = socketType;
        this.operation = operation;
    }

    /** The name of the socket sent on. */
    public String socket() {
        return socket;
    }

    /** The type of the socket sent on. */
    public SocketType socketType() {
        return socketType;
    }

    /** {@code send}, {@code request} or {@code send-to}. */
    public String operation() {
        return operation;
    }
}
