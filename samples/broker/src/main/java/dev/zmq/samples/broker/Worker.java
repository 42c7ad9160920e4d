package dev.zmq.samples.broker;

import dev.zmq.spring.listener.ZmqListener;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * rrworker: a REP socket connected to the broker's backend ({@code zmq.sockets.backend}); every
 * request is answered with "World". Runs until stopped; on SIGTERM the request in hand is answered
 * before the socket closes.
 */
@Component
@Profile("worker")
class Worker {

    @ZmqListener(socket = "backend")
    String reply(String request) {
        System.out.println("Received request: [" + request + "]");
        return "World";
    }
}
