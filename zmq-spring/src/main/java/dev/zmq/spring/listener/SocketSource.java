package dev.zmq.spring.listener;

import dev.zmq.spring.socket.ManagedSocket;

/** Where a container gets its socket on start and what it does with it on stop. */
interface SocketSource {
    /** The socket to listen on, opened (bound, connected) if the container owns it. */
    ManagedSocket open();

    /** Called once the workers ended: closes the socket if the container owns it. */
    void release(ManagedSocket socket);

    /** Whether the container owns (creates and closes) the socket. */
    boolean owned();
}
