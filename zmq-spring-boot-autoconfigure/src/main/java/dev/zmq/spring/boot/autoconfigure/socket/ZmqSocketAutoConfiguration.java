package dev.zmq.spring.boot.autoconfigure.socket;

import dev.zmq.spring.socket.ZmqConnectScheme;
import dev.zmq.spring.socket.ZmqSocketCustomizer;
import dev.zmq.spring.socket.ZmqSocketFactory;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import dev.zmq.spring.socket.ZmqSocketsLifecycle;

import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.security.ZmqZapServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Socket beans from {@code zmq.sockets}, the socket factory and registry, and socket shutdown. */
@AutoConfiguration(after = ZmqContextAutoConfiguration.class)
@ConditionalOnClass(ZmqContext.class)
@ConditionalOnBean(ZmqContext.class)
public final class ZmqSocketAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ZmqSocketRegistry zmqSocketRegistry() {
        return new ZmqSocketRegistry();
    }

    @Bean
    @ConditionalOnMissingBean
    public ZmqSocketFactory zmqSocketFactory(ZmqContext context, ZmqProperties properties,
                                             ObjectProvider<ZmqSocketCustomizer> customizers, ZmqSocketRegistry registry,
                                             ObjectProvider<ZmqZapServer> zapServer, ObjectProvider<ZmqConnectScheme> schemes) {
        var factory = new ZmqSocketFactory(context, properties.getContext().getLinger(), customizers.orderedStream().toList(), registry);
        factory.setZapServer(zapServer::getIfAvailable);
        factory.setConnectSchemes(schemes.orderedStream().toList());
        return factory;
    }

    @Bean
    @ConditionalOnMissingBean
    public ZmqSocketsLifecycle zmqSocketsLifecycle(ZmqSocketRegistry registry) {
        return new ZmqSocketsLifecycle(registry);
    }

    @Bean(ConfiguredSockets.BEAN_NAME)
    public ConfiguredSockets configuredZmqSockets(ZmqProperties properties, ZmqSocketFactory factory) {
        return new ConfiguredSockets(properties, factory);
    }

    @Bean
    public static ZmqSocketBeanRegistrar zmqSocketBeanRegistrar() {
        return new ZmqSocketBeanRegistrar();
    }
}
