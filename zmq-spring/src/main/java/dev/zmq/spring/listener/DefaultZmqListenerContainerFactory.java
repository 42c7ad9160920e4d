package dev.zmq.spring.listener;


import dev.zmq.SocketType;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.socket.ManagedSocket;
import dev.zmq.spring.socket.SocketSpec;
import dev.zmq.spring.socket.SocketSpecValidator;
import dev.zmq.spring.socket.ValidSocketSpec;
import dev.zmq.spring.socket.ZmqSocketFactory;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;

/**
 * The default {@link ZmqListenerContainerFactory}: listener defaults (concurrency, auto-startup, poll
 * and async-reply timeouts, observations, virtual threads) set on it, sockets from a
 * {@link ZmqSocketFactory} (inline ones) or the {@code BeanFactory} (configured ones, looked up once
 * when the container is created). With Spring Boot, {@code zmq.listener.*} configures it through
 * {@code ZmqListenerContainerFactoryConfigurer}. Applications may declare more (with other defaults)
 * and pick one with {@code @ZmqListener(containerFactory = ...)}.
 */
public class DefaultZmqListenerContainerFactory implements ZmqListenerContainerFactory {
    private static final Set<SocketType> LISTENABLE = Set.of(SocketType.REP, SocketType.ROUTER, SocketType.PULL, SocketType.SUB,
            SocketType.XSUB, SocketType.DEALER, SocketType.PAIR, SocketType.XPUB);

    private final ZmqSocketFactory socketFactory;
    private final BeanFactory beanFactory;
    private final MessageHandlerMethodFactory handlerMethodFactory;
    private final MessageConverter messageConverter;
    private int concurrency = 1;
    private Duration pollTimeout = Duration.ofMillis(100);
    private boolean autoStartup = true;
    private boolean observationEnabled;
    private Duration asyncReplyTimeout = Duration.ofSeconds(30);
    private ZmqListenerErrorHandler errorHandler = new DefaultZmqListenerErrorHandler();
    private boolean virtualThreads;
    private ObservationRegistry observationRegistry;

    public DefaultZmqListenerContainerFactory(ZmqSocketFactory socketFactory, BeanFactory beanFactory,
                                              MessageHandlerMethodFactory handlerMethodFactory, MessageConverter messageConverter) {
        this.socketFactory = socketFactory;
        this.beanFactory = beanFactory;
        this.handlerMethodFactory = handlerMethodFactory;
        this.messageConverter = messageConverter;
    }

    /** Worker threads of listeners that do not say (1 keeps messages in order). */
    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    /** How often an idle worker checks whether it should stop or pause; bounds stop latency. */
    public void setPollTimeout(Duration pollTimeout) {
        this.pollTimeout = pollTimeout;
    }

    /** Whether listeners that do not say start with the application. */
    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    /** Whether each handled message is a Micrometer Observation (needs {@link #setObservationRegistry}). */
    public void setObservationEnabled(boolean observationEnabled) {
        this.observationEnabled = observationEnabled;
    }

    /** How long a listener waits for the future (or Mono) it returned before replying. */
    public void setAsyncReplyTimeout(Duration asyncReplyTimeout) {
        this.asyncReplyTimeout = asyncReplyTimeout;
    }

    public void setErrorHandler(ZmqListenerErrorHandler errorHandler) {
        this.errorHandler = errorHandler;
    }

    /** Run workers on virtual threads when the JVM has them (Java 21+). */
    public void setVirtualThreads(boolean virtualThreads) {
        this.virtualThreads = virtualThreads;
    }

    /** Registry for listener observations; used only when observations are enabled. */
    public void setObservationRegistry(ObservationRegistry observationRegistry) {
        this.observationRegistry = observationRegistry;
    }

    public boolean isVirtualThreads() {
        return virtualThreads && ZmqThreads.virtualThreadsAvailable();
    }

    @Override
    public ZmqMessageListenerContainer createContainer(ZmqListenerEndpoint endpoint) {
        int concurrency = endpoint.concurrency() != null ? endpoint.concurrency() : this.concurrency;
        if (concurrency < 1) {
            throw new ZmqConfigurationException(endpoint.source() + " concurrency", concurrency,
                    "a listener needs at least one worker", "Set concurrency (or zmq.listener.concurrency) to 1 or more.");
        }
        boolean autoStartup = endpoint.autoStartup() != null ? endpoint.autoStartup() : this.autoStartup;
        SocketSource source;
        SocketType type;
        List<String> topics;
        if (endpoint.inlineSocket() != null) {
            var spec = SocketSpecValidator.validate(endpoint.inlineSocket());
            type = spec.type();
            checkListenable(type, endpoint.inlineSocket().propertyName().apply("type"), endpoint);
            if (type == SocketType.REP && concurrency > 1) {
                // REP keeps lockstep even across threads: several workers share a ROUTER that keeps each envelope.
                spec = new ValidSocketSpec(spec.name(), SocketType.ROUTER, spec.bind(), spec.connect(), spec.subscribe(),
                        spec.options(), spec.monitor(), spec.propertyName(), spec.security());
            }
            topics = type == SocketType.SUB || type == SocketType.XSUB ? spec.subscribe() : null;
            source = inline(spec);
        } else {
            var property = endpoint.source() + " socket";
            if (!beanFactory.containsBean(endpoint.socketName())) {
                throw new ZmqConfigurationException(property, endpoint.socketName(), "there is no socket named '" + endpoint.socketName() + "'",
                        "Declare zmq.sockets." + endpoint.socketName() + " (type, bind/connect), or declare the socket inline with type and bind/connect.");
            }
            var socket = beanFactory.getBean(endpoint.socketName(), ZmqSocket.class);
            type = socket.type();
            checkListenable(type, property, endpoint);
            if (type == SocketType.REP && concurrency > 1) {
                throw new ZmqConfigurationException(property, endpoint.socketName(),
                        "a REP socket answers one request at a time, so concurrency " + concurrency + " cannot use it",
                        "Use concurrency 1, make zmq.sockets." + endpoint.socketName() + " a ROUTER, or declare the socket inline "
                                + "(type = \"REP\"), where the container spreads requests over a ROUTER itself.");
            }
            var registry = socketFactory.registry();
            var managed = registry.get(endpoint.socketName()).filter(m -> m.socket() == socket)
                    .orElseGet(() -> new ManagedSocket(endpoint.socketName(), type, ManagedSocket.Origin.CONFIGURATION, socket,
                            registry.stats(endpoint.socketName(), type)));
            topics = type == SocketType.SUB || type == SocketType.XSUB ? managed.subscriptions() : null;
            source = configured(managed);
        }
        var mode = type == SocketType.REP && concurrency > 1 && endpoint.inlineSocket() != null ? ReplyMode.REP_OVER_ROUTER : ReplyMode.of(type);
        var method = endpoint.createHandlerMethod(handlerMethodFactory);
        var handler = endpoint.errorHandler() != null ? endpoint.errorHandler() : errorHandler;
        var invoker = new ListenerInvoker(endpoint.id(), method, messageConverter, handler, sendTo(endpoint),
                observationEnabled ? observationRegistry : null, asyncReplyTimeout());
        var threads = ZmqThreads.factory("zmq-listener-" + endpoint.id() + "-", virtualThreads);
        return new ZmqMessageListenerContainer(endpoint.id(), source, mode, concurrency, pollTimeout(), autoStartup, threads, invoker, topics);
    }

    private Duration pollTimeout() {
        var timeout = pollTimeout;
        return timeout == null || timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(100) : timeout;
    }

    private Duration asyncReplyTimeout() {
        var timeout = asyncReplyTimeout;
        return timeout == null || timeout.isNegative() || timeout.isZero() ? Duration.ofSeconds(30) : timeout;
    }

    private static void checkListenable(SocketType type, String property, ZmqListenerEndpoint endpoint) {
        if (!LISTENABLE.contains(type)) {
            throw new ZmqConfigurationException(property, type, "a listener cannot receive on a " + type + " socket"
                    + (type == SocketType.REQ ? " (REQ must send first: use ZmqTemplate.sendAndReceive)" : ""),
                    "Use one of REP, ROUTER, PULL, SUB, XSUB, DEALER, PAIR or XPUB for " + endpoint.source() + ".");
        }
    }

    private SocketSource inline(ValidSocketSpec spec) {
        return new SocketSource() {
            @Override
            public ManagedSocket open() {
                return socketFactory.create(spec, ManagedSocket.Origin.LISTENER);
            }

            @Override
            public void release(ManagedSocket socket) {
                socket.close();
            }

            @Override
            public boolean owned() {
                return true;
            }
        };
    }

    private static SocketSource configured(ManagedSocket managed) {
        return new SocketSource() {
            @Override
            public ManagedSocket open() {
                if (managed.isClosed()) {
                    throw new ZmqException(dev.zmq.ZmqError.ENOTSOCK, "socket '" + managed.name() + "' is closed");
                }
                return managed;
            }

            @Override
            public void release(ManagedSocket socket) {
                // a configured socket belongs to the application: closed at shutdown, not when a listener stops
            }

            @Override
            public boolean owned() {
                return false;
            }
        };
    }

    private Consumer<List<byte[]>> sendTo(ZmqListenerEndpoint endpoint) {
        if (endpoint.sendTo() == null) {
            return null;
        }
        var name = endpoint.sendTo();
        if (!beanFactory.containsBean(name)) {
            throw new ZmqConfigurationException(endpoint.source() + " @SendTo", name, "there is no socket named '" + name + "'",
                    "Declare zmq.sockets." + name + " or correct @SendTo.");
        }
        var target = beanFactory.getBean(name, ZmqSocket.class);
        return frames -> target.send(FrameConversion.join(null, frames));
    }
}
