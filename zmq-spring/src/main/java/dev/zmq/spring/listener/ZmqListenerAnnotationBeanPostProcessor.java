package dev.zmq.spring.listener;

import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.recovery.ZmqListenerRetry;
import dev.zmq.spring.recovery.ZmqMessageRecoverer;
import dev.zmq.spring.socket.Durations;
import dev.zmq.spring.socket.SocketSpec;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.util.StringUtils;

/**
 * Finds {@code @ZmqListener} methods on beans and, once every singleton exists, hands each to the
 * {@link ZmqListenerEndpointRegistrar} (with the endpoints of the {@link ZmqListenerConfigurer}
 * beans), which turns it into a container of the {@link ZmqListenerEndpointRegistry}. The listeners
 * of a bean created later ({@code @Lazy}) are registered, and started, when the bean is created. Problems in the annotations
 * (unknown socket, bad type or endpoint, bad number) fail startup with the attribute named.
 */
public class ZmqListenerAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton, Ordered {
    /** The bean name of the default container factory. */
    public static final String DEFAULT_CONTAINER_FACTORY = "zmqListenerContainerFactory";

    /** A listener found: a method-level one ({@code method} set) or a class-level one ({@code handlers} set). */
    private record Pending(Object bean, String beanName, Method method, Class<?> type, List<Method> handlers, ZmqListener annotation) {
    }

    private final List<Pending> pending = new ArrayList<>();
    private final ZmqListenerEndpointRegistrar registrar = new ZmqListenerEndpointRegistrar();
    private ConfigurableListableBeanFactory beanFactory;
    private boolean singletonsInstantiated;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
        registrar.setBeanFactory(beanFactory);
        registrar.setContainerFactoryBeanName(DEFAULT_CONTAINER_FACTORY);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        var target = AopUtils.getTargetClass(bean);
        Map<Method, ZmqListener> methods = MethodIntrospector.selectMethods(target,
                (MethodIntrospector.MetadataLookup<ZmqListener>) m -> AnnotatedElementUtils.findMergedAnnotation(m, ZmqListener.class));
        var found = new ArrayList<Pending>();
        methods.forEach((method, annotation) ->
                found.add(new Pending(bean, beanName, AopUtils.selectInvocableMethod(method, bean.getClass()), target, null, annotation)));
        var handlers = MethodIntrospector.selectMethods(target,
                (MethodIntrospector.MetadataLookup<ZmqHandler>) m -> AnnotatedElementUtils.findMergedAnnotation(m, ZmqHandler.class));
        var classLevel = AnnotatedElementUtils.findMergedAnnotation(target, ZmqListener.class);
        if (classLevel != null) {
            found.add(new Pending(bean, beanName, null, target,
                    handlers.keySet().stream().map(m -> AopUtils.selectInvocableMethod(m, bean.getClass())).toList(), classLevel));
        } else if (!handlers.isEmpty()) {
            throw new ZmqConfigurationException("@ZmqHandler on " + org.springframework.util.ClassUtils.getShortName(target),
                    handlers.keySet().iterator().next().getName(), "@ZmqHandler methods belong to a class annotated with @ZmqListener",
                    "Annotate " + target.getName() + " with @ZmqListener (the socket and settings shared by its handlers).");
        }
        if (found.isEmpty()) {
            return bean;
        }
        boolean now;
        synchronized (pending) {
            now = singletonsInstantiated;
            if (!now) {
                pending.addAll(found);
            }
        }
        if (now) {
            // a bean created after startup (@Lazy, prototype): its listeners start now, with the bean
            found.forEach(this::register);
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        registrar.setEndpointRegistry(beanFactory.getBean(ZmqListenerEndpointRegistry.class));
        beanFactory.getBeanProvider(ZmqListenerConfigurer.class).orderedStream().forEach(c -> c.configureZmqListeners(registrar));
        List<Pending> all;
        synchronized (pending) {
            singletonsInstantiated = true;
            all = List.copyOf(pending);
            pending.clear();
        }
        all.forEach(this::register);
        registrar.registerAll();
    }

    private void register(Pending p) {
        var factory = bean(p.annotation().containerFactory(), ZmqListenerContainerFactory.class);
        registrar.registerEndpoint(endpoint(p), factory);
    }

    private ZmqListenerEndpoint endpoint(Pending p) {
        var a = p.annotation();
        boolean classLevel = p.method() == null;
        var source = classLevel ? "@ZmqListener on class " + org.springframework.util.ClassUtils.getShortName(p.type())
                : "@ZmqListener on " + org.springframework.util.ClassUtils.getShortName(p.method().getDeclaringClass()) + "." + p.method().getName() + "()";
        var id = resolve(a.id());
        if (!StringUtils.hasText(id)) {
            id = classLevel ? p.beanName() : p.beanName() + "." + p.method().getName();
        }
        var socketName = resolve(a.socket());
        var type = resolve(a.type());
        SocketSpec inline = null;
        if (StringUtils.hasText(socketName) == StringUtils.hasText(type)) {
            throw new ZmqConfigurationException(source, StringUtils.hasText(type) ? "socket=" + socketName + ", type=" + type : "",
                    "a listener needs either a configured socket or an inline one, not both and not neither",
                    "Set socket = \"<name under zmq.sockets>\", or type with bind and/or connect (and topics for SUB).");
        }
        if (StringUtils.hasText(type)) {
            var options = new LinkedHashMap<String, String>();
            for (var option : resolveAll(a.options())) {
                int eq = option.indexOf('=');
                if (eq <= 0) {
                    throw new ZmqConfigurationException(source + " options", option, "an option is written name=value",
                            "Write options like {\"rcvhwm=100\", \"linger=1s\"}.");
                }
                options.put(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
            }
            var prefix = source + " attribute ";
            // A DISH's groups travel in the spec's subscribe list, as its topics do for SUB.
            var topicsOrGroups = new java.util.ArrayList<>(resolveAll(a.topics()));
            topicsOrGroups.addAll(resolveAll(a.groups()));
            String listName = a.groups().length > 0 ? "groups" : "topics";
            inline = new SocketSpec(id, type, resolveAll(a.bind()), resolveAll(a.connect()), topicsOrGroups, options, true,
                    key -> prefix + key.replaceFirst("^subscribe", listName));
        } else if (a.bind().length + a.connect().length + a.topics().length + a.groups().length + a.options().length > 0) {
            throw new ZmqConfigurationException(source, socketName, "bind, connect, topics and options describe an inline socket, "
                    + "but this listener uses the configured socket '" + socketName + "'",
                    "Move them to zmq.sockets." + socketName + ", or drop socket and set type.");
        }
        if (classLevel) {
            for (var handler : p.handlers()) {
                if (AnnotatedElementUtils.hasAnnotation(handler, SendTo.class)) {
                    throw new ZmqConfigurationException(source + " @SendTo", handler.getName(),
                            "@SendTo on a @ZmqHandler method: the handlers of a class-level listener share one destination",
                            "Move @SendTo to the class " + org.springframework.util.ClassUtils.getShortName(p.type()) + ".");
                }
            }
        }
        var sendToAnnotation = AnnotatedElementUtils.findMergedAnnotation(classLevel ? p.type() : p.method(), SendTo.class);
        String sendTo = null;
        if (sendToAnnotation != null) {
            if (sendToAnnotation.value().length != 1) {
                throw new ZmqConfigurationException(source + " @SendTo", Arrays.toString(sendToAnnotation.value()),
                        "@SendTo names exactly one socket", "Write @SendTo(\"socketName\").");
            }
            sendTo = resolve(sendToAnnotation.value()[0]);
        }
        var handler = bean(a.errorHandler(), ZmqListenerErrorHandler.class);
        var retry = new ZmqListenerRetry(integer(resolve(a.maxAttempts()), source + " maxAttempts"),
                duration(resolve(a.backoff()), source + " backoff"), decimal(resolve(a.backoffMultiplier()), source + " backoffMultiplier"),
                duration(resolve(a.maxBackoff()), source + " maxBackoff"));
        var deadLetter = resolve(a.deadLetter());
        if (classLevel) {
            if (Boolean.TRUE.equals(bool(resolve(a.batch()), source + " batch")) || StringUtils.hasText(a.batchSize())) {
                throw new ZmqConfigurationException(source + " batch", a.batch(),
                        "a class-level listener dispatches each message to the handler of its type, so it cannot take batches",
                        "Drop batch and batchSize, or put @ZmqListener(batch = \"true\") on a method taking a List.");
            }
            return new MultiMethodZmqListenerEndpoint(id, p.bean(), p.handlers(), StringUtils.hasText(socketName) ? socketName : null, inline,
                    integer(resolve(a.concurrency()), source + " concurrency"), bool(resolve(a.autoStartup()), source + " autoStartup"),
                    handler, sendTo, source, retry, bean(a.recoverer(), ZmqMessageRecoverer.class),
                    StringUtils.hasText(deadLetter) ? deadLetter : null, bool(resolve(a.headers()), source + " headers"));
        }
        return new MethodZmqListenerEndpoint(id, p.bean(), p.method(), StringUtils.hasText(socketName) ? socketName : null, inline,
                integer(resolve(a.concurrency()), source + " concurrency"), bool(resolve(a.autoStartup()), source + " autoStartup"),
                handler, sendTo, source, retry, bean(a.recoverer(), ZmqMessageRecoverer.class),
                StringUtils.hasText(deadLetter) ? deadLetter : null, bool(resolve(a.headers()), source + " headers"),
                bool(resolve(a.batch()), source + " batch"), integer(resolve(a.batchSize()), source + " batchSize"));
    }

    /** The attribute with {@code ${...}} placeholders replaced and {@code #{...}} expressions evaluated. */
    private Object evaluate(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        var resolved = beanFactory.resolveEmbeddedValue(value);
        var expressions = beanFactory.getBeanExpressionResolver();
        if (resolved == null || expressions == null) {
            return resolved;
        }
        return expressions.evaluate(resolved, new BeanExpressionContext(beanFactory, null));
    }

    private String resolve(String value) {
        var evaluated = evaluate(value);
        return evaluated == null ? null : evaluated.toString();
    }

    /** Each value evaluated; an expression giving an array or a collection contributes all its elements. */
    private List<String> resolveAll(String[] values) {
        var all = new ArrayList<String>();
        for (var value : values) {
            var evaluated = evaluate(value);
            if (evaluated instanceof Object[] array) {
                Arrays.stream(array).map(String::valueOf).forEach(all::add);
            } else if (evaluated instanceof Collection<?> collection) {
                collection.stream().map(String::valueOf).forEach(all::add);
            } else if (evaluated != null) {
                all.add(evaluated.toString());
            }
        }
        return all;
    }

    /** A bean given by name, or directly by an expression such as {@code #{myHandler}}. */
    private <T> T bean(String attribute, Class<T> type) {
        var evaluated = evaluate(attribute);
        if (type.isInstance(evaluated)) {
            return type.cast(evaluated);
        }
        var name = evaluated == null ? null : evaluated.toString();
        return StringUtils.hasText(name) ? beanFactory.getBean(name, type) : null;
    }

    private static Integer integer(String value, String property) {
        if (!StringUtils.hasText(value)) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new ZmqConfigurationException(property, value, "not a number", "Set " + property + " to a whole number such as \"4\".");
        }
    }

    private static Duration duration(String value, String property) {
        if (!StringUtils.hasText(value)) {
            return null;
        }
        try {
            return Durations.parse(value.trim(), ChronoUnit.MILLIS);
        } catch (RuntimeException e) {
            throw new ZmqConfigurationException(property, value, "not a duration: " + e.getMessage(),
                    "Set " + property + " to a duration such as \"200ms\" or \"2s\".");
        }
    }

    private static Double decimal(String value, String property) {
        if (!StringUtils.hasText(value)) {
            return null;
        }
        try {
            return Double.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new ZmqConfigurationException(property, value, "not a number", "Set " + property + " to a number such as \"2\" or \"1.5\".");
        }
    }

    private static Boolean bool(String value, String property) {
        if (!StringUtils.hasText(value)) {
            return null;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ZmqConfigurationException(property, value, "not a boolean", "Set " + property + " to \"true\" or \"false\".");
        };
    }
}
