package dev.zmq.spring.boot.autoconfigure.socket;

import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.config.ZmqConfigurationException;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;

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
        var spec = SocketSpecValidator.validate(SocketSpec.fromProperties(name, socket));
        return factory.create(spec, ManagedSocket.Origin.CONFIGURATION).socket();
    }
}
