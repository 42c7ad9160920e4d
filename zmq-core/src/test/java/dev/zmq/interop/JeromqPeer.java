package dev.zmq.interop;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.time.Duration;
import java.util.ArrayList;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/** A JeroMQ 0.6.0 socket. Like any JeroMQ socket, use it from one thread at a time. */
final class JeromqPeer implements PeerSocket {
    private final ZContext context;
    private final ZMQ.Socket socket;
    private final SocketType type;

    JeromqPeer(ZContext context, SocketType type) {
        this.context = context;
        this.type = type;
        this.socket = context.createSocket(org.zeromq.SocketType.valueOf(type.name()));
        socket.setLinger(0);
    }

    @Override
    public Impl impl() {
        return Impl.JEROMQ;
    }

    @Override
    public SocketType type() {
        return type;
    }

    @Override
    public String bind(String endpoint) {
        if (!socket.bind(endpoint)) {
            throw failure("bind " + endpoint);
        }
        return socket.getLastEndpoint();
    }

    @Override
    public void connect(String endpoint) {
        if (!socket.connect(endpoint)) {
            throw failure("connect " + endpoint);
        }
    }

    @Override
    public <T> void set(SocketOption<T> option, T value) {
        boolean done = switch (option.name()) {
            case "ROUTING_ID" -> socket.setIdentity((byte[]) value);
            case "ROUTER_MANDATORY" -> socket.setRouterMandatory((Boolean) value);
            case "REQ_CORRELATE" -> socket.setReqCorrelate((Boolean) value);
            case "REQ_RELAXED" -> socket.setReqRelaxed((Boolean) value);
            case "LINGER" -> socket.setLinger((Integer) value);
            case "SNDHWM" -> socket.setSndHWM((Integer) value);
            case "RCVHWM" -> socket.setRcvHWM((Integer) value);
            default -> throw new IllegalArgumentException("JeroMQ peer does not map option " + option);
        };
        if (!done) {
            throw failure("set " + option + "=" + value);
        }
    }

    @Override
    public void send(Message message) {
        socket.setSendTimeOut((int) SEND_TIMEOUT.toMillis());
        int last = message.size() - 1;
        for (int i = 0; i <= last; i++) {
            boolean sent;
            try {
                sent = socket.send(message.frame(i), i < last ? ZMQ.SNDMORE : 0);
            } catch (ZMQException e) {
                throw new ZmqException(errorOf(e.getErrorCode()), label() + ": send failed: " + e.getMessage(), e);
            }
            if (!sent) {
                // Only the first frame can fail: the rest of a message is always accepted.
                throw failure("send " + message);
            }
        }
    }

    @Override
    public Message recv(Duration timeout) {
        socket.setReceiveTimeOut((int) timeout.toMillis());
        var first = socket.recv(0);
        if (first == null) {
            if (socket.errno() == ZMQ.Error.EAGAIN.getCode()) {
                return null;
            }
            throw failure("recv");
        }
        var frames = new ArrayList<byte[]>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return Message.of(frames);
    }

    @Override
    public void close() {
        context.destroySocket(socket);
    }

    private ZmqException failure(String what) {
        int errno = socket.errno();
        return new ZmqException(errorOf(errno), label() + ": " + what + " failed, errno " + errno + " (" + errnoName(errno) + ")");
    }

    private static ZmqError errorOf(int errno) {
        try {
            return ZmqError.valueOf(errnoName(errno));
        } catch (IllegalArgumentException e) {
            return ZmqError.EINVAL;
        }
    }

    private static String errnoName(int errno) {
        try {
            return ZMQ.Error.findByCode(errno).name();
        } catch (IllegalArgumentException e) {
            return "errno " + errno;
        }
    }
}
