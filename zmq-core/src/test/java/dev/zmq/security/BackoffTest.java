package dev.zmq.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketEvent;
import dev.zmq.SocketEvent.Type;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client refused by authentication backs off instead of reconnecting in a tight loop. */
@Timeout(60)
class BackoffTest {

    @Test
    void refusedClientReconnectsEverMoreSlowly() {
        try (var ctx = new ZmqContext();
             var zap = new ZapAuthenticator().addUser("admin", "s3cret").start(ctx);
             var server = ctx.socket(SocketType.PULL);
             var client = ctx.socket(SocketType.PUSH)) {
            server.set(SocketOption.PLAIN_SERVER, true);
            client.set(SocketOption.PLAIN_USERNAME, "admin");
            client.set(SocketOption.PLAIN_PASSWORD, "wrong");
            client.set(SocketOption.LINGER, 0);
            var serverEvents = Events.of(server);
            var clientEvents = Events.of(client);
            client.connect(server.bind("tcp://127.0.0.1:*"));
            client.send("x");
            Await.until("five retries", Duration.ofSeconds(20), () -> clientEvents.count(Type.CONNECT_RETRIED) >= 5);
            var delays = clientEvents.all.stream().filter(e -> e.type() == Type.CONNECT_RETRIED).mapToLong(SocketEvent::value).toArray();
            // RECONNECT_IVL 100 ms doubling (plus up to 100 ms of jitter): 100, 200, 400, 800, 1600...
            for (int i = 0; i < 5; i++) {
                long floor = 100L << i;
                assertTrue(delays[i] >= floor && delays[i] < floor + 100, "retry " + i + " after " + delays[i] + " ms: " + java.util.Arrays.toString(delays));
            }
            assertTrue(serverEvents.count(Type.HANDSHAKE_FAILED_AUTH) >= 5, "each attempt was refused by authentication");
        }
    }
}
