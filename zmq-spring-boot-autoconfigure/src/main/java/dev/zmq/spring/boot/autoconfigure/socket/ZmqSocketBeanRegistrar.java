package dev.zmq.spring.boot.autoconfigure.socket;

import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
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
 * startup at once.
 */
public class ZmqSocketBeanRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware {
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
        var beanFactory = (BeanFactory) registry;
        sockets.forEach((name, properties) -> {
            var spec = SocketSpecValidator.validate(SocketSpec.fromProperties(name, properties));
            if (registry.containsBeanDefinition(name)) {
                return; // a bean of the application wins over configuration
            }
            var definition = new RootBeanDefinition(ZmqSocket.class,
                    () -> beanFactory.getBean(ZmqSocketFactory.class).create(spec, ManagedSocket.Origin.CONFIGURATION).socket());
            definition.setDestroyMethodName("close");
            definition.setDescription("ZeroMQ " + spec.type() + " socket from zmq.sockets." + name);
            registry.registerBeanDefinition(name, definition);
        });
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }
}
