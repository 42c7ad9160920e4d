package dev.zmq.perf;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;

/** {@link PerfZmq} on this project's own engine, the {@code dev.zmq} API. */
public final class NativeZmq implements PerfZmq {

    @Override
    public String name() {
        return "native";
    }

    @Override
    public Context newContext() {
        try {
            return new NativeContext(new ZmqContext(1));
        } catch (ZmqException e) {
            throw failed("zmq_init", e);
        }
    }

    // try/catch in each method, no lambdas: the sender's close runs while its peer still measures,
    // and a lambda first used there is spun (class generation, its compiles) in a cold JVM.
    private static PerfException failed(String call, ZmqException e) {
        return new PerfException(call, e.getMessage(), e.error() == ZmqError.EPROTONOSUPPORT, e);
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
            try {
                return new NativeSocket(context.socket(type));
            } catch (ZmqException e) {
                throw failed("zmq_socket", e);
            }
        }

        @Override
        public void close() {
            try {
                context.close();
            } catch (ZmqException e) {
                throw failed("zmq_ctx_term", e);
            }
        }
    }

    private record NativeSocket(ZmqSocket socket) implements Socket {
        @Override
        public String bind(String endpoint) {
            try {
                return socket.bind(endpoint);
            } catch (ZmqException e) {
                throw failed("zmq_bind", e);
            }
        }

        @Override
        public void connect(String endpoint) {
            try {
                socket.connect(endpoint);
            } catch (ZmqException e) {
                throw failed("zmq_connect", e);
            }
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
            try {
                socket.subscribe(prefix);
            } catch (ZmqException e) {
                throw failed("zmq_setsockopt", e);
            }
        }

        @Override
        public void curveServer(byte[] secretKey) {
            try {
                socket.set(dev.zmq.SocketOption.CURVE_SERVER, true);
                socket.set(dev.zmq.SocketOption.CURVE_SECRETKEY, secretKey);
            } catch (ZmqException e) {
                throw failed("zmq_setsockopt", e);
            }
        }

        @Override
        public void curveClient(byte[] serverPublicKey, byte[] publicKey, byte[] secretKey) {
            try {
                socket.set(dev.zmq.SocketOption.CURVE_SERVERKEY, serverPublicKey);
                socket.set(dev.zmq.SocketOption.CURVE_PUBLICKEY, publicKey);
                socket.set(dev.zmq.SocketOption.CURVE_SECRETKEY, secretKey);
            } catch (ZmqException e) {
                throw failed("zmq_setsockopt", e);
            }
        }

        @Override
        public void noDrop() {
            try {
                socket.set(dev.zmq.SocketOption.XPUB_NODROP, true);
            } catch (ZmqException e) {
                throw failed("zmq_setsockopt", e);
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (ZmqException e) {
                throw failed("zmq_close", e);
            }
        }
    }
}
