package dev.zmq.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqProxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProxyTest {

    @Test
    void routerDealerBrokerWithCaptureStatisticsAndTerminate() throws Exception {
        try (var ctx = new ZmqContext()) {
            var frontend = ctx.socket(SocketType.ROUTER);
            var front = frontend.bind("tcp://127.0.0.1:*");
            var backend = ctx.socket(SocketType.DEALER);
            backend.bind("inproc://workers");
            var capture = ctx.socket(SocketType.PUSH);
            capture.bind("inproc://capture");
            var captured = ctx.socket(SocketType.PULL);
            captured.connect("inproc://capture");
            var control = ctx.socket(SocketType.REP);
            control.bind("inproc://control");

            var proxy = CompletableFuture.runAsync(() -> ZmqProxy.runSteerable(frontend, backend, capture, control));

            var worker = ctx.socket(SocketType.REP);
            worker.connect("inproc://workers");
            var workerLoop = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 10; i++) {
                    var req = worker.recv();
                    worker.send("re:" + req.frameString(0));
                }
            });
            var client = ctx.socket(SocketType.REQ);
            client.connect(front);
            for (int i = 0; i < 10; i++) {
                client.send("q" + i);
                assertEquals("re:q" + i, client.recv(Duration.ofSeconds(5)).frameString(0));
            }
            workerLoop.get();
            // Every request and reply went through the capture socket too.
            for (int i = 0; i < 20; i++) {
                assertNotNull(captured.recv(Duration.ofSeconds(5)));
            }

            var ctl = ctx.socket(SocketType.REQ);
            ctl.connect("inproc://control");
            ctl.send("STATISTICS");
            Message stats = ctl.recv(Duration.ofSeconds(5));
            assertEquals(8, stats.size());
            long frontendIn = ByteBuffer.wrap(stats.frame(0)).order(ByteOrder.LITTLE_ENDIAN).getLong();
            long backendOut = ByteBuffer.wrap(stats.frame(6)).order(ByteOrder.LITTLE_ENDIAN).getLong();
            long backendIn = ByteBuffer.wrap(stats.frame(4)).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(10, frontendIn);
            assertEquals(10, backendOut);
            assertEquals(10, backendIn);

            ctl.send("TERMINATE");
            assertEquals("TERMINATE", ctl.recv(Duration.ofSeconds(5)).frameString(0));
            proxy.get();
        }
    }

    @Test
    void pauseHoldsMessagesAndResumeReleasesThem() throws Exception {
        try (var ctx = new ZmqContext()) {
            var in = ctx.socket(SocketType.PULL);
            in.bind("inproc://in");
            var out = ctx.socket(SocketType.PUSH);
            out.bind("inproc://out");
            var control = ctx.socket(SocketType.PAIR);
            control.bind("inproc://ctl");
            var ctl = ctx.socket(SocketType.PAIR);
            ctl.connect("inproc://ctl");
            var proxy = CompletableFuture.runAsync(() -> ZmqProxy.runSteerable(in, out, null, control));

            var producer = ctx.socket(SocketType.PUSH);
            producer.connect("inproc://in");
            var consumer = ctx.socket(SocketType.PULL);
            consumer.connect("inproc://out");
            producer.send("first");
            assertEquals("first", consumer.recv(Duration.ofSeconds(5)).frameString(0));

            ctl.send("PAUSE");
            // Once paused, a message sent after the command must not come through until RESUME.
            // The PAUSE and the message travel different pipes, so confirm the pause with STATISTICS first.
            ctl.send("STATISTICS");
            assertEquals(8, ctl.recv(Duration.ofSeconds(5)).size());
            producer.send("held");
            assertEquals(null, consumer.recv(Duration.ofMillis(300)));
            ctl.send("RESUME");
            assertEquals("held", consumer.recv(Duration.ofSeconds(5)).frameString(0));
            ctl.send("TERMINATE");
            proxy.get();
        }
    }

    /**
     * A forwarder passes the publisher's XPUB_WELCOME_MSG on to subscribers that subscribed to it:
     * its XSUB delivers everything that arrives, as libzmq's does (issue 17).
     */
    @Test
    void forwarderPassesThePublishersWelcomeMessage() throws Exception {
        try (var ctx = new ZmqContext()) {
            var publisher = ctx.socket(SocketType.XPUB);
            publisher.set(dev.zmq.SocketOption.XPUB_WELCOME_MSG, "welcome".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            var upstream = publisher.bind("tcp://127.0.0.1:*");
            var xsub = ctx.socket(SocketType.XSUB);
            var xpub = ctx.socket(SocketType.XPUB);
            var downstream = xpub.bind("tcp://127.0.0.1:*");
            var control = ctx.socket(SocketType.PAIR);
            control.bind("inproc://forwarder-ctl");
            var ctl = ctx.socket(SocketType.PAIR);
            ctl.connect("inproc://forwarder-ctl");
            var proxy = CompletableFuture.runAsync(() -> ZmqProxy.runSteerable(xsub, xpub, null, control));

            var subscriber = ctx.socket(SocketType.SUB);
            subscriber.subscribe("welcome");
            subscriber.subscribe("news");
            subscriber.connect(downstream);
            // Both subscriptions went through the proxy into its XSUB before it meets the publisher.
            dev.zmq.testkit.Await.until("the subscriptions to reach the forwarder's XSUB",
                    () -> xsub.statistics().messagesSent() >= 2);
            xsub.connect(upstream);
            assertEquals("welcome", dev.zmq.testkit.Await.recv(subscriber).frameString(0));
            dev.zmq.testkit.Await.recv(publisher); // the subscription to news reached the publisher
            dev.zmq.testkit.Await.recv(publisher);
            publisher.send("news 1");
            assertEquals("news 1", dev.zmq.testkit.Await.recv(subscriber).frameString(0));
            ctl.send("TERMINATE");
            proxy.get();
        }
    }
}
