package dev.zmq.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.security.ZapReply;
import dev.zmq.security.ZapServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole receive path of a real socket, greeting to messages, over TCP: each input is what a
 * client sends on one connection (then it closes its side). The first byte chooses the server:
 * NULL PULL, NULL ROUTER, PLAIN PULL (ZAP accepts admin/secret) or CURVE PULL (keys of
 * {@link TestKeys}); the rest are the bytes, so libzmq's captured client streams are seeds
 * (scripts/capture-seeds.py) and the greeting's version detection (ZMTP 1.0, 2.0, 3.x) is fuzzed too.
 * The server must close the connection once the client has, its I/O thread must stay within the
 * heap budget, and a well-behaved peer must still get through afterwards.
 */
class ZmtpStreamFuzzTest {
    private static final int CLOSE_WAIT_MILLIS = 10_000;
    /** The engine's own buffers and greeting on top of a decoder's allowance. */
    private static final long ENGINE_ALLOWANCE = AllocationBudget.DECODER_ALLOWANCE + 256 * 1024;
    /** A canary message after every this many inputs (and after each in regression mode, which runs few). */
    private static final int CANARY_EVERY = System.getenv("JAZZER_FUZZ") == null ? 1 : 200;

    private static ZmqContext ctx;
    private static ZapServer zap;
    private static ZmqSocket[] servers;
    private static int[] ports;
    private static ZmqContext canaryCtx;
    private static ZmqSocket canary;
    private static long inputs;
    private static long canarySeq;

    @BeforeAll
    static void start() {
        ctx = new ZmqContext();
        zap = ZapServer.start(ctx, request -> switch (request.mechanism()) {
            case "PLAIN" -> TestKeys.USER.equals(request.username()) && TestKeys.PASSWORD.equals(request.password())
                    ? ZapReply.allow(request.username()) : ZapReply.deny("wrong user name or password");
            case "CURVE" -> TestKeys.CLIENT_PUBLIC.equals(request.curvePublicKeyZ85())
                    ? ZapReply.allow("curve-client") : ZapReply.deny("unknown CURVE key");
            default -> ZapReply.allow("");
        });
        servers = new ZmqSocket[4];
        ports = new int[4];
        servers[0] = ctx.socket(SocketType.PULL);
        servers[1] = ctx.socket(SocketType.ROUTER);
        servers[2] = ctx.socket(SocketType.PULL);
        servers[2].set(SocketOption.PLAIN_SERVER, true);
        servers[3] = ctx.socket(SocketType.PULL);
        servers[3].set(SocketOption.CURVE_SERVER, true);
        servers[3].setCurveKey(SocketOption.CURVE_SECRETKEY, TestKeys.SERVER_SECRET);
        for (int i = 0; i < servers.length; i++) {
            servers[i].set(SocketOption.LINGER, 0);
            servers[i].set(SocketOption.HANDSHAKE_IVL, 5_000);
            var endpoint = servers[i].bind("tcp://127.0.0.1:*");
            ports[i] = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        }
        canaryCtx = new ZmqContext();
        canary = canaryCtx.socket(SocketType.PUSH);
        canary.set(SocketOption.LINGER, 0);
        canary.connect("tcp://127.0.0.1:" + ports[0]);
        warmUp();
    }

    /**
     * One good connection to each server, so the classes of every path are loaded (and their
     * one-off allocations made) before the first measured input.
     */
    private static void warmUp() {
        for (int i = 0; i < servers.length; i++) {
            try (var client = canaryCtx.socket(i == 1 ? SocketType.DEALER : SocketType.PUSH)) {
                client.set(SocketOption.LINGER, 0);
                if (i == 2) {
                    client.set(SocketOption.PLAIN_USERNAME, TestKeys.USER);
                    client.set(SocketOption.PLAIN_PASSWORD, TestKeys.PASSWORD);
                } else if (i == 3) {
                    client.setCurveKey(SocketOption.CURVE_SERVERKEY, TestKeys.SERVER_PUBLIC);
                    client.setCurveKey(SocketOption.CURVE_PUBLICKEY, TestKeys.CLIENT_PUBLIC);
                    client.setCurveKey(SocketOption.CURVE_SECRETKEY, TestKeys.CLIENT_SECRET);
                }
                client.connect("tcp://127.0.0.1:" + ports[i]);
                client.send("warm-up");
                var got = servers[i].recv(Duration.ofSeconds(20));
                assertNotNull(got, "warm-up message to server " + i + " did not arrive");
            }
        }
    }

    @AfterAll
    static void stop() {
        canaryCtx.close();
        zap.close();
        ctx.close();
    }

    @FuzzTest(maxDuration = "10s")
    void stream(byte[] input) throws Exception {
        int which = input.length == 0 ? 0 : (input[0] & 0xFF) % servers.length;
        var bytes = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        long bound = AllocationBudget.bound(ENGINE_ALLOWANCE, bytes.length);
        long used = exchange(which, bytes);
        if (used > bound) {
            used = exchange(which, bytes); // the first time through a path loads classes: only a second run counts
        }
        assertTrue(used <= bound, "the I/O thread allocated " + used + " bytes for a stream of " + bytes.length
                + " bytes; the bound is " + bound);
        drain();
        if (++inputs % CANARY_EVERY == 0) {
            checkCanary();
        }
    }

    /** Sends {@code bytes} on a new connection to server {@code which}, closes, waits for the server to close; returns the I/O threads' allocation. */
    private static long exchange(int which, byte[] bytes) throws IOException {
        var io = ioThreads();
        long before = AllocationBudget.allocatedBy(io);
        try (var client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", ports[which]), 5_000);
            client.setSoTimeout(CLOSE_WAIT_MILLIS);
            try {
                client.getOutputStream().write(bytes);
                client.shutdownOutput();
            } catch (IOException closedEarly) {
                // the server refused the stream before reading all of it: it is closing
            }
            assertTrue(closesWithin(client.getInputStream()), "the server kept the connection " + CLOSE_WAIT_MILLIS
                    + " ms after the client closed its side (server " + which + ")");
        }
        return AllocationBudget.allocatedBy(io) - before;
    }

    /** Reads (and drops) what the server sends until it closes; false if it did not within the timeout. */
    private static boolean closesWithin(InputStream in) throws IOException {
        var buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // the server's greeting and handshake replies
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true; // closed with a reset
        }
    }

    /** Whatever the fuzzed clients managed to deliver is dropped, so no queue fills. */
    private static void drain() {
        for (var s : servers) {
            while (s.tryRecv() != null) {
                // dropped
            }
        }
    }

    /** A well-behaved peer still gets through: a numbered message reaches the NULL PULL server. */
    private static void checkCanary() {
        var id = "canary-" + (++canarySeq);
        canary.send(Message.of(id));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var m = servers[0].recv(Duration.ofMillis(100));
            if (m != null && m.size() == 1 && m.frameString(0).equals(id)) {
                return;
            }
        }
        throw new AssertionError("the well-behaved peer's message " + id + " did not arrive within 10 s");
    }

    private static long[] ioThreads() {
        List<Thread> io = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("zmq-io-")).toList();
        assertNotNull(io);
        assertEquals(false, io.isEmpty(), "no zmq-io thread");
        return io.stream().mapToLong(Thread::getId).toArray();
    }
}
