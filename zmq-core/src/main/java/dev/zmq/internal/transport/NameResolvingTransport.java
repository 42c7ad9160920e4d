package dev.zmq.internal.transport;

import dev.zmq.internal.session.ResolvingConnector;
import dev.zmq.internal.session.SessionHost;

/**
 * A stream transport whose endpoints name a host that may stand for several addresses (tcp), so
 * CONNECT_ALL_ADDRESSES applies to it.
 */
public interface NameResolvingTransport extends StreamTransport {

    /**
     * Checks {@code endpoint} for connecting to every address behind its host: the host and port to
     * resolve, and a dialer for each address found.
     */
    ResolvingConnector.Target resolvable(SessionHost socket, Endpoint endpoint);
}
