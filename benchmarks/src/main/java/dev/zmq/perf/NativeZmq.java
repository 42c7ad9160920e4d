package dev.zmq.perf;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import java.util.function.Supplier;

/** {@link PerfZmq} on this project's own engine, the {@code dev.zmq} API. */
public final class NativeZmq implements PerfZmq {

    @Override
    public String name() {
        return "native";
    }

    @Override
    public Context newContext() {
        return new NativeContext(call("zmq_init", () -> new ZmqContext(1)));
    }

    private static <T> T call(String call, Supplier<T> action) {
        try {
            return action.get();
        } catch (ZmqException e) {
            throw new PerfException(call, e.getMessage(), e.error() == ZmqError.EPROTONOSUPPORT, e);
        }
    }

    private static void run(String call, Runnable action) {
        call(call, () -> {
            action.run();
            return null;
        });
    }

    private record NativeContext(ZmqContext context) implements Context {
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
            return new NativeSocket(call("zmq_socket", () -> context.socket(type)));
        }

        @Override
        public void close() {
            run("zmq_ctx_term", context::close);
        }
    }

    private record NativeSocket(ZmqSocket socket) implements Socket {
        @Override
        public String bind(String endpoint) {
            return call("zmq_bind", () -> socket.bind(endpoint));
        }

        @Override
        public void connect(String endpoint) {
            run("zmq_connect", () -> socket.connect(endpoint));
        }

        @Override
        public void send(byte[] data) {
            try {
                socket.send(data);
            } catch (ZmqException e) {
                throw new PerfException("zmq_sendmsg", e.getMessage(), false, e);
            }
        }

        @Override
        public byte[] recv() {
            try {
                return socket.recvFrame();
            } catch (ZmqException e) {
                throw new PerfException("zmq_recvmsg", e.getMessage(), false, e);
            }
        }

        @Override
        public int recv(byte[] buffer) {
            try {
                return socket.recv(buffer);
            } catch (ZmqException e) {
                throw new PerfException("zmq_recv", e.getMessage(), false, e);
            }
        }

        @Override
        public void subscribe(byte[] prefix) {
            run("zmq_setsockopt", () -> socket.subscribe(prefix));
        }

        @Override
        public void curveServer(byte[] secretKey) {
            run("zmq_setsockopt", () -> {
                socket.set(dev.zmq.SocketOption.CURVE_SERVER, true);
                socket.set(dev.zmq.SocketOption.CURVE_SECRETKEY, secretKey);
            });
        }

        @Override
        public void curveClient(byte[] serverPublicKey, byte[] publicKey, byte[] secretKey) {
            run("zmq_setsockopt", () -> {
                socket.set(dev.zmq.SocketOption.CURVE_SERVERKEY, serverPublicKey);
                socket.set(dev.zmq.SocketOption.CURVE_PUBLICKEY, publicKey);
                socket.set(dev.zmq.SocketOption.CURVE_SECRETKEY, secretKey);
            });
        }

        @Override
        public void noDrop() {
            run("zmq_setsockopt", () -> socket.set(dev.zmq.SocketOption.XPUB_NODROP, true));
        }

        @Override
        public void close() {
            run("zmq_close", socket::close);
        }
    }
}
