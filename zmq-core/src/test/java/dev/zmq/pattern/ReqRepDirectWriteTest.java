package dev.zmq.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.Link;
import dev.zmq.testkit.Workers;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * REQ and REP over tcp write a request or reply from the application thread when the connection is
 * idle (ZmtpEngine.tryDirectFlush), and leave the rest to the I/O thread: a write the kernel takes
 * only in part, a connection that also carries heartbeats, a reply sent just before its socket closes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReqRepDirectWriteTest {

    private static byte[] pattern(int size, int seed) {
        var bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    private static void smallBuffers(ZmqSocket socket) {
        socket.set(SocketOption.SNDBUF, 8192);
        socket.set(SocketOption.RCVBUF, 8192);
    }

    /** Requests and replies far larger than the socket buffers: the first write is partial, the I/O thread finishes it. */
    @Test
    void messagesLargerThanTheSocketBuffersArriveWholeBothWays() throws Exception {
        int size = 4 << 20;
        try (var ctx = new ZmqContext();
             var link = Link.of(ctx, SocketType.REP, ReqRepDirectWriteTest::smallBuffers, SocketType.REQ, ReqRepDirectWriteTest::smallBuffers)) {
            var rep = link.bound();
            var req = link.connected();
            try (var replier = Workers.start("replier", 1, i -> {
                for (int round = 0; round < 3; round++) {
                    var request = Await.recv(rep).first();
                    assertArrayEquals(pattern(size, round), request, "request " + round);
                    rep.send(Message.of(pattern(size, round + 100)));
                }
            })) {
                for (int round = 0; round < 3; round++) {
                    req.send(Message.of(pattern(size, round)));
                    assertArrayEquals(pattern(size, round + 100), Await.recv(req).first(), "reply " + round);
                }
                replier.join();
            }
        }
    }

    /** A PING every 2 ms, and no connection dropped for a late answer on a loaded machine. */
    private static void pingOften(ZmqSocket socket) {
        socket.set(SocketOption.HEARTBEAT_IVL, 2);
        socket.set(SocketOption.HEARTBEAT_TIMEOUT, (int) Await.SOON.toMillis());
    }

    /** Thousands of quick round trips while both sides PING every few milliseconds: every reply matches its request. */
    @Test
    void roundTripsStayInStepWithHeartbeats() throws Exception {
        int rounds = 3000;
        try (var ctx = new ZmqContext();
             var link = Link.of(ctx, SocketType.REP, ReqRepDirectWriteTest::pingOften, SocketType.REQ, ReqRepDirectWriteTest::pingOften)) {
            var rep = link.bound();
            var req = link.connected();
            try (var replier = Workers.start("echo", 1, i -> {
                for (int round = 0; round < rounds; round++) {
                    var request = Await.recv(rep);
                    rep.send(Message.of(Arrays.copyOf(request.first(), request.first().length)));
                }
            })) {
                for (int round = 0; round < rounds; round++) {
                    var body = pattern(1 + round % 3000, round);
                    req.send(Message.of(body));
                    assertArrayEquals(body, Await.recv(req).first(), "round " + round);
                }
                replier.join();
            }
        }
    }

    /** A reply sent right before its socket closes (LINGER waits for it) still reaches the requester, each time. */
    @Test
    void aReplySentJustBeforeCloseIsDelivered() {
        try (var ctx = new ZmqContext(); var req = ctx.socket(SocketType.REQ)) {
            String endpoint = null;
            for (int round = 0; round < 20; round++) {
                if (endpoint != null) {
                    req.disconnect(endpoint); // the last REP is gone: the next request goes to the next one
                }
                try (var rep = ctx.socket(SocketType.REP)) {
                    rep.set(SocketOption.LINGER, (int) Await.SOON.toMillis());
                    endpoint = rep.bind("tcp://127.0.0.1:*");
                    req.connect(endpoint);
                    req.send("q" + round);
                    assertEquals(Message.of("q" + round), Await.recv(rep));
                    rep.send("r" + round);
                }
                assertEquals(Message.of("r" + round), Await.recv(req), "round " + round);
            }
        }
    }
}
