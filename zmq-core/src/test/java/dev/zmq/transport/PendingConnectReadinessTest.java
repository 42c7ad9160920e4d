package dev.zmq.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What StreamDialer relies on to learn of a refused connect without finishConnect's exception: a
 * pending connect registered for OP_CONNECT | OP_READ is ready for OP_READ only when an error is
 * pending (SelectionKey.OP_READ's documented "error pending"); a connect that succeeded is ready
 * for OP_CONNECT alone, even when the peer has written already (a ZMTP peer sends its greeting at
 * once). If a JDK changes this, this test says so before reconnects break.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PendingConnectReadinessTest {
    private static final int INTEREST = SelectionKey.OP_CONNECT | SelectionKey.OP_READ;

    @Test
    void aRefusedConnectIsReadyForReadingAndFinishConnectWouldThrow() throws IOException {
        int deadPort;
        try (var s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (var selector = Selector.open(); var channel = SocketChannel.open(StandardProtocolFamily.INET)) {
            channel.configureBlocking(false);
            if (channel.connect(new InetSocketAddress("127.0.0.1", deadPort))) {
                throw new AssertionError("connected to a port nobody listens on");
            }
            var key = channel.register(selector, INTEREST);
            assertEquals(1, selector.select(10_000), "the refused connect was not reported");
            assertTrue((key.readyOps() & SelectionKey.OP_READ) != 0, "ready ops " + key.readyOps());
            assertThrows(ConnectException.class, channel::finishConnect);
        }
    }

    @Test
    void aSucceededConnectWhosePeerWroteIsReadyForConnectingOnly() throws IOException, InterruptedException {
        try (var selector = Selector.open();
             var server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             var channel = SocketChannel.open(StandardProtocolFamily.INET)) {
            channel.configureBlocking(false);
            boolean atOnce = channel.connect(server.getLocalAddress());
            try (var accepted = server.accept()) {
                accepted.write(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f}));
                if (atOnce) {
                    return; // nothing pending to look at (not on Linux, where loopback connects return EINPROGRESS)
                }
                // Loopback delivers the bytes as they are written, so they are there when the selector looks.
                var key = channel.register(selector, INTEREST);
                assertEquals(1, selector.select(10_000), "the connect was not reported");
                assertEquals(SelectionKey.OP_CONNECT, key.readyOps(), "ready ops of a connect that succeeded");
                assertTrue(channel.finishConnect());
                // The bytes were there all along, and now readable.
                assertEquals(10, channel.read(ByteBuffer.allocate(16)), "the peer's bytes");
            }
        }
    }
}
