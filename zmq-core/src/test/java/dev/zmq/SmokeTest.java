package dev.zmq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SmokeTest {

    @Test
    void pushPullAndReqRep() {
        try (var ctx = new ZmqContext()) {
            var pull = ctx.socket(SocketType.PULL);
            var ep = pull.bind("tcp://127.0.0.1:*");
            var push = ctx.socket(SocketType.PUSH);
            push.connect(ep);
            for (int i = 0; i < 1000; i++) {
                push.send(Message.of("a" + i, "b"));
            }
            for (int i = 0; i < 1000; i++) {
                var m = pull.recv(Duration.ofSeconds(5));
                assertEquals("a" + i, m.frameString(0));
                assertEquals(2, m.size());
            }
            var rep = ctx.socket(SocketType.REP);
            var ep2 = rep.bind("tcp://127.0.0.1:*");
            var req = ctx.socket(SocketType.REQ);
            req.connect(ep2);
            for (int i = 0; i < 100; i++) {
                req.send("hello" + i);
                assertEquals("hello" + i, rep.recvString());
                rep.send("world" + i);
                assertEquals("world" + i, req.recvString());
            }
        }
    }

    @Test
    void messagesFromAPeerThatLeftAreStillDelivered() {
        try (var ctx = new ZmqContext()) {
            var pull = ctx.socket(SocketType.PULL);
            var ep = pull.bind("tcp://127.0.0.1:*");
            try (var ctx2 = new ZmqContext()) {
                var push = ctx2.socket(SocketType.PUSH);
                push.connect(ep);
                for (int i = 0; i < 500; i++) {
                    push.send("m" + i);
                }
            } // linger flushes everything, then the connection closes
            for (int i = 0; i < 500; i++) {
                var m = pull.recv(Duration.ofSeconds(5));
                assertEquals("m" + i, m.frameString(0));
            }
        }
    }

    @Test
    void jeromqPeer() {
        try (var ctx = new ZmqContext(); var jctx = new org.zeromq.ZContext()) {
            // JeroMQ binds: its connecting sockets sometimes stall (see interop/JeromqNudger).
            var req = jctx.createSocket(org.zeromq.SocketType.REQ);
            int reqPort = req.bindToRandomPort("tcp://127.0.0.1");
            var rep = ctx.socket(SocketType.REP);
            rep.connect("tcp://127.0.0.1:" + reqPort);
            req.send("ping");
            assertEquals("ping", rep.recvString());
            rep.send(Message.of("pong", "2"));
            assertEquals("pong", req.recvStr());
            assertEquals("2", req.recvStr());

            var jrouter = jctx.createSocket(org.zeromq.SocketType.ROUTER);
            int port = jrouter.bindToRandomPort("tcp://127.0.0.1");
            var dealer = ctx.socket(SocketType.DEALER);
            dealer.set(SocketOption.ROUTING_ID, "me".getBytes());
            dealer.connect("tcp://127.0.0.1:" + port);
            dealer.send(Message.of("x", "y"));
            assertArrayEquals("me".getBytes(), jrouter.recv());
            assertEquals("x", jrouter.recvStr());
            assertEquals("y", jrouter.recvStr());
        }
    }
}
