package dev.zmq.security;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;

/**
 * Runs a {@link ZapHandler} for one context: binds a ROUTER to {@code inproc://zeromq.zap.01}
 * (the ZAP endpoint libzmq, JeroMQ and this library's sockets ask) and answers each request on a
 * thread of its own. Start it before the sockets that authenticate clients; close it (or the
 * context) to stop.
 *
 * <pre>{@code
 * var auth = new ZapAuthenticator().addUser("admin", "secret");
 * try (var zap = ZapServer.start(context, auth)) {
 *     server.set(SocketOption.PLAIN_SERVER, true);
 *     server.bind("tcp://*:5555");
 *     ...
 * }
 * }</pre>
 *
 * A request with another ZAP version gets a 400 reply; a handler that throws, a 500.
 */
public final class ZapServer implements AutoCloseable {
    /** The ZAP endpoint (RFC 27). */
    public static final String ENDPOINT = "inproc://zeromq.zap.01";
    private static final System.Logger LOG = System.getLogger(ZapServer.class.getName());
    private static final byte[] VERSION = "1.0".getBytes(StandardCharsets.US_ASCII);

    private final ZmqSocket router;
    private final ZapHandler handler;
    private final Thread thread;

    private ZapServer(ZmqSocket router, ZapHandler handler) {
        this.router = router;
        this.handler = handler;
        this.thread = new Thread(this::serve, "zmq-zap-handler");
        thread.setDaemon(true);
    }

    /**
     * Binds the ZAP endpoint in {@code context} and starts answering with {@code handler}.
     *
     * @throws ZmqException EADDRINUSE if the context already has a ZAP handler
     */
    public static ZapServer start(ZmqContext context, ZapHandler handler) {
        Objects.requireNonNull(handler, "handler");
        var router = context.socket(SocketType.ROUTER);
        try {
            router.set(SocketOption.LINGER, 0);
            router.set(SocketOption.SNDHWM, 0);
            router.set(SocketOption.RCVHWM, 0);
            router.bind(ENDPOINT);
        } catch (ZmqException e) {
            router.close();
            throw e;
        }
        var server = new ZapServer(router, handler);
        server.thread.start();
        return server;
    }

    private void serve() {
        try {
            while (true) {
                var request = router.recv();
                var reply = answer(request);
                if (reply != null) {
                    router.send(reply);
                }
            }
        } catch (ZmqException e) {
            // closed, or the context terminated
        }
    }

    /** The reply to one request (with its envelope), or null to drop it. */
    private Message answer(Message request) {
        int delimiter = -1;
        for (int i = 0; i < request.size(); i++) {
            if (request.frame(i).length == 0) {
                delimiter = i;
                break;
            }
        }
        // After the envelope: version, request id, domain, address, identity, mechanism, credentials.
        if (delimiter < 0 || request.size() - delimiter - 1 < 6) {
            LOG.log(System.Logger.Level.WARNING, "malformed ZAP request of " + request.size() + " frames dropped");
            return null;
        }
        int base = delimiter + 1;
        var requestId = request.frame(base + 1);
        ZapReply verdict;
        if (!Arrays.equals(request.frame(base), VERSION)) {
            verdict = ZapReply.deny("unsupported ZAP version");
        } else {
            var credentials = new ArrayList<byte[]>();
            for (int i = base + 6; i < request.size(); i++) {
                credentials.add(request.frame(i));
            }
            var zapRequest = new ZapRequest(request.frameString(base + 2), request.frameString(base + 3),
                    request.frame(base + 4), request.frameString(base + 5), credentials);
            try {
                verdict = Objects.requireNonNull(handler.authenticate(zapRequest), "handler returned null");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "ZAP handler failed on " + zapRequest, e);
                verdict = ZapReply.internalError("handler failed");
            }
        }
        var frames = new ArrayList<byte[]>();
        for (int i = 0; i <= delimiter; i++) {
            frames.add(request.frame(i));
        }
        frames.add(VERSION);
        frames.add(requestId);
        frames.add(Integer.toString(verdict.statusCode()).getBytes(StandardCharsets.US_ASCII));
        frames.add(verdict.statusText().getBytes(StandardCharsets.UTF_8));
        frames.add(verdict.userId().getBytes(StandardCharsets.UTF_8));
        frames.add(encodeMetadata(verdict));
        return Message.of(frames);
    }

    private static byte[] encodeMetadata(ZapReply reply) {
        var out = new ByteArrayOutputStream();
        reply.metadata().forEach((name, value) -> {
            var n = name.getBytes(StandardCharsets.US_ASCII);
            var v = value.getBytes(StandardCharsets.UTF_8);
            out.write(n.length);
            out.write(n, 0, n.length);
            out.write(v.length >>> 24);
            out.write(v.length >>> 16);
            out.write(v.length >>> 8);
            out.write(v.length);
            out.write(v, 0, v.length);
        });
        return out.toByteArray();
    }

    /** Unbinds the ZAP endpoint and stops the handler thread. */
    @Override
    public void close() {
        router.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
