package dev.zmq.testkit;

import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import java.util.function.Consumer;

/**
 * Two sockets of one context joined over tcp loopback: {@code bound} binds an ephemeral port,
 * {@code connected} connects to it. Closing the link closes both.
 */
public record Link(ZmqSocket bound, ZmqSocket connected, String endpoint) implements AutoCloseable {

    public static Link of(ZmqContext ctx, SocketType boundType, SocketType connectedType) {
        return of(ctx, boundType, s -> { }, connectedType, s -> { });
    }

    /** Like {@link #of(ZmqContext, SocketType, SocketType)}, configuring each socket before bind/connect. */
    public static Link of(ZmqContext ctx, SocketType boundType, Consumer<ZmqSocket> boundSetup,
                          SocketType connectedType, Consumer<ZmqSocket> connectedSetup) {
        var bound = ctx.socket(boundType);
        try {
            boundSetup.accept(bound);
            var endpoint = bound.bind("tcp://127.0.0.1:*");
            var connected = ctx.socket(connectedType);
            try {
                connectedSetup.accept(connected);
                connected.connect(endpoint);
                return new Link(bound, connected, endpoint);
            } catch (RuntimeException | Error e) {
                connected.close();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            bound.close();
            throw e;
        }
    }

    @Override
    public void close() {
        connected.close();
        bound.close();
    }
}
