package dev.zmq.spring.boot.autoconfigure.discovery;

import dev.zmq.NameResolver;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.socket.SocketSpecValidator;
import dev.zmq.spring.socket.ZmqConnectScheme;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import java.util.OptionalInt;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;

/**
 * {@code discovery://service-id[:port]} connect endpoints, when Spring Cloud Commons is on the
 * classpath: resolved through the application's {@link DiscoveryClient} (looked up at each
 * resolution, so it may come from any auto-configuration), refreshed on every Spring Cloud
 * {@link HeartbeatEvent} (discovery clients publish one when their catalog may have changed).
 */
@AutoConfiguration(before = ZmqSocketAutoConfiguration.class)
@ConditionalOnClass({DiscoveryClient.class, NameResolver.class})
@EnableConfigurationProperties(ZmqProperties.class)
public final class ZmqDiscoveryAutoConfiguration {

    @Bean
    public ZmqConnectScheme zmqDiscoveryConnectScheme(ObjectProvider<DiscoveryClient> discoveryClient, ZmqProperties properties) {
        var discovery = properties.getDiscovery();
        var resolver = new DiscoveryNameResolver(discoveryClient::getIfAvailable, discovery.getPortMetadataKey());
        var port = discovery.getDefaultPort() == null ? OptionalInt.empty() : OptionalInt.of(discovery.getDefaultPort());
        return new ZmqConnectScheme() {
            @Override
            public String scheme() {
                return SocketSpecValidator.DISCOVERY;
            }

            @Override
            public NameResolver resolver() {
                return resolver;
            }

            @Override
            public OptionalInt defaultPort() {
                return port;
            }
        };
    }

    /** Resolves every socket's followed names again when the discovery client says its catalog may have changed. */
    @Bean
    public ApplicationListener<HeartbeatEvent> zmqDiscoveryHeartbeatListener(ObjectProvider<ZmqSocketRegistry> registry) {
        return event -> {
            var sockets = registry.getIfAvailable();
            if (sockets != null) {
                sockets.all().forEach(s -> s.refreshAddresses());
            }
        };
    }
}
