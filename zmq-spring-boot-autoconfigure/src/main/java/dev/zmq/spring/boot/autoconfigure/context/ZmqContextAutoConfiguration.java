package dev.zmq.spring.boot.autoconfigure.context;

import dev.zmq.ZmqContext;
import dev.zmq.spring.config.ZmqConfigurationException;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's {@link ZmqContext}, from {@code zmq.context.*} and {@link ZmqContextCustomizer}s.
 * A {@code ZmqContext} bean of the application replaces it (and the application then closes it).
 */
@AutoConfiguration
@ConditionalOnClass(ZmqContext.class)
@EnableConfigurationProperties(ZmqProperties.class)
public final class ZmqContextAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(ZmqContext.class)
    static class DefaultContextConfiguration {

        @Bean(destroyMethod = "close")
        ZmqContext zmqContext(ZmqProperties properties, ObjectProvider<ZmqContextCustomizer> customizers) {
            var context = properties.getContext();
            var settings = new ZmqContextSettings(context.getIoThreads(), context.getLinger(),
                    context.getIoBusyPoll() != null ? context.getIoBusyPoll() : ZmqContext.defaultIoBusyPoll());
            customizers.orderedStream().forEach(c -> c.customize(settings));
            if (settings.ioThreads() < 1) {
                throw new ZmqConfigurationException("zmq.context.io-threads", settings.ioThreads(),
                        "a context needs at least one I/O thread", "Set zmq.context.io-threads to 1 or more.");
            }
            if (settings.maxLinger() == null || settings.maxLinger().isNegative()) {
                throw new ZmqConfigurationException("zmq.context.linger", settings.maxLinger(),
                        "the default LINGER must be zero or positive (it bounds shutdown)",
                        "Set zmq.context.linger to a duration such as 3s (0 drops pending messages at shutdown).");
            }
            var poll = settings.ioBusyPoll();
            if (poll == null || poll.isNegative() || poll.compareTo(ZmqContext.MAX_IO_BUSY_POLL) > 0) {
                throw new ZmqConfigurationException("zmq.context.io-busy-poll", poll,
                        "an I/O thread's busy poll must be between 0 (no polling) and 10ms",
                        "Set zmq.context.io-busy-poll to a duration such as 200us, or 0 to turn polling off.");
            }
            return new ZmqContext(settings.ioThreads(), settings.maxLinger(), poll);
        }

        @Bean
        ZmqContextLifecycle zmqContextLifecycle(ZmqContext zmqContext) {
            return new ZmqContextLifecycle(zmqContext);
        }
    }
}
