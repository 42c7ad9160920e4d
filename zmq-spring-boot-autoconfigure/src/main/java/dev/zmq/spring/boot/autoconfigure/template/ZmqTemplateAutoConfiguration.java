package dev.zmq.spring.boot.autoconfigure.template;

import dev.zmq.spring.core.ZmqTemplate;

import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import dev.zmq.spring.observation.ZmqTemplateObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;

/** The {@link ZmqTemplate}, sharing the listeners' message converter. */
@AutoConfiguration(after = {ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class},
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ZmqContext.class, MessageConverter.class})
@ConditionalOnBean(ZmqSocketRegistry.class)
public final class ZmqTemplateAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ZmqTemplate zmqTemplate(BeanFactory beanFactory, ZmqSocketRegistry registry, ZmqProperties properties,
                                   @Qualifier("zmqMessageConverter") ObjectProvider<MessageConverter> converter,
                                   ObjectProvider<ObservationRegistry> observations,
                                   ObjectProvider<ZmqTemplateObservationConvention> convention) {
        var messageConverter = converter.getIfAvailable(() -> new CompositeMessageConverter(
                List.of(new ByteArrayMessageConverter(), new StringMessageConverter(StandardCharsets.UTF_8))));
        var settings = properties.getTemplate();
        // a socket bean is looked up once per name, on first use
        var template = new ZmqTemplate(name -> beanFactory.containsBean(name) ? beanFactory.getBean(name, ZmqSocket.class) : null,
                registry, messageConverter);
        template.setDefaultSocket(settings.getDefaultSocket());
        template.setReplyTimeout(settings.getReplyTimeout());
        template.setSendTimeout(settings.getSendTimeout());
        if (settings.isObservationEnabled()) {
            template.setObservationRegistry(observations.getIfAvailable());
            template.setObservationConvention(convention.getIfUnique());
        }
        return template;
    }
}
