package dev.zmq.spring.listener;


import dev.zmq.SocketType;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.headers.HeaderEnvelope;
import dev.zmq.spring.observation.ZmqListenerObservationConvention;
import dev.zmq.spring.observation.ZmqObservations;
import dev.zmq.spring.observation.ZmqSenderContext;
import dev.zmq.spring.observation.ZmqTemplateObservationConvention;
import dev.zmq.spring.recovery.DeadLetterMessageRecoverer;
import dev.zmq.spring.recovery.LoggingMessageRecoverer;
import dev.zmq.spring.recovery.ZmqListenerRetry;
import dev.zmq.spring.recovery.ZmqMessageRecoverer;
import dev.zmq.spring.socket.ManagedSocket;
import dev.zmq.spring.socket.SocketSpec;
import dev.zmq.spring.socket.SocketSpecValidator;
import dev.zmq.spring.socket.ValidSocketSpec;
import dev.zmq.spring.socket.ZmqSocketFactory;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashMap;
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
            SocketType.XSUB, SocketType.DEALER, SocketType.PAIR, SocketType.XPUB, SocketType.STREAM, SocketType.SERVER,
            SocketType.PEER, SocketType.CLIENT, SocketType.DISH, SocketType.GATHER, SocketType.CHANNEL, SocketType.DGRAM);

    private static final Set<SocketType> DEAD_LETTER_TYPES = Set.of(SocketType.PUSH, SocketType.PUB, SocketType.XPUB,
            SocketType.DEALER, SocketType.PAIR);

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
    private ZmqListenerRetry retry = ZmqListenerRetry.DEFAULTS;
    private ZmqMessageRecoverer recoverer = new LoggingMessageRecoverer();
    private String deadLetter;
    private Duration deadLetterSendTimeout = Duration.ofSeconds(5);
    private boolean errorReplyIncludesMessage;
    private int batchSize = 100;
    private List<ZmqListenerInvocationObserver> invocationObservers = List.of();
    private ZmqListenerObservationConvention observationConvention;
    private ZmqTemplateObservationConvention sendObservationConvention;

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

    /**
     * Retry settings of listeners that do not say ({@code zmq.listener.retry.*}); components left null
     * keep {@link ZmqListenerRetry#DEFAULTS}.
     */
    public void setRetry(ZmqListenerRetry retry) {
        this.retry = (retry == null ? ZmqListenerRetry.UNSET : retry).orElse(ZmqListenerRetry.DEFAULTS);
    }

    /** What happens to a message after its last failed attempt when neither the listener nor {@link #setDeadLetter} says. */
    public void setRecoverer(ZmqMessageRecoverer recoverer) {
        this.recoverer = recoverer == null ? new LoggingMessageRecoverer() : recoverer;
    }

    /** The socket failed messages of listeners that do not say are sent to ({@code zmq.listener.retry.dead-letter}), or null. */
    public void setDeadLetter(String deadLetter) {
        this.deadLetter = deadLetter == null || deadLetter.isBlank() ? null : deadLetter;
    }

    /** How long a dead letter waits for room on its socket before the message is discarded (logged and counted). */
    public void setDeadLetterSendTimeout(Duration deadLetterSendTimeout) {
        this.deadLetterSendTimeout = deadLetterSendTimeout;
    }

    /**
     * Whether the error reply of a failed REP/ROUTER listener carries the exception's class and message
     * ({@code zmq.listener.error-reply.include-message}); off by default, so that nothing of the exception
     * leaves the process unless configured. A {@link ZmqErrorReplyException}'s code and message are always sent.
     */
    public void setErrorReplyIncludesMessage(boolean errorReplyIncludesMessage) {
        this.errorReplyIncludesMessage = errorReplyIncludesMessage;
    }

    /** Replaces the default convention ({@code zmq.listener}) of listener observations. */
    public void setObservationConvention(ZmqListenerObservationConvention observationConvention) {
        this.observationConvention = observationConvention;
    }

    /** Replaces the default convention ({@code zmq.template}) of the observations of {@code @SendTo} sends. */
    public void setSendObservationConvention(ZmqTemplateObservationConvention sendObservationConvention) {
        this.sendObservationConvention = sendObservationConvention;
    }

    /** The most messages of one batch of batch listeners that do not say ({@code zmq.listener.batch-size}). */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    /** Told of every listener call of the containers created from now on (test harnesses). */
    public void setInvocationObservers(List<ZmqListenerInvocationObserver> invocationObservers) {
        this.invocationObservers = List.copyOf(invocationObservers);
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
            checkHeaderEnvelope(type, Boolean.TRUE.equals(endpoint.headers()), endpoint.source() + " headers");
            if (type == SocketType.REP && concurrency > 1) {
                // REP keeps lockstep even across threads: several workers share a ROUTER that keeps each envelope.
                spec = new ValidSocketSpec(spec.name(), SocketType.ROUTER, spec.bind(), spec.connect(), spec.subscribe(),
                        spec.options(), spec.monitor(), spec.propertyName(), spec.security());
            }
            topics = type == SocketType.SUB || type == SocketType.XSUB ? spec.subscribe() : null;
            source = inline(spec, Boolean.TRUE.equals(endpoint.headers()));
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
            checkHeaderEnvelope(type, managed.headerEnvelope(), "zmq.sockets." + endpoint.socketName() + ".headers");
            topics = type == SocketType.SUB || type == SocketType.XSUB ? managed.subscriptions() : null;
            source = configured(managed);
        }
        var mode = type == SocketType.REP && concurrency > 1 && endpoint.inlineSocket() != null ? ReplyMode.REP_OVER_ROUTER : ReplyMode.of(type);
        var method = endpoint.createHandlerMethod(handlerMethodFactory, messageConverter);
        var handler = endpoint.errorHandler() != null ? endpoint.errorHandler() : errorHandler;
        var retrySettings = (endpoint.retry() == null ? ZmqListenerRetry.UNSET : endpoint.retry()).orElse(retry);
        var problem = retrySettings.problem();
        if (problem != null) {
            throw new ZmqConfigurationException(endpoint.source() + " retry", retrySettings, problem,
                    "Correct the listener's maxAttempts/backoff attributes or zmq.listener.retry.*.");
        }
        int batch = 0;
        if (Boolean.TRUE.equals(endpoint.batch())) {
            if (!mode.batchable()) {
                throw new ZmqConfigurationException(endpoint.source() + " batch", true, "a " + type + " listener answers each request, "
                        + "so it cannot take them in batches", "Drop batch, or use a PULL, SUB, DEALER or PAIR socket.");
            }
            batch = endpoint.batchSize() != null ? endpoint.batchSize() : batchSize;
            if (batch < 1) {
                throw new ZmqConfigurationException(endpoint.source() + " batchSize", batch, "a batch has at least one message",
                        "Set batchSize (or zmq.listener.batch-size) to 1 or more.");
            }
        }
        var running = new java.util.concurrent.atomic.AtomicBoolean();
        var template = retrySettings.template(ListenerInvoker::retryable, running::get);
        var outcomes = new ZmqListenerOutcomes();
        var invoker = new ListenerInvoker(endpoint.id(), method, messageConverter, handler, sendTo(endpoint),
                observationEnabled ? observationRegistry : null, asyncReplyTimeout(), template, recoverer(endpoint), outcomes,
                new ErrorReplies(errorReplyIncludesMessage), observationConvention);
        invoker.setInvocationObservers(invocationObservers);
        var threads = ZmqThreads.factory("zmq-listener-" + endpoint.id() + "-", virtualThreads);
        return new ZmqMessageListenerContainer(endpoint.id(), source, mode, concurrency, pollTimeout(), autoStartup, threads, invoker, topics,
                outcomes, running, batch);
    }

    private ZmqMessageRecoverer recoverer(ZmqListenerEndpoint endpoint) {
        if (endpoint.recoverer() != null) {
            return endpoint.recoverer();
        }
        var socketName = endpoint.deadLetter() != null && !endpoint.deadLetter().isBlank() ? endpoint.deadLetter() : deadLetter;
        if (socketName == null) {
            return recoverer;
        }
        var property = endpoint.deadLetter() != null ? endpoint.source() + " deadLetter" : "zmq.listener.retry.dead-letter";
        if (!beanFactory.containsBean(socketName)) {
            throw new ZmqConfigurationException(property, socketName, "there is no socket named '" + socketName + "'",
                    "Declare zmq.sockets." + socketName + " (e.g. type PUSH with bind or connect) for the dead letters.");
        }
        var socket = beanFactory.getBean(socketName, ZmqSocket.class);
        if (!DEAD_LETTER_TYPES.contains(socket.type())) {
            throw new ZmqConfigurationException(property, socketName, "a " + socket.type() + " socket cannot send dead letters",
                    "Make zmq.sockets." + socketName + " a PUSH, PUB, DEALER or PAIR socket.");
        }
        return new DeadLetterMessageRecoverer(socketName, socket, deadLetterSendTimeout);
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
                    "Use one of " + LISTENABLE.stream().map(Enum::name).sorted().collect(java.util.stream.Collectors.joining(", "))
                    + " for " + endpoint.source() + ".");
        }
    }

    /** A DGRAM message is [address, body], one datagram from any UDP peer: there is no room for a header frame. */
    private static void checkHeaderEnvelope(SocketType type, boolean headerEnvelope, String property) {
        if (type == SocketType.DGRAM && headerEnvelope) {
            throw new ZmqConfigurationException(property, true, "a DGRAM message is [address, body], one datagram from any UDP peer, "
                    + "with no room for a header frame", "Drop the header envelope on this socket; carry what headers would in the body.");
        }
    }

    private SocketSource inline(ValidSocketSpec spec, boolean headerEnvelope) {
        return new SocketSource() {
            @Override
            public ManagedSocket open() {
                var managed = socketFactory.create(spec, ManagedSocket.Origin.LISTENER);
                managed.headerEnvelope(headerEnvelope);
                return managed;
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

    private ListenerInvoker.SendToTarget sendTo(ZmqListenerEndpoint endpoint) {
        if (endpoint.sendTo() == null) {
            return null;
        }
        var name = endpoint.sendTo();
        var registry = observationEnabled ? observationRegistry : null;
        var convention = sendObservationConvention;
        java.util.function.BiFunction<org.springframework.messaging.Message<?>, Object, String> target;
        if (name.startsWith("!{") && name.endsWith("}")) {
            // evaluated for each message, as spring-kafka's @SendTo("!{...}"): root object with request and result
            var expression = new org.springframework.expression.spel.standard.SpelExpressionParser()
                    .parseExpression(name.substring(2, name.length() - 1));
            var context = new org.springframework.expression.spel.support.StandardEvaluationContext();
            if (beanFactory != null) {
                context.setBeanResolver(new org.springframework.context.expression.BeanFactoryResolver(beanFactory));
            }
            target = (request, result) -> {
                var value = expression.getValue(context, new SendToRoot(request, result), String.class);
                if (value == null || value.isBlank()) {
                    throw new IllegalStateException("@SendTo expression " + name + " gave no socket name");
                }
                return value;
            };
        } else {
            socket(name, endpoint.source() + " @SendTo");
            target = (request, result) -> name;
        }
        return (frames, request, result) -> {
            var socketName = target.apply(request, result);
            var socket = socket(socketName, endpoint.source() + " @SendTo");
            boolean envelope = socketFactory.registry().find(socket).map(ManagedSocket::headerEnvelope).orElse(false);
            var headers = new LinkedHashMap<String, String>();
            var correlation = request.getHeaders().get(ZmqHeaders.CORRELATION_ID);
            if (correlation != null) {
                headers.put(ZmqHeaders.CORRELATION_ID, correlation.toString());
            }
            Runnable send = () -> {
                var message = FrameConversion.join(null, frames);
                socket.send(envelope ? HeaderEnvelope.wrap(socket.type(), message, headers) : message);
            };
            if (registry == null) {
                send.run();
            } else {
                // a child of the listener's observation: a tracing handler writes its context into the header frame
                ZmqObservations.sender(convention, new ZmqSenderContext(headers, socketName, socket.type(), "send-to"), registry).observe(send);
            }
        };
    }

    /**
     * The root object of a {@code @SendTo("!{...}")} expression: {@code request} (the Spring message the listener
     * got, with its headers) and {@code result} (what it returned).
     *
     * @param request the message handled
     * @param result the listener's return value
     */
    public record SendToRoot(org.springframework.messaging.Message<?> request, Object result) {
    }

    private ZmqSocket socket(String name, String property) {
        if (!beanFactory.containsBean(name)) {
            throw new ZmqConfigurationException(property, name, "there is no socket named '" + name + "'",
                    "Declare zmq.sockets." + name + " or correct @SendTo.");
        }
        return beanFactory.getBean(name, ZmqSocket.class);
    }
}
