package dev.zmq.device;

import dev.zmq.testkit.Libzmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqProxy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our broker (ROUTER-DEALER proxy) between a libzmq REQ client and a JeroMQ REP worker it connects to. */
@Timeout(60)
class ProxyInteropTest {

    @Test
    void libzmqClientThroughOurBrokerToAJeromqWorker() throws Exception {
        var ctx = new ZmqContext();
        var jctx = new org.zeromq.ZContext();
        Process client = null;
        try {
            var frontend = ctx.socket(SocketType.ROUTER);
            var front = frontend.bind("tcp://127.0.0.1:*");
            // JeroMQ binds and we connect: JeroMQ 0.6.0's connecting sockets sometimes never start
            // their handshake (its connect hand-off race; see interop/JeromqNudger).
            var worker = jctx.createSocket(org.zeromq.SocketType.REP);
            worker.setReceiveTimeOut(10_000);
            int workerPort = worker.bindToRandomPort("tcp://127.0.0.1");
            var backend = ctx.socket(SocketType.DEALER);
            backend.connect("tcp://127.0.0.1:" + workerPort);
            var proxy = CompletableFuture.runAsync(() -> {
                try {
                    ZmqProxy.run(frontend, backend);
                } catch (ZmqException e) {
                    if (e.error() != ZmqError.ETERM) {
                        throw e;
                    }
                }
            });

            var workerLoop = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 20; i++) {
                    var request = worker.recvStr();
                    worker.send("done:" + request);
                }
            });

            var script = String.join("\n",
                    "import zmq, sys",
                    "c = zmq.Context()",
                    "s = c.socket(zmq.REQ)",
                    "s.setsockopt(zmq.RCVTIMEO, 10000)",
                    "s.connect(sys.argv[1])",
                    "for i in range(20):",
                    "    s.send_string('job%d' % i)",
                    "    r = s.recv_string()",
                    "    assert r == 'done:job%d' % i, r",
                    "print('ok', flush=True)",
                    "s.close(0); c.term()");
            Libzmq.assumeAvailable();
            client = new ProcessBuilder(Libzmq.PYTHON, "-c", script, front)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            var out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ok", out.readLine());
            assertTrue(client.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, client.exitValue());
            workerLoop.get(10, TimeUnit.SECONDS);
            ctx.close();
            proxy.get(10, TimeUnit.SECONDS);
        } finally {
            if (client != null) {
                client.destroyForcibly();
            }
            ctx.close();
            jctx.close();
        }
    }
}
