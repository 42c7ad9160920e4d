package dev.zmq.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CONNECT_TIMEOUT: a TCP connect that does not complete in time is abandoned and retried. */
@Timeout(60)
class ConnectTimeoutTest {

    @Test
    void aConnectThatHangsIsAbandonedAfterConnectTimeoutAndRetried() throws IOException {
        // A listener that never accepts, with its accept queue full: Linux drops further SYNs,
        // so a connect hangs (for minutes of SYN retries) instead of being refused.
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            List<SocketChannel> fillers = new ArrayList<>();
            try (var ctx = new ZmqContext()) {
                for (int i = 0; i < 8; i++) {
                    var c = SocketChannel.open();
                    c.configureBlocking(false);
                    c.connect(address);
                    fillers.add(c);
                }
                var retried = new ConcurrentLinkedQueue<SocketEvent>();
                var dealer = ctx.socket(SocketType.DEALER);
                dealer.set(SocketOption.LINGER, 0);
                dealer.set(SocketOption.CONNECT_TIMEOUT, 200);
                dealer.monitor(EnumSet.of(SocketEvent.Type.CONNECT_RETRIED), retried::add);
                dealer.connect("tcp://127.0.0.1:" + listener.getLocalPort());
                Await.until("two connect attempts abandoned after CONNECT_TIMEOUT (200 ms) and retried",
                        () -> retried.size() >= 2);
                assertTrue(retried.size() >= 2);
            } finally {
                for (var c : fillers) {
                    c.close();
                }
            }
        }
    }
}
