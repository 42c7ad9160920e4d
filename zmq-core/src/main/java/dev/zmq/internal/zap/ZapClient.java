package dev.zmq.internal.zap;

import dev.zmq.Message;
import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.internal.wire.mechanism.ZapRequester;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The server side of ZAP (RFC 27) for one context: connections that authenticate a peer send
 * requests through one DEALER socket connected to the handler at {@code inproc://zeromq.zap.01},
 * and a reader thread hands each reply to the connection that asked, by request id. Never blocks
 * the caller (an I/O thread): the request is queued without a high-water mark and the reply comes
 * back through a callback, which the connection posts to its own I/O thread.
 *
 * <p>libzmq gives each connection its own pipe and always uses request id "1"; sharing one socket,
 * we number requests instead. Handlers echo the id, as the RFC requires.
 */
public final class ZapClient implements ZapRequester {
    private static final String NAME = ENDPOINT.substring("inproc://".length());
    private static final byte[] VERSION = "1.0".getBytes(StandardCharsets.US_ASCII);
    private static final System.Logger LOG = System.getLogger(ZapClient.class.getName());

    /**
     * What the client needs of its context, given by the context itself so that this package knows
     * no socket implementation: whether a handler is bound, and a socket of the public API to reach it.
     */
    public interface Host {
        /** Whether something is bound at inproc://{@code name}. */
        boolean isBound(String inprocName);

        /** A new socket of this context. */
        ZmqSocket createSocket(SocketType type);
    }

    private final Host context;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Consumer<Outcome>> pending = new ConcurrentHashMap<>();
    private Generation current;

    /** One DEALER and its reader; replaced when the handler went away and another was bound. */
    private final class Generation {
        final ZmqSocket dealer;
        final Thread reader;

        Generation() {
            dealer = context.createSocket(SocketType.DEALER);
            dealer.set(SocketOption.SNDHWM, 0);
            dealer.set(SocketOption.RCVHWM, 0);
            dealer.set(SocketOption.LINGER, 0);
            dealer.connect(ENDPOINT);
            reader = new Thread(this::read, "zmq-zap-client");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try {
                while (true) {
                    dispatch(dealer.recv());
                }
            } catch (ZmqException e) {
                // the socket or the context closed
            }
        }
    }

    public ZapClient(Host context) {
        this.context = context;
    }

    @Override
    public boolean handlerPresent() {
        return context.isBound(NAME);
    }

    /** {@inheritDoc} Here the callback runs on the ZAP reader thread. */
    @Override
    public Pending request(String domain, String address, byte[] identity, String mechanism, List<byte[]> credentials,
                           Consumer<Outcome> callback) {
        var id = Long.toString(ids.incrementAndGet());
        var frames = new ArrayList<byte[]>(7 + credentials.size());
        frames.add(new byte[0]);
        frames.add(VERSION);
        frames.add(id.getBytes(StandardCharsets.US_ASCII));
        frames.add(domain.getBytes(StandardCharsets.UTF_8));
        frames.add(address.getBytes(StandardCharsets.US_ASCII));
        frames.add(identity);
        frames.add(mechanism.getBytes(StandardCharsets.US_ASCII));
        frames.addAll(credentials);
        var message = Message.of(frames);
        pending.put(id, callback);
        if (!send(message)) {
            pending.remove(id);
            callback.accept(new Failure(SocketEvent.ProtocolError.ZAP_UNSPECIFIED, "cannot reach the ZAP handler at " + ENDPOINT));
        }
        return () -> pending.remove(id);
    }

    private synchronized boolean send(Message message) {
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                if (current == null) {
                    current = new Generation();
                }
                if (current.dealer.trySend(message)) {
                    return true;
                }
                // The handler we were connected to is gone (another may be bound now): start afresh.
                current.dealer.close();
                current = null;
            }
        } catch (ZmqException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "ZAP request not sent: " + e.getMessage());
        }
        return false;
    }

    private void dispatch(Message reply) {
        if (reply.size() < 3) {
            LOG.log(System.Logger.Level.DEBUG, "ZAP reply of " + reply.size() + " frames dropped: no request id");
            return;
        }
        var id = new String(reply.frame(2), StandardCharsets.US_ASCII);
        var callback = pending.remove(id);
        if (callback == null) {
            LOG.log(System.Logger.Level.DEBUG, () -> "ZAP reply to unknown or abandoned request " + id);
            return;
        }
        callback.accept(parse(reply));
    }

    /** Checks a reply as libzmq's zap_client_t does, with its error codes. */
    static Outcome parse(Message reply) {
        if (reply.size() != 7) {
            return new Failure(SocketEvent.ProtocolError.ZAP_MALFORMED_REPLY, "ZAP reply has " + reply.size() + " frames, not 7");
        }
        if (reply.frame(0).length != 0) {
            return new Failure(SocketEvent.ProtocolError.ZAP_UNSPECIFIED, "ZAP reply without the empty delimiter frame");
        }
        if (!java.util.Arrays.equals(reply.frame(1), VERSION)) {
            return new Failure(SocketEvent.ProtocolError.ZAP_BAD_VERSION, "ZAP reply version is not 1.0");
        }
        var status = reply.frame(3);
        if (status.length != 3 || status[0] < '2' || status[0] > '5' || status[1] != '0' || status[2] != '0') {
            return new Failure(SocketEvent.ProtocolError.ZAP_INVALID_STATUS_CODE, "ZAP reply status code is not 200, 300, 400 or 500");
        }
        Map<String, String> metadata;
        try {
            var md = dev.zmq.internal.wire.Metadata.decode(reply.frame(6));
            var map = new java.util.LinkedHashMap<String, String>();
            md.asMap().forEach((k, v) -> map.put(k, new String(v, StandardCharsets.UTF_8)));
            metadata = java.util.Collections.unmodifiableMap(map);
        } catch (dev.zmq.internal.wire.ZmtpProtocolException e) {
            return new Failure(SocketEvent.ProtocolError.ZAP_INVALID_METADATA, "ZAP reply metadata is malformed");
        }
        return new Reply(new String(status, StandardCharsets.US_ASCII), reply.frameString(4), reply.frameString(5), metadata);
    }
}
