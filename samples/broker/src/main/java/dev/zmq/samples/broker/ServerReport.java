package dev.zmq.samples.broker;

import dev.zmq.SocketOption;
import dev.zmq.ZmqSocket;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells where the running broker listens: its real ZeroMQ endpoints and HTTP port. */
@Component
@Profile("server")
class ServerReport implements ApplicationRunner {
    private final ZmqSocket frontend;
    private final ZmqSocket backend;
    private final Environment environment;

    ServerReport(@Qualifier("frontend") ZmqSocket frontend, @Qualifier("backend") ZmqSocket backend, Environment environment) {
        this.frontend = frontend;
        this.backend = backend;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        System.out.println("broker frontend bound to " + frontend.get(SocketOption.LAST_ENDPOINT)
                + ", backend bound to " + backend.get(SocketOption.LAST_ENDPOINT));
        System.out.println("actuator on http://localhost:" + environment.getProperty("local.server.port") + "/actuator");
    }
}
