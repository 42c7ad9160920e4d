package dev.zmq.spring.boot.autoconfigure.socket;

import dev.zmq.spring.socket.SocketSpecValidator;

import dev.zmq.ZmqSocket;
import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import java.util.Map;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link ZmqSocket} bean per entry of {@code zmq.sockets}, named after its key.
 * Every entry is checked here, before any bean exists, so a bad type, endpoint or option fails
 * startup at once, and so does a key that is already the name of another bean.
 *
 * <p>Each socket bean is defined by a factory method, {@link ConfiguredSockets#create(String)} with
 * the key as argument, which Spring AOT turns into code. This registrar is a
 * {@link BeanFactoryInitializationAotProcessor} only so that AOT leaves it out of the generated
 * context: there the socket definitions are already generated (the sockets of the build; their
 * properties are still read at run time).
 */
public class ZmqSocketBeanRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware,
        BeanFactoryInitializationAotProcessor {
    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        Map<String, ZmqProperties.Socket> sockets = Binder.get(environment)
                .bind("zmq.sockets", Bindable.mapOf(String.class, ZmqProperties.Socket.class))
                .orElse(Map.of());
        sockets.forEach((name, properties) -> {
            var spec = SocketSpecValidator.validate(ConfiguredSockets.spec(name, properties));
            if (registry.containsBeanDefinition(name) || registry.isAlias(name)) {
                throw collision(name, registry);
            }
            var definition = new RootBeanDefinition(ZmqSocket.class);
            definition.setFactoryBeanName(ConfiguredSockets.BEAN_NAME);
            definition.setFactoryMethodName("create");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            definition.setDestroyMethodName("close");
            definition.setDescription("ZeroMQ " + spec.type() + " socket from zmq.sockets." + name);
            registry.registerBeanDefinition(name, definition);
        });
    }

    private static ZmqConfigurationException collision(String name, BeanDefinitionRegistry registry) {
        String other;
        if (registry.containsBeanDefinition(name)) {
            other = describe(registry.getBeanDefinition(name));
        } else {
            other = "an alias of another bean";
        }
        return new ZmqConfigurationException("zmq.sockets." + name, name,
                "the socket would be the bean '" + name + "', but the application already has a bean of that name (" + other
                        + "), so one of them would be lost",
                "Rename the socket (the key under zmq.sockets, and the listeners and template calls that use it), "
                        + "or give the other bean another name (@Component(\"...\") or @Bean(\"...\")).");
    }

    private static String describe(BeanDefinition definition) {
        var type = definition.getBeanClassName();
        if (type == null && definition.getFactoryMethodName() != null) {
            type = "factory method " + definition.getFactoryMethodName() + "()";
        }
        var origin = definition.getResourceDescription();
        return (type != null ? type : "a bean") + (origin != null ? " from " + origin : "");
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }

    /** Nothing to contribute: the socket bean definitions are generated like any other. */
    @Override
    public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
        return null;
    }
}
