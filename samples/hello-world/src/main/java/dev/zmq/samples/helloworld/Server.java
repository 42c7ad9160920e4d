package dev.zmq.samples.helloworld;

import dev.zmq.SocketOption;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.listener.ZmqListener;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * hwserver: a REP socket ({@code zmq.sockets.responder}) that answers every request with "World"
 * after {@code hello-world.work} of "work". Runs until stopped; on SIGTERM the request in hand is
 * answered before the socket closes.
 */
@Component
@Profile("server")
class Server {
    private final HelloWorldProperties properties;

    /** Says where it listens; the socket is bound before the listener takes its first request. */
    Server(@Qualifier("responder") ZmqSocket responder, HelloWorldProperties properties) {
        this.properties = properties;
        System.out.println("hello world server bound to " + responder.get(SocketOption.LAST_ENDPOINT));
    }

    @ZmqListener(socket = "responder")
    String reply(String request) throws InterruptedException {
        System.out.println("Received request: " + request);
        Thread.sleep(properties.work().toMillis()); // do some 'work'
        return "World";
    }
}
