package dev.zmq.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A receiver with an inproc peer that finds nothing yields and looks again for a few microseconds before it
 * parks (SocketCore.recvWaiting): its timeout still holds, and a message that comes once it parked wakes it.
 */
@Timeout(30)
class InprocReceiveWaitTest {

    @Test
    void aTimedReceiveWithAnInprocPeerWaitsItsWholeTimeoutAndNoLonger() {
        try (var ctx = new ZmqContext(); var a = ctx.socket(SocketType.PAIR); var b = ctx.socket(SocketType.PAIR)) {
            a.bind("inproc://wait-timeout");
            b.connect("inproc://wait-timeout");
            for (int timeoutMillis : new int[] {1, 5, 30}) {
                TimedReceives.waitsItsWholeTimeout(a, timeoutMillis);
            }
        }
    }

    @Test
    void aReceiverParkedAfterLookingIsWokenByItsInprocPeer() throws Exception {
        try (var ctx = new ZmqContext(); var a = ctx.socket(SocketType.PAIR); var b = ctx.socket(SocketType.PAIR)) {
            a.bind("inproc://wait-wake");
            b.connect("inproc://wait-wake");
            for (boolean timed : new boolean[] {false, true}) {
                var got = new AtomicReference<Message>();
                var receiver = new Thread(() -> got.set(timed ? a.recv(Duration.ofSeconds(20)) : a.recv()), "inproc receiver");
                receiver.start();
                Await.parked(receiver); // past the looks, waiting for a wake-up
                b.send(Message.of("hello " + timed));
                receiver.join(Await.SOON.toMillis());
                assertArrayEquals(("hello " + timed).getBytes(StandardCharsets.UTF_8), got.get().frame(0));
            }
        }
    }

    @Test
    void repliesCrossAnInprocRequestReplyPairWhileBothSidesLook() throws Exception {
        try (var ctx = new ZmqContext(); var req = ctx.socket(SocketType.REQ); var rep = ctx.socket(SocketType.REP)) {
            rep.bind("inproc://wait-pingpong");
            req.connect("inproc://wait-pingpong");
            int count = 20_000;
            var echo = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    rep.send(rep.recv());
                }
            }, "inproc echo");
            echo.start();
            for (int i = 0; i < count; i++) {
                var body = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
                req.send(Message.of(body));
                assertArrayEquals(body, Await.recv(req).frame(0));
            }
            echo.join(Await.SOON.toMillis());
        }
    }
}
