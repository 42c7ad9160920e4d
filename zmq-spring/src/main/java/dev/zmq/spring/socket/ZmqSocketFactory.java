package dev.zmq.spring.socket;

import dev.zmq.SocketEvent;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.security.ZmqZapServer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Creates sockets from checked specs: default LINGER, options, subscriptions, security, customizers,
 * monitor, then (with the ZAP handler running if the socket authenticates peers) bind and connect.
 * A socket that fails to bind is closed and reported with the property at fault.
 */
public class ZmqSocketFactory {
    private final ZmqContext context;
    private final Duration defaultLinger;
    private final List<ZmqSocketCustomizer> customizers;
    private final ZmqSocketRegistry registry;
    private volatile Supplier<ZmqZapServer> zapServer = () -> null;
    private volatile List<ZmqConnectScheme> connectSchemes = List.of();

    public ZmqSocketFactory(ZmqContext context, Duration defaultLinger, List<ZmqSocketCustomizer> customizers,
                            ZmqSocketRegistry registry) {
        this.context = context;
        this.defaultLinger = defaultLinger;
        this.customizers = List.copyOf(customizers);
        this.registry = registry;
    }

    public ZmqContext context() {
        return context;
    }

    public ZmqSocketRegistry registry() {
        return registry;
    }

    /** Where the ZAP server comes from (the supplier returns null when there is none); started before a socket that needs it binds. */
    public void setZapServer(Supplier<ZmqZapServer> zapServer) {
        this.zapServer = zapServer;
    }

    /**
     * The schemes of connect endpoints that follow a name through a resolver of their own (the
     * starter's {@code discovery://}); {@code dns+tcp://} needs none.
     */
    public void setConnectSchemes(List<ZmqConnectScheme> schemes) {
        this.connectSchemes = List.copyOf(schemes);
    }

    /** Creates, configures, binds and connects the socket, and registers it. */
    public ManagedSocket create(ValidSocketSpec spec, ManagedSocket.Origin origin) {
        var socket = context.socket(spec.type());
        var managed = new ManagedSocket(spec.name(), spec.type(), origin, socket, registry.stats(spec.name(), spec.type()));
        try {
            configure(socket, spec);
            managed.subscribed(spec.subscribe());
            managed.describeSecurity();
            ZmqZapServer.prepare(zapServer.get(), spec.name(), spec.security(), spec.propertyName());
            if (spec.monitor()) {
                managed.monitor(socket.monitor(EnumSet.allOf(SocketEvent.Type.class), managed::onEvent));
            }
            registry.register(managed);
            for (int i = 0; i < spec.bind().size(); i++) {
                var endpoint = spec.bind().get(i);
                try {
                    managed.addBound(socket.bind(endpoint));
                } catch (ZmqException e) {
                    managed.bindFailed(endpoint, e);
                    throw new ZmqSocketBindException(spec.propertyName().apply("bind[" + i + "]"), endpoint, e);
                }
            }
            for (int i = 0; i < spec.connect().size(); i++) {
                var endpoint = spec.connect().get(i);
                var property = spec.propertyName().apply("connect[" + i + "]");
                try {
                    connect(socket, ConnectTarget.of(endpoint, connectSchemes, property), managed);
                } catch (ZmqException e) {
                    managed.error("connect " + endpoint + " failed: " + e.getMessage());
                    throw new ZmqConfigurationException(property, endpoint, "cannot connect: " + e.getMessage(),
                            "Check " + property + ": tcp://host:port, ipc://path or inproc://name.", e);
                }
            }
            return managed;
        } catch (RuntimeException e) {
            managed.close();
            throw e;
        }
    }

    /**
     * Connects; an endpoint that follows a name connects with CONNECT_ALL_ADDRESSES (and its
     * scheme's resolver), which this connect only uses: the socket's own settings are restored.
     */
    private static void connect(ZmqSocket socket, ConnectTarget target, ManagedSocket managed) {
        if (!target.followsName()) {
            socket.connect(target.endpoint());
            if (target.endpoint().startsWith("tcp://") && socket.get(SocketOption.CONNECT_ALL_ADDRESSES)) {
                managed.addFollowed(target.configured(), target.endpoint()); // the option set in YAML (or by a customizer)
            } else {
                managed.addConnected(target.configured());
            }
            return;
        }
        boolean all = socket.get(SocketOption.CONNECT_ALL_ADDRESSES);
        var resolver = socket.nameResolver();
        socket.set(SocketOption.CONNECT_ALL_ADDRESSES, true);
        if (target.resolver() != null) {
            socket.setNameResolver(target.resolver());
        }
        try {
            socket.connect(target.endpoint());
        } finally {
            socket.set(SocketOption.CONNECT_ALL_ADDRESSES, all);
            socket.setNameResolver(resolver);
        }
        managed.addFollowed(target.configured(), target.endpoint());
    }

    private void configure(ZmqSocket socket, ValidSocketSpec spec) {
        if (!spec.setsLinger()) {
            socket.set(SocketOption.LINGER, SocketOptionValues.millis(defaultLinger));
        }
        for (var option : spec.options()) {
            try {
                set(socket, option.option(), option.value());
            } catch (ZmqException e) {
                throw new ZmqConfigurationException(option.property(), option.value(), e.getMessage(),
                        "Remove " + option.property() + " or use a socket type that supports " + option.option().name() + ".", e);
            }
        }
        for (var topic : spec.subscribe()) {
            if (spec.type() == SocketType.DISH) {
                socket.join(topic); // a DISH's subscribe list is the groups it joins
                continue;
            }
            socket.subscribe(topic);
        }
        try {
            spec.security().applyTo(socket);
        } catch (ZmqException e) {
            var property = spec.propertyName().apply("security");
            throw new ZmqConfigurationException(property, spec.security().describe(), e.getMessage(), e.error() == ZmqError.ENOTSUP
                    ? "Add org.bouncycastle:bcprov-jdk18on to the application's dependencies (CURVE needs it), or remove " + property + "."
                    : "Check " + property + ".", e);
        }
        for (var customizer : customizers) {
            customizer.customize(spec.name(), socket);
        }
    }

    private static <T> void set(ZmqSocket socket, SocketOption<T> option, Object value) {
        socket.set(option, option.validate(value));
    }
}
