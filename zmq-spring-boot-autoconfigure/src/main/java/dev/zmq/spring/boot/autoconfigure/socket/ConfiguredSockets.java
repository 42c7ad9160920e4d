package dev.zmq.spring.boot.autoconfigure.socket;

import dev.zmq.spring.socket.ManagedSocket;
import dev.zmq.spring.socket.SocketSpec;
import dev.zmq.spring.socket.SocketSpecValidator;
import dev.zmq.spring.socket.ZmqSocketFactory;

import dev.zmq.ZmqSocket;
import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.boot.autoconfigure.security.SecurityResolver;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The factory bean of the sockets declared under {@code zmq.sockets}: each socket bean is defined as
 * {@code configuredZmqSockets.create("<name>")}, a factory method with a plain argument, so Spring
 * AOT generates code for it (no instance supplier).
 */
public class ConfiguredSockets {
    /** This bean's name, the factory bean of every socket bean from {@code zmq.sockets}. */
    public static final String BEAN_NAME = "configuredZmqSockets";

    private final ZmqProperties properties;
    private final ZmqSocketFactory factory;

    public ConfiguredSockets(ZmqProperties properties, ZmqSocketFactory factory) {
        this.properties = properties;
        this.factory = factory;
    }

    /** The spec of {@code zmq.sockets.<name>}, its security resolved from the properties when validated. */
    public static SocketSpec spec(String name, ZmqProperties.Socket socket) {
        var prefix = "zmq.sockets." + name + ".";
        UnaryOperator<String> names = key -> prefix + key;
        var security = socket.getSecurity();
        return new SocketSpec(name, socket.getType(), nonNull(socket.getBind()), nonNull(socket.getConnect()),
                nonNull(socket.getSubscribe()), socket.getOptions() == null ? Map.of() : socket.getOptions(),
                socket.isMonitor(), names, security == null ? null : () -> SecurityResolver.resolve(security, names));
    }

    private static List<String> nonNull(List<String> list) {
        return list == null ? List.of() : list;
    }

    /** Creates, binds and connects the socket {@code zmq.sockets.<name>}. */
    public ZmqSocket create(String name) {
        var socket = properties.getSockets().get(name);
        if (socket == null) {
            // with Spring AOT the socket beans are those of the build: a key removed since has no properties now
            throw new ZmqConfigurationException("zmq.sockets." + name, null, "the socket bean '" + name
                    + "' exists but zmq.sockets." + name + " is not configured",
                    "Declare zmq.sockets." + name + " (type, bind/connect), or rebuild the application's AOT code "
                            + "(spring-boot:process-aot) after removing it.");
        }
        var spec = SocketSpecValidator.validate(spec(name, socket));
        if (socket.isHeaders() && spec.type() == dev.zmq.SocketType.DGRAM) {
            throw new ZmqConfigurationException("zmq.sockets." + name + ".headers", true, "a DGRAM message is [address, body], one "
                    + "datagram from any UDP peer, with no room for a header frame",
                    "Remove zmq.sockets." + name + ".headers; carry what headers would in the body.");
        }
        var managed = factory.create(spec, ManagedSocket.Origin.CONFIGURATION);
        managed.headerEnvelope(socket.isHeaders());
        return managed.socket();
    }
}
