package dev.zmq.samples.divide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.test.ZmqListenerTestHarness;
import dev.zmq.spring.boot.test.ZmqTestUtils;
import dev.zmq.spring.listener.ZmqListenerInvocation;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker role in this JVM with zmq-spring-boot-test: the test plays ventilator and sink (bound to ephemeral
 * ports, which the worker's sockets connect to), waits until the worker is connected to both, and checks each
 * task's result and the listener's calls in the harness. ({@link DivideAndConquerIT} runs the real jars.)
 */
@SpringBootTest(properties = "spring.profiles.active=worker")
@Import(ZmqListenerTestHarness.class)
@Timeout(60)
class WorkerTests {
    private static final ZmqContext PEERS = new ZmqContext();
    private static final ZmqSocket VENTILATOR = bound(SocketType.PUSH);
    private static final ZmqSocket SINK = bound(SocketType.PULL);

    @Autowired
    ZmqListenerTestHarness harness;

    @Autowired
    @Qualifier("tasks")
    ZmqSocket tasks;

    private static ZmqSocket bound(SocketType type) {
        var socket = PEERS.socket(type);
        socket.set(SocketOption.LINGER, 0);
        socket.set(SocketOption.RCVTIMEO, 10_000);
        socket.bind("tcp://127.0.0.1:*");
        return socket;
    }

    @DynamicPropertySource
    static void peers(DynamicPropertyRegistry registry) {
        registry.add("zmq.sockets.tasks.connect", () -> VENTILATOR.get(SocketOption.LAST_ENDPOINT));
        registry.add("zmq.sockets.results.connect", () -> SINK.get(SocketOption.LAST_ENDPOINT));
    }

    @AfterAll
    static void closePeers() {
        VENTILATOR.close();
        SINK.close();
        PEERS.close();
    }

    @Test
    void eachTaskIsWorkedAndItsEmptyResultReachesTheSink() throws Exception {
        ZmqTestUtils.awaitPeers(VENTILATOR, 1, Duration.ofSeconds(10));
        ZmqTestUtils.awaitPeers(tasks, 1, Duration.ofSeconds(10));
        for (var workload : new String[] {"3", "0", "1"}) {
            VENTILATOR.send(workload);
        }
        for (int i = 0; i < 3; i++) {
            var result = SINK.recv();
            assertThat(result.size()).isEqualTo(1);
            assertThat(result.frame(0)).isEmpty();
        }
        var calls = harness.await("worker.work", 3, Duration.ofSeconds(10));
        assertThat(calls).extracting(call -> new String((byte[]) call.message().getPayload())).containsExactly("3", "0", "1");
        assertThat(calls).extracting(ZmqListenerInvocation::result).containsOnly("");
    }
}
