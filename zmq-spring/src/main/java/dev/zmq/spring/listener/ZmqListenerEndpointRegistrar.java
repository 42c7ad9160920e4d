package dev.zmq.spring.listener;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;

/**
 * Collects listener endpoints (from {@code @ZmqListener} methods and from
 * {@link ZmqListenerConfigurer}s) and, once the application's singletons exist, turns each into a
 * container of the {@link ZmqListenerEndpointRegistry}. An endpoint registered later (a
 * {@code @Lazy} bean's listener, created on first use) gets its container at once, started if the
 * registry is running.
 */
public class ZmqListenerEndpointRegistrar {
    private record Registration(ZmqListenerEndpoint endpoint, ZmqListenerContainerFactory factory) {
    }

    private final List<Registration> pending = new ArrayList<>();
    private ZmqListenerEndpointRegistry endpointRegistry;
    private ZmqListenerContainerFactory containerFactory;
    private String containerFactoryBeanName;
    private BeanFactory beanFactory;
    private boolean registering;

    public void setEndpointRegistry(ZmqListenerEndpointRegistry endpointRegistry) {
        this.endpointRegistry = endpointRegistry;
    }

    public ZmqListenerEndpointRegistry getEndpointRegistry() {
        return endpointRegistry;
    }

    /** The factory of endpoints registered without one (takes precedence over the bean name). */
    public void setContainerFactory(ZmqListenerContainerFactory containerFactory) {
        this.containerFactory = containerFactory;
    }

    /** The bean name of the factory of endpoints registered without one. */
    public void setContainerFactoryBeanName(String containerFactoryBeanName) {
        this.containerFactoryBeanName = containerFactoryBeanName;
    }

    /** Where the default container factory is looked up by name. */
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /** Registers {@code endpoint} with the default container factory. */
    public void registerEndpoint(ZmqListenerEndpoint endpoint) {
        registerEndpoint(endpoint, null);
    }

    /** Registers {@code endpoint}; {@code factory} null means the default container factory. */
    public void registerEndpoint(ZmqListenerEndpoint endpoint, ZmqListenerContainerFactory factory) {
        synchronized (pending) {
            if (!registering) {
                pending.add(new Registration(endpoint, factory));
                return;
            }
        }
        register(new Registration(endpoint, factory));
    }

    /** Creates the containers of every endpoint so far; later endpoints get theirs when registered. */
    public void registerAll() {
        List<Registration> all;
        synchronized (pending) {
            registering = true;
            all = List.copyOf(pending);
            pending.clear();
        }
        all.forEach(this::register);
    }

    private void register(Registration registration) {
        if (endpointRegistry == null) {
            throw new IllegalStateException("No ZmqListenerEndpointRegistry set on the registrar");
        }
        var factory = registration.factory() != null ? registration.factory() : defaultFactory();
        endpointRegistry.registerListenerContainer(factory.createContainer(registration.endpoint()));
    }

    private ZmqListenerContainerFactory defaultFactory() {
        if (containerFactory != null) {
            return containerFactory;
        }
        if (beanFactory == null || containerFactoryBeanName == null) {
            throw new IllegalStateException("No default ZmqListenerContainerFactory: set one on the registrar "
                    + "(ZmqListenerConfigurer) or declare the bean '" + containerFactoryBeanName + "'");
        }
        return beanFactory.getBean(containerFactoryBeanName, ZmqListenerContainerFactory.class);
    }
}
