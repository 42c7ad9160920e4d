package dev.zmq.internal.socket;

import static dev.zmq.testkit.TaggedFrame.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A connection lets go of the frame arrays its application gave back ({@code recv(byte[])}) once
 * they stay untaken for a while, so quiet peers hold none of them (a receiver with thousands of idle
 * peers would otherwise keep up to a ring's cap for each), and receiving into the caller's buffer
 * goes on as before afterwards. The peer is JeroMQ's PUSH over tcp.
 */
class ReturnedFramesIdleTest {

    private static void receiveInto(dev.zmq.ZmqSocket pull, byte[] buffer, int from, int count, int size) {
        for (int i = from; i < from + count; i++) {
            int n = pull.recv(buffer, 0, buffer.length, Duration.ofSeconds(10));
            assertEquals(size, n, "message " + i + ": size");
            assertArrayEquals(frame(size, i), Arrays.copyOf(buffer, n), "message " + i + ": content");
        }
    }

    @Test
    void anIdleConnectionLetsGoOfTheArraysGivenBackAndReceivingGoesOnAfterwards() {
        int size = 256;
        try (var ctx = new ZmqContext();
                var pull = ctx.socket(SocketType.PULL);
                var jctx = new org.zeromq.ZContext()) {
            String endpoint = pull.bind("tcp://127.0.0.1:*");
            var push = jctx.createSocket(org.zeromq.SocketType.PUSH);
            // JeroMQ 0.6.0's connecting socket sometimes never sends its greeting (the poller's
            // connect hand-off race, jeromq PR #1022; see dev.zmq.interop.JeromqNudger) until its
            // handshake timer reconnects: after 1 s, not the 30 s default that outlasts the receive.
            push.setHandshakeIvl(1000);
            push.connect(endpoint);
            var core = (SocketCore) pull;
            var buffer = new byte[size + 1];

            for (int burst = 0; burst < 2; burst++) {
                int first = burst * 100;
                for (int i = first; i < first + 100; i++) {
                    push.send(frame(size, i));
                }
                receiveInto(pull, buffer, first, 1, size);
                assertEquals(1, core.pipesHoldingReturnedFrames(),
                        "burst " + burst + ": the first array given back is held for the connection");
                receiveInto(pull, buffer, first + 1, 99, size);
                Await.until("burst " + burst + ": the quiet connection holds no returned arrays", Duration.ofSeconds(20),
                        () -> core.pipesHoldingReturnedFrames() == 0);
            }
        }
    }

    /**
     * A connecting socket keeps its pipe when its connection is lost and made again: arrays given back
     * before are let go by the new connection, which nobody tells that they are there.
     */
    @Test
    void arraysGivenBackBeforeAReconnectionAreLetGoByTheNewConnection() throws Exception {
        int size = 64;
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String endpoint = "tcp://127.0.0.1:" + port;
        try (var ctx = new ZmqContext();
                var pull = ctx.socket(SocketType.PULL);
                var jctx = new org.zeromq.ZContext()) {
            var core = (SocketCore) pull;
            var buffer = new byte[size + 1];
            var push = jctx.createSocket(org.zeromq.SocketType.PUSH);
            push.bind(endpoint);
            pull.connect(endpoint);
            for (int i = 0; i < 50; i++) {
                push.send(frame(size, i));
            }
            receiveInto(pull, buffer, 0, 50, size);
            assertEquals(1, core.pipesHoldingReturnedFrames(), "arrays given back are held for the connection");

            push.setLinger(0);
            jctx.destroySocket(push); // the connection is lost; the pipe stays (no IMMEDIATE)
            var again = jctx.createSocket(org.zeromq.SocketType.PUSH);
            Await.until("the port can be bound again", Duration.ofSeconds(10), () -> {
                try {
                    again.bind(endpoint);
                    return true;
                } catch (org.zeromq.ZMQException e) {
                    return false;
                }
            });
            again.send(frame(size, 50));
            receiveInto(pull, buffer, 50, 1, size);
            Await.until("the new connection lets go of the arrays when quiet", Duration.ofSeconds(20),
                    () -> core.pipesHoldingReturnedFrames() == 0);
        }
    }
}
