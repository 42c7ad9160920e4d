package dev.zmq.spring.listener;

import dev.zmq.spring.config.ZmqConfigurationException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolverComposite;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.ClassUtils;

/**
 * The {@code MessageHandlerMethodFactory} of {@code @ZmqListener} methods: Spring Messaging's default one, plus
 * Kotlin {@code suspend} functions where kotlinx-coroutines is present (with its Reactor bridge,
 * {@code org.jetbrains.kotlinx:kotlinx-coroutines-reactor}, and {@code kotlin-reflect}, as Spring Framework
 * needs for suspending handler methods). A suspend listener's result is awaited like a returned {@code Mono}: it is
 * the reply on REP and ROUTER, and what it throws takes the usual retry and error path.
 */
public class ZmqMessageHandlerMethodFactory extends DefaultMessageHandlerMethodFactory {
    private static final String COROUTINES_BRIDGE = "kotlinx.coroutines.reactor.MonoKt";
    private static final String KOTLIN_REFLECT = "kotlin.reflect.full.KClasses";

    private final HandlerMethodArgumentResolverComposite suspendingResolvers = new HandlerMethodArgumentResolverComposite();
    private List<HandlerMethodArgumentResolver> argumentResolvers;

    @Override
    public void setArgumentResolvers(List<HandlerMethodArgumentResolver> argumentResolvers) {
        super.setArgumentResolvers(argumentResolvers);
        this.argumentResolvers = argumentResolvers == null ? null : List.copyOf(argumentResolvers);
    }

    @Override
    public void afterPropertiesSet() {
        super.afterPropertiesSet();
        suspendingResolvers.clear();
        var resolvers = new ArrayList<HandlerMethodArgumentResolver>();
        resolvers.add(new ContinuationArgumentResolver());
        resolvers.addAll(argumentResolvers != null ? argumentResolvers : initArgumentResolvers());
        suspendingResolvers.addResolvers(resolvers);
    }

    @Override
    public InvocableHandlerMethod createInvocableHandlerMethod(Object bean, Method method) {
        if (!KotlinDetector.isSuspendingFunction(method)) {
            return super.createInvocableHandlerMethod(bean, method);
        }
        var classLoader = ClassUtils.getDefaultClassLoader(); // the application's
        for (var required : List.of(COROUTINES_BRIDGE, KOTLIN_REFLECT, "reactor.core.publisher.Mono")) {
            if (!ClassUtils.isPresent(required, classLoader)) {
                throw new ZmqConfigurationException("suspend listener " + ClassUtils.getShortName(method.getDeclaringClass()) + "."
                        + method.getName() + "()", required, "a suspend function is called through kotlinx-coroutines' Reactor bridge "
                        + "and Kotlin reflection, and " + required + " is not on the classpath",
                        "Add org.jetbrains.kotlinx:kotlinx-coroutines-reactor and org.jetbrains.kotlin:kotlin-reflect to the application.");
            }
        }
        if (suspendingResolvers.getResolvers().isEmpty()) {
            afterPropertiesSet(); // used without a bean factory's initialisation
        }
        var handler = new SuspendingInvocableHandlerMethod(bean, method);
        handler.setMessageMethodArgumentResolvers(suspendingResolvers);
        return handler;
    }

    /**
     * The handler method {@code factory} makes for {@code method} of {@code bean}, checked: a suspend function needs a
     * handler method made by a ZmqMessageHandlerMethodFactory (another factory would call it without a coroutine),
     * which fails startup naming the listener ({@code source}).
     */
    static InvocableHandlerMethod create(MessageHandlerMethodFactory factory, Object bean, Method method, String source) {
        var created = factory.createInvocableHandlerMethod(bean, method);
        if (KotlinDetector.isSuspendingFunction(method) && !(created instanceof SuspendingInvocableHandlerMethod)) {
            throw new ZmqConfigurationException(source, method.getName(), "a suspend function needs the listener container factory's "
                    + "MessageHandlerMethodFactory to be a ZmqMessageHandlerMethodFactory, and it is a " + created.getClass().getName()
                    + " made by another factory",
                    "Create the DefaultZmqListenerContainerFactory with a ZmqMessageHandlerMethodFactory (Spring Boot's zmqHandlerMethodFactory is one).");
        }
        return created;
    }

    /** The {@code Continuation} of a suspend function: left null, {@code CoroutinesUtils} supplies its own. */
    static final class ContinuationArgumentResolver implements HandlerMethodArgumentResolver {
        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType().getName().equals("kotlin.coroutines.Continuation");
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, Message<?> message) {
            return null;
        }
    }
}
