package dev.zmq.spring.boot.autoconfigure.endpoint;

import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code zmq} actuator endpoint, when actuator is present and the endpoint is available (exposed). */
@AutoConfiguration(after = {ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class})
@ConditionalOnClass({ZmqContext.class, Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean({ZmqContext.class, ZmqSocketRegistry.class})
@ConditionalOnAvailableEndpoint(ZmqEndpoint.class)
public final class ZmqEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ZmqEndpoint zmqEndpoint(ZmqContext context, ZmqSocketRegistry sockets, ObjectProvider<ZmqListenerEndpointRegistry> listeners) {
        var registry = listeners.getIfAvailable();
        return new ZmqEndpoint(context, new ZmqStateDescriber(sockets, registry), registry);
    }
}
