package dev.zmq.samples.broker;

import dev.zmq.Message;
import dev.zmq.spring.core.ZmqReplyTimeoutException;
import dev.zmq.spring.core.ZmqTemplate;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * rrclient: makes {@code client.requests} requests through the broker's frontend
 * ({@code zmq.sockets.frontend}, a REQ socket) and prints each reply. A request without a reply
 * within {@code zmq.template.reply-timeout} ends the run with exit status 1 instead of waiting forever.
 */
@Component
@Profile("client")
class Client implements ApplicationRunner, ExitCodeGenerator {
    private final ZmqTemplate template;
    private final ClientProperties properties;
    private volatile int exitCode;

    Client(ZmqTemplate template, ClientProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        // tag::request-reply[]
        for (int request = 1; request <= properties.requests(); request++) {
            Message reply;
            try {
                reply = template.sendAndReceive("frontend", Message.of(properties.request()));
            } catch (ZmqReplyTimeoutException e) {
                System.err.println("client: " + e.getMessage());
                exitCode = 1;
                return;
            }
            System.out.println("Received reply " + request + " [" + new String(reply.last(), StandardCharsets.UTF_8) + "]");
        }
        // end::request-reply[]
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
