package dev.zmq.spring.socket;

import dev.zmq.ZmqSocket;

/**
 * Customizes every socket the starter creates (configured ones and listeners' inline ones) after
 * its configured options are set and before it binds or connects, for what properties cannot
 * express.
 */
@FunctionalInterface
public interface ZmqSocketCustomizer {
    /**
     * @param name the socket's name: its key under {@code zmq.sockets}, or the listener id for an
     *        inline listener socket
     */
    void customize(String name, ZmqSocket socket);
}
