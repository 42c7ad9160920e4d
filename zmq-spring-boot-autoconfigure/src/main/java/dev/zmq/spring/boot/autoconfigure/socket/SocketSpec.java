package dev.zmq.spring.boot.autoconfigure.socket;

import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A socket as declared, not yet checked: from {@code zmq.sockets.<name>} or from an inline
 * {@code @ZmqListener}. {@code propertyName} turns a key ({@code type}, {@code bind[0]},
 * {@code options.sndhwm}) into the name a user would look for in an error message.
 */
public record SocketSpec(String name, String type, List<String> bind, List<String> connect, List<String> subscribe,
                         Map<String, String> options, boolean monitor, UnaryOperator<String> propertyName) {

    public SocketSpec {
        bind = List.copyOf(bind);
        connect = List.copyOf(connect);
        subscribe = List.copyOf(subscribe);
        options = Map.copyOf(options);
    }

    /** The spec of {@code zmq.sockets.<name>}. */
    public static SocketSpec fromProperties(String name, ZmqProperties.Socket socket) {
        var prefix = "zmq.sockets." + name + ".";
        return new SocketSpec(name, socket.getType(), nonNull(socket.getBind()), nonNull(socket.getConnect()),
                nonNull(socket.getSubscribe()), socket.getOptions() == null ? Map.of() : socket.getOptions(),
                socket.isMonitor(), key -> prefix + key);
    }

    private static List<String> nonNull(List<String> list) {
        return list == null ? List.of() : list;
    }
}
