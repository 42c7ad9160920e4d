package dev.zmq.internal.transport;

import dev.zmq.internal.session.SessionHost;

/** A transport whose bound endpoints accept connections: tcp, ipc and inproc. */
public interface ListeningTransport extends Transport {

    /** Binds {@code endpoint} for {@code socket} synchronously, so address errors reach the caller; the listener is not started yet. */
    Listener bind(SessionHost socket, Endpoint endpoint);
}
