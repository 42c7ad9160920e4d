package dev.zmq.perf;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * {@link PerfZmq} on JeroMQ. It uses {@code ZMQ.context(1)} rather than {@code ZContext}, so sockets
 * keep libzmq's default LINGER (infinite) and {@code term()} flushes pending messages, as
 * libzmq's tools rely on.
 */
public final class JeroMqZmq implements PerfZmq {

    @Override
    public String name() {
        return "jeromq";
    }

    @Override
    public Context newContext() {
        return new JeroContext(call("zmq_init", () -> ZMQ.context(1)));
    }

    private static <T> T call(String call, Supplier<T> action) {
        try {
            return action.get();
        } catch (ZMQException e) {
            throw failure(call, e.getErrorCode(), e);
        } catch (RuntimeException e) {
            // JeroMQ reports some bad endpoints with plain runtime exceptions.
            throw new PerfException(call, String.valueOf(e.getMessage()), false, e);
        }
    }

    private static PerfException failure(String call, int errno, Throwable cause) {
        ZMQ.Error error;
        try {
            error = ZMQ.Error.findByCode(errno);
        } catch (IllegalArgumentException unknown) {
            return new PerfException(call, "errno " + errno, false, cause);
        }
        return new PerfException(call, error.getMessage(), error == ZMQ.Error.EPROTONOSUPPORT, cause);
    }

    private static final class JeroContext implements Context {
        private final ZMQ.Context context;
        private final AtomicBoolean closed = new AtomicBoolean();

        JeroContext(ZMQ.Context context) {
            this.context = context;
        }

        @Override
        public Socket socket(Kind kind) {
            var type = switch (kind) {
                case PUSH -> SocketType.PUSH;
                case PULL -> SocketType.PULL;
                case REQ -> SocketType.REQ;
                case REP -> SocketType.REP;
                case XPUB -> SocketType.XPUB;
                case SUB -> SocketType.SUB;
            };
            return new JeroSocket(call("zmq_socket", () -> context.socket(type)));
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                call("zmq_ctx_term", () -> {
                    context.term();
                    return null;
                });
            }
        }
    }

    private record JeroSocket(ZMQ.Socket socket) implements Socket {
        @Override
        public String bind(String endpoint) {
            return call("zmq_bind", () -> {
                if (!socket.bind(endpoint)) {
                    throw failure("zmq_bind", socket.errno(), null);
                }
                return socket.getLastEndpoint();
            });
        }

        @Override
        public void connect(String endpoint) {
            call("zmq_connect", () -> {
                if (!socket.connect(endpoint)) {
                    throw failure("zmq_connect", socket.errno(), null);
                }
                return null;
            });
        }

        @Override
        public void send(byte[] data) {
            try {
                if (!socket.send(data, 0)) {
                    throw failure("zmq_sendmsg", socket.errno(), null);
                }
            } catch (ZMQException e) {
                throw failure("zmq_sendmsg", e.getErrorCode(), e);
            }
        }

        @Override
        public byte[] recv() {
            try {
                var data = socket.recv(0);
                if (data == null) {
                    throw failure("zmq_recvmsg", socket.errno(), null);
                }
                return data;
            } catch (ZMQException e) {
                throw failure("zmq_recvmsg", e.getErrorCode(), e);
            }
        }

        /** JeroMQ's own zmq_recv: {@code recv(byte[], int, int, int)} returns what it copied. */
        @Override
        public int recv(byte[] buffer) {
            try {
                int n = socket.recv(buffer, 0, buffer.length, 0);
                if (n < 0) {
                    throw failure("zmq_recv", socket.errno(), null);
                }
                return n;
            } catch (ZMQException e) {
                throw failure("zmq_recv", e.getErrorCode(), e);
            }
        }

        @Override
        public void subscribe(byte[] prefix) {
            call("zmq_setsockopt", () -> socket.subscribe(prefix));
        }

        @Override
        public void noDrop() {
            call("zmq_setsockopt", () -> socket.setXpubNoDrop(true));
        }

        @Override
        public void curveServer(byte[] secretKey) {
            call("zmq_setsockopt", () -> socket.setCurveServer(true) && socket.setCurveSecretKey(secretKey));
        }

        @Override
        public void curveClient(byte[] serverPublicKey, byte[] publicKey, byte[] secretKey) {
            call("zmq_setsockopt", () -> socket.setCurveServerKey(serverPublicKey) && socket.setCurvePublicKey(publicKey)
                    && socket.setCurveSecretKey(secretKey));
        }

        @Override
        public void close() {
            call("zmq_close", () -> {
                socket.close();
                return null;
            });
        }
    }
}
