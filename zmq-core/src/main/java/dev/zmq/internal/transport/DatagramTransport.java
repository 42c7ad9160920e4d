package dev.zmq.internal.transport;

import dev.zmq.internal.session.Session;
import dev.zmq.internal.session.SessionHost;

/**
 * A transport without connections (udp, epgm): bind and connect each open the endpoint now, as one
 * session standing for every peer behind it, so address errors reach the caller. As in libzmq,
 * the socket keeps such an endpoint like a connection, whether bound or connected.
 */
public interface DatagramTransport extends Transport {

    /**
     * Opens {@code endpoint} for {@code socket}; the session is not started yet.
     *
     * @param bind whether the application bound (true) or connected (false) the endpoint
     */
    Opened open(SessionHost socket, Endpoint endpoint, boolean bind);

    /**
     * An opened endpoint.
     *
     * @param session the endpoint's session, to start once the socket registered it
     * @param endpoint the endpoint as opened (with the real port of {@code udp://*:*})
     */
    record Opened(Session session, String endpoint) {
    }
}
