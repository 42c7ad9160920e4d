package dev.zmq.samples.helloworld;

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
 * hwclient: sends "Hello" {@code hello-world.requests} times on the REQ socket
 * {@code zmq.sockets.requester}, waiting for each reply, as the Guide's client does. A request
 * without a reply within {@code zmq.template.reply-timeout} ends the run with exit status 1.
 */
@Component
@Profile("client")
class Client implements ApplicationRunner, ExitCodeGenerator {
    private final ZmqTemplate template;
    private final HelloWorldProperties properties;
    private volatile int exitCode;

    Client(ZmqTemplate template, HelloWorldProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        System.out.println("Connecting to hello world server...");
        for (int request = 0; request < properties.requests(); request++) {
            System.out.println("Sending Hello " + request + "...");
            Message reply;
            try {
                reply = template.sendAndReceive("requester", Message.of("Hello"));
            } catch (ZmqReplyTimeoutException e) {
                System.err.println("client: " + e.getMessage());
                exitCode = 1;
                return;
            }
            System.out.println("Received " + new String(reply.last(), StandardCharsets.UTF_8) + " " + request);
        }
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
