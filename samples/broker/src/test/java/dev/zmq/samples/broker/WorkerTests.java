package dev.zmq.samples.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.test.ZmqListenerTestHarness;
import dev.zmq.spring.boot.test.ZmqTestUtils;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker role in this JVM with zmq-spring-boot-test: the test plays the broker's backend with a DEALER bound to
 * an ephemeral port (the envelope a broker's ROUTER would add is the empty delimiter here), waits until the worker's
 * REP is connected, and checks the replies and the harness. ({@link BrokerIT} runs the real jars.)
 */
@SpringBootTest(properties = "spring.profiles.active=worker")
@Import(ZmqListenerTestHarness.class)
@Timeout(60)
class WorkerTests {
    private static final ZmqContext PEERS = new ZmqContext();
    private static final ZmqSocket BACKEND = PEERS.socket(SocketType.DEALER);

    static {
        BACKEND.set(SocketOption.LINGER, 0);
        BACKEND.set(SocketOption.RCVTIMEO, 10_000);
        BACKEND.bind("tcp://127.0.0.1:*");
    }

    @Autowired
    ZmqListenerTestHarness harness;

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry registry) {
        registry.add("zmq.sockets.backend.connect", () -> BACKEND.get(SocketOption.LAST_ENDPOINT));
    }

    @AfterAll
    static void closeBackend() {
        BACKEND.close();
        PEERS.close();
    }

    @Test
    void everyRequestFromTheBrokerIsAnsweredWithWorld() throws Exception {
        ZmqTestUtils.awaitPeers(BACKEND, 1, Duration.ofSeconds(10));
        BACKEND.send(Message.of("", "Hello"));
        var reply = BACKEND.recv();
        assertThat(reply.frames()).extracting(String::new).containsExactly("", "World");
        var call = harness.await("worker.reply", 1, Duration.ofSeconds(10)).get(0);
        assertThat(new String((byte[]) call.message().getPayload())).isEqualTo("Hello");
        assertThat(call.result()).isEqualTo("World");
    }
}
