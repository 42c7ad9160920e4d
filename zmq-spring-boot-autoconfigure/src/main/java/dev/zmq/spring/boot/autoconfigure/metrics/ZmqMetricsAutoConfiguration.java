package dev.zmq.spring.boot.autoconfigure.metrics;

import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Socket and listener-outcome meters when Micrometer and a {@code MeterRegistry} are present (bound by Boot's metrics support). */
@AutoConfiguration(after = ZmqSocketAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({ZmqContext.class, MeterRegistry.class})
@ConditionalOnBean({MeterRegistry.class, ZmqSocketRegistry.class})
public final class ZmqMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ZmqMetrics zmqMetrics(ZmqSocketRegistry sockets) {
        return new ZmqMetrics(sockets);
    }

    @Bean
    @ConditionalOnMissingBean
    public ZmqListenerMetrics zmqListenerMetrics(ObjectProvider<ZmqListenerEndpointRegistry> listeners) {
        return new ZmqListenerMetrics(listeners);
    }
}
