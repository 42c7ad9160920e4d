package dev.zmq.spring.recovery;

import dev.zmq.Message;

/**
 * A message a listener could not handle after its last attempt.
 *
 * @param listenerId the listener's id
 * @param socket the name of the socket it came from
 * @param message the frames as the listener received them (a ROUTER's or REP's envelope removed)
 * @param failure why the last attempt failed (the listener's exception, unwrapped)
 * @param attempts how many times the listener was invoked
 */
public record ZmqFailedMessage(String listenerId, String socket, Message message, Throwable failure, int attempts) {
}
