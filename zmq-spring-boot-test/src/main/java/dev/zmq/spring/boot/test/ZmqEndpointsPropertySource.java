package dev.zmq.spring.boot.test;

import dev.zmq.spring.socket.ZmqSocketRegistry;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.PropertySource;

/**
 * {@code local.zmq.<socket>.endpoint}: the first endpoint the socket really bound (the port of
 * {@code tcp://127.0.0.1:*} resolved), like {@code local.server.port}; {@code local.zmq.<socket>.endpoints}: all
 * of them, comma-separated. {@code <socket>} is a key of {@code zmq.sockets} or the id of a listener with an
 * inline socket. Read when asked, so it is there once the socket is bound (listener sockets: once started).
 */
public class ZmqEndpointsPropertySource extends PropertySource<ListableBeanFactory> {
    /** This property source's name. */
    public static final String NAME = "zmqEndpoints";
    private static final String PREFIX = "local.zmq.";

    public ZmqEndpointsPropertySource(ListableBeanFactory beanFactory) {
        super(NAME, beanFactory);
    }

    @Override
    public Object getProperty(String name) {
        if (!name.startsWith(PREFIX)) {
            return null;
        }
        boolean all = name.endsWith(".endpoints");
        if (!all && !name.endsWith(".endpoint")) {
            return null;
        }
        var socket = name.substring(PREFIX.length(), name.lastIndexOf('.'));
        var names = getSource().getBeanNamesForType(ZmqSocketRegistry.class, false, false);
        if (names.length != 1) {
            return null;
        }
        var bound = getSource().getBean(names[0], ZmqSocketRegistry.class).get(socket).map(m -> m.boundEndpoints()).orElse(java.util.List.of());
        if (bound.isEmpty()) {
            return null;
        }
        return all ? String.join(",", bound) : bound.get(0);
    }
}
