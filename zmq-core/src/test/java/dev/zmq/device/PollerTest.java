package dev.zmq.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqPoller;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PollerTest {

    @Test
    void timeoutIsHonouredWhenNothingIsReady() {
        try (var ctx = new ZmqContext(); var poller = new ZmqPoller()) {
            var pull = ctx.socket(SocketType.PULL);
            pull.bind("inproc://quiet");
            poller.register(pull, ZmqPoller.POLLIN);
            long start = System.nanoTime();
            assertEquals(0, poller.poll(200));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs >= 200, "returned after " + elapsedMs + " ms, before the 200 ms timeout");
            assertEquals(0, poller.poll(0));
        }
    }

    @Test
    void wakesForSocketsAndChannelsAndReportsWhichIsReady() throws Exception {
        try (var ctx = new ZmqContext(); var poller = new ZmqPoller(); var udp = DatagramChannel.open()) {
            var pull = ctx.socket(SocketType.PULL);
            var ep = pull.bind("tcp://127.0.0.1:*");
            var push = ctx.socket(SocketType.PUSH);
            push.connect(ep);
            udp.bind(new InetSocketAddress("127.0.0.1", 0));
            udp.configureBlocking(false);
            int s = poller.register(pull, ZmqPoller.POLLIN);
            int c = poller.register(udp, ZmqPoller.POLLIN);
            int out = poller.register(push, ZmqPoller.POLLOUT);

            var sender = CompletableFuture.runAsync(() -> push.send(Message.of("hello")));
            assertTrue(poller.poll(5000) >= 1);
            // PUSH is writable once connected; wait for the PULL specifically.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!poller.isReadable(s) && System.nanoTime() < deadline) {
                poller.poll(5000);
            }
            assertTrue(poller.isReadable(s));
            assertTrue(poller.isWritable(out));
            assertFalse(poller.isReadable(c));
            assertEquals("hello", pull.recv().frameString(0));
            sender.get();

            poller.setEvents(out, 0);
            try (var tx = DatagramChannel.open()) {
                tx.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), udp.getLocalAddress());
            }
            assertEquals(1, poller.poll(5000));
            assertTrue(poller.isReadable(c));
            assertFalse(poller.isReadable(s));
        }
    }

    @Test
    void contextCloseEndsAWaitingPoll() throws Exception {
        var ctx = new ZmqContext();
        var pull = ctx.socket(SocketType.PULL);
        pull.bind("inproc://x");
        try (var poller = new ZmqPoller()) {
            poller.register(pull, ZmqPoller.POLLIN);
            var waiting = CompletableFuture.supplyAsync(() -> assertThrows(ZmqException.class, () -> poller.poll(-1)));
            ctx.close();
            assertEquals(ZmqError.ETERM, waiting.get().error());
        }
    }
}
