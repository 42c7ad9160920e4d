package dev.zmq.spring.boot.autoconfigure.health;

import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code zmq} health contributor, when spring-boot-health is present; off with {@code management.health.zmq.enabled=false}. */
@AutoConfiguration(after = {ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class},
        beforeName = "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration")
@ConditionalOnClass({ZmqContext.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean({ZmqContext.class, ZmqSocketRegistry.class})
@ConditionalOnEnabledHealthIndicator("zmq")
public final class ZmqHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "zmqHealthIndicator")
    public ZmqHealthIndicator zmqHealthIndicator(ZmqContext context, ZmqSocketRegistry sockets,
                                                 ObjectProvider<ZmqListenerEndpointRegistry> listeners) {
        return new ZmqHealthIndicator(context, sockets, listeners.getIfAvailable());
    }
}
