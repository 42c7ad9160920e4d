package dev.zmq.interop;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import java.time.Duration;

/** A dev.zmq socket. */
final class OursPeer implements PeerSocket {
    private final ZmqSocket socket;

    OursPeer(ZmqContext context, SocketType type) {
        this.socket = context.socket(type);
        socket.set(SocketOption.LINGER, 0);
    }

    @Override
    public Impl impl() {
        return Impl.OURS;
    }

    @Override
    public SocketType type() {
        return socket.type();
    }

    @Override
    public String bind(String endpoint) {
        return socket.bind(endpoint);
    }

    @Override
    public void connect(String endpoint) {
        socket.connect(endpoint);
    }

    @Override
    public <T> void set(SocketOption<T> option, T value) {
        socket.set(option, value);
    }

    @Override
    public void send(Message message) {
        if (!socket.send(message, SEND_TIMEOUT)) {
            throw new ZmqException(ZmqError.EAGAIN, label() + ": no room to send within " + SEND_TIMEOUT);
        }
    }

    @Override
    public Message recv(Duration timeout) {
        return socket.recv(timeout);
    }

    @Override
    public void close() {
        socket.close();
    }
}
