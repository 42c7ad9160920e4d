package dev.zmq.samples.weather;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.test.ZmqTestUtils;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The server role in this JVM with zmq-spring-boot-test: a subscriber connects to
 * {@code local.zmq.updates.endpoint}, the test waits until the PUB has it as a peer, then reads updates in the
 * Guide's format. ({@link WeatherIT} runs the real jar as a process.)
 */
@SpringBootTest(properties = {"spring.profiles.active=server", "zmq.sockets.updates.bind=tcp://127.0.0.1:*"})
@Timeout(60)
class ServerTests {
    @Autowired
    ZmqContext context;

    @Autowired
    @Qualifier("updates")
    ZmqSocket updates;

    @Value("${local.zmq.updates.endpoint}")
    String endpoint;

    @Test
    void aSubscriberGetsUpdatesOfZipcodeTemperatureAndHumidity() throws Exception {
        try (var sub = context.socket(SocketType.SUB)) {
            sub.set(SocketOption.LINGER, 0);
            sub.set(SocketOption.RCVTIMEO, 10_000);
            sub.subscribe("1");
            sub.connect(endpoint);
            ZmqTestUtils.awaitPeers(updates, 1, Duration.ofSeconds(10));
            for (int i = 0; i < 5; i++) {
                assertThat(sub.recvString()).matches("1\\d{4} -?\\d{1,3} \\d{2}");
            }
        }
    }
}
