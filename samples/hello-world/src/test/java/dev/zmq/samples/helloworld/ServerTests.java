package dev.zmq.samples.helloworld;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.test.ZmqListenerTestHarness;
import dev.zmq.spring.listener.ZmqListenerInvocation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The server role in this JVM, tested the way an application tests itself with zmq-spring-boot-test: the REP
 * socket binds an ephemeral port, {@code local.zmq.responder.endpoint} says which, and the harness shows
 * what the listener got and answered. ({@link HelloWorldIT} runs the real jar as a process.)
 */
// tag::test-module[]
@SpringBootTest(properties = {"spring.profiles.active=server", "zmq.sockets.responder.bind=tcp://127.0.0.1:*",
        "hello-world.work=0s"})
@Import(ZmqListenerTestHarness.class)
@Timeout(60)
class ServerTests {
    @Autowired
    ZmqContext context;

    @Autowired
    ZmqListenerTestHarness harness;

    @Value("${local.zmq.responder.endpoint}")
    String endpoint;

    @Test
    void everyHelloIsAnsweredWithWorld() throws Exception {
        assertThat(endpoint).startsWith("tcp://127.0.0.1:").doesNotEndWith("*");
        try (var req = context.socket(SocketType.REQ)) {
            req.set(SocketOption.LINGER, 0);
            req.set(SocketOption.RCVTIMEO, 10_000);
            req.connect(endpoint);
            for (int i = 0; i < 3; i++) {
                req.send("Hello");
                assertThat(req.recvString()).isEqualTo("World");
            }
        }
        var calls = harness.await("server.reply", 3, Duration.ofSeconds(10));
        assertThat(calls).extracting(call -> new String((byte[]) call.message().getPayload(), StandardCharsets.UTF_8))
                .containsExactly("Hello", "Hello", "Hello");
        assertThat(calls).extracting(ZmqListenerInvocation::result).containsOnly("World");
        assertThat(calls).extracting(ZmqListenerInvocation::failure).containsOnlyNulls();
    }
}
// end::test-module[]
