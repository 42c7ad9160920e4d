package dev.zmq;

import dev.zmq.testkit.Libzmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class TransportSmokeTest {

    @Test
    void inprocBindThenConnectAndConnectThenBind() {
        try (var ctx = new ZmqContext()) {
            var pull = ctx.socket(SocketType.PULL);
            pull.bind("inproc://a");
            var push = ctx.socket(SocketType.PUSH);
            push.connect("inproc://a");
            push.send(Message.of("x", "y"));
            assertEquals(Message.of("x", "y"), pull.recv(Duration.ofSeconds(5)));

            var push2 = ctx.socket(SocketType.PUSH);
            push2.connect("inproc://later");
            for (int i = 0; i < 10; i++) {
                push2.send("early" + i);
            }
            var pull2 = ctx.socket(SocketType.PULL);
            pull2.bind("inproc://later");
            for (int i = 0; i < 10; i++) {
                assertEquals("early" + i, pull2.recv(Duration.ofSeconds(5)).frameString(0));
            }

            var rep = ctx.socket(SocketType.REP);
            rep.bind("inproc://rr");
            var req = ctx.socket(SocketType.REQ);
            req.connect("inproc://rr");
            for (int i = 0; i < 1000; i++) {
                req.send("q" + i);
                assertEquals("q" + i, rep.recvString());
                rep.send("a" + i);
                assertEquals("a" + i, req.recvString());
            }
        }
    }

    @Test
    void oneSocketMixesTcpIpcAndInproc() throws Exception {
        try (var ctx = new ZmqContext()) {
            var pull = ctx.socket(SocketType.PULL);
            var tcp = pull.bind("tcp://127.0.0.1:*");
            var ipc = pull.bind("ipc://*");
            pull.bind("inproc://mixed");
            var other = ctx.socket(SocketType.PULL);
            other.bind("inproc://elsewhere");
            var push = ctx.socket(SocketType.PUSH);
            push.connect("inproc://elsewhere");
            push.send("via inproc connect");
            assertEquals("via inproc connect", other.recv(Duration.ofSeconds(5)).frameString(0));
            for (var ep : new String[] {tcp, ipc, "inproc://mixed"}) {
                var sender = ctx.socket(SocketType.PUSH);
                sender.connect(ep);
                sender.send("over " + ep);
                assertEquals("over " + ep, pull.recv(Duration.ofSeconds(5)).frameString(0));
                sender.close();
            }
        }
    }

    @Test
    void ipcOwnPeers() throws Exception {
        try (var ctx = new ZmqContext()) {
            var pull = ctx.socket(SocketType.PULL);
            var ep = pull.bind("ipc://*");
            assertTrue(ep.startsWith("ipc:///"), ep);
            var path = Path.of(ep.substring("ipc://".length()));
            assertTrue(Files.exists(path));
            var push = ctx.socket(SocketType.PUSH);
            push.connect(ep);
            push.send(Message.of("over", "ipc"));
            assertEquals(Message.of("over", "ipc"), pull.recv(Duration.ofSeconds(5)));
            pull.unbind(ep);
            assertTrue(!Files.exists(path), "socket file removed on unbind");
        }
    }

    @Test
    void ipcWithLibzmq(@TempDir Path dir) throws Exception {
        var ep = "ipc://" + dir.resolve("s");
        var script = "import zmq\nc=zmq.Context()\ns=c.socket(zmq.REP)\ns.setsockopt(zmq.RCVTIMEO,5000)\ns.bind('" + ep
                + "')\nprint('ready',flush=True)\nm=s.recv_multipart()\ns.send_multipart([b'got']+m)\ns.close(linger=1000)\nc.term()\n";
        Libzmq.assumeAvailable();
        var p = new ProcessBuilder(Libzmq.PYTHON, "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var ctx = new ZmqContext()) {
            var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            assertEquals("ready", r.readLine());
            var req = ctx.socket(SocketType.REQ);
            req.connect(ep);
            req.send(Message.of("a", "b"));
            var reply = req.recv(Duration.ofSeconds(5));
            assertNotNull(reply);
            assertEquals(Message.of("got", "a", "b"), reply);
        } finally {
            p.destroyForcibly();
        }
    }
}
