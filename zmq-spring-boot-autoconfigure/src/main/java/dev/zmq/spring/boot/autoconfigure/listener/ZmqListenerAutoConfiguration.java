package dev.zmq.spring.boot.autoconfigure.listener;

import dev.zmq.spring.listener.DefaultZmqListenerContainerFactory;
import dev.zmq.spring.listener.DefaultZmqListenerErrorHandler;
import dev.zmq.spring.listener.ZmqArgumentResolvers;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerAnnotationBeanPostProcessor;
import dev.zmq.spring.listener.ZmqListenerErrorHandler;
import dev.zmq.spring.listener.ZmqListenerInvocationObserver;
import dev.zmq.spring.listener.ZmqMessageHandlerMethodFactory;
import dev.zmq.spring.observation.ZmqListenerObservationConvention;
import dev.zmq.spring.observation.ZmqTemplateObservationConvention;
import dev.zmq.spring.recovery.ZmqMessageRecoverer;

import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.socket.ZmqSocketFactory;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.thread.Threading;
import dev.zmq.spring.annotation.EnableZmq;
import dev.zmq.spring.annotation.ZmqBootstrapConfiguration;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.validation.Validator;

/**
 * {@code @ZmqListener} support: the annotation processor, the container registry, the default
 * container factory, the message converter (bytes, text, and JSON when Jackson 3 is present) and
 * the argument resolution of listener methods.
 */
@AutoConfiguration(after = ZmqSocketAutoConfiguration.class, afterName = {
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass({ZmqContext.class, DefaultMessageHandlerMethodFactory.class})
@ConditionalOnBean(ZmqSocketFactory.class)
public final class ZmqListenerAutoConfiguration {

    /** The JSON converter's bean name. */
    public static final String JSON_CONVERTER = "zmqJsonMessageConverter";

    @Bean
    @ConditionalOnMissingBean(name = "zmqMessageConverter")
    public MessageConverter zmqMessageConverter(@Qualifier(JSON_CONVERTER) ObjectProvider<MessageConverter> json) {
        var converters = new ArrayList<MessageConverter>();
        converters.add(new ByteArrayMessageConverter());
        converters.add(new StringMessageConverter(StandardCharsets.UTF_8));
        json.ifAvailable(converters::add);
        return new CompositeMessageConverter(converters);
    }

    @Bean
    @ConditionalOnMissingBean(name = "zmqHandlerMethodFactory")
    public DefaultMessageHandlerMethodFactory zmqHandlerMethodFactory(@Qualifier("zmqMessageConverter") MessageConverter converter,
                                                                      ObjectProvider<Validator> validator) {
        var factory = new ZmqMessageHandlerMethodFactory(); // Spring's, plus Kotlin suspend functions
        factory.setMessageConverter(converter);
        var conversion = new DefaultFormattingConversionService();
        conversion.addConverter(byte[].class, String.class, bytes -> new String(bytes, StandardCharsets.UTF_8));
        factory.setConversionService(conversion);
        var payloadValidator = validator.getIfUnique();
        if (payloadValidator != null) {
            factory.setValidator(payloadValidator);
        }
        factory.setCustomArgumentResolvers(ZmqArgumentResolvers.all(converter, payloadValidator));
        return factory;
    }

    @Bean
    @ConditionalOnMissingBean(name = "zmqListenerErrorHandler")
    public ZmqListenerErrorHandler zmqListenerErrorHandler() {
        return new DefaultZmqListenerErrorHandler();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnThreading(Threading.PLATFORM)
    public ZmqListenerContainerFactoryConfigurer zmqListenerContainerFactoryConfigurer(
            ZmqProperties properties, ObjectProvider<ObservationRegistry> observationRegistry) {
        return new ZmqListenerContainerFactoryConfigurer(properties.getListener(), false,
                observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean(name = "zmqListenerContainerFactoryConfigurer")
    @ConditionalOnMissingBean
    @ConditionalOnThreading(Threading.VIRTUAL)
    public ZmqListenerContainerFactoryConfigurer zmqListenerContainerFactoryConfigurerVirtualThreads(
            ZmqProperties properties, ObjectProvider<ObservationRegistry> observationRegistry) {
        return new ZmqListenerContainerFactoryConfigurer(properties.getListener(), true,
                observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean(name = ZmqListenerAnnotationBeanPostProcessor.DEFAULT_CONTAINER_FACTORY)
    public DefaultZmqListenerContainerFactory zmqListenerContainerFactory(
            ZmqListenerContainerFactoryConfigurer configurer, ZmqSocketFactory socketFactory, BeanFactory beanFactory,
            @Qualifier("zmqHandlerMethodFactory") DefaultMessageHandlerMethodFactory handlerMethodFactory,
            @Qualifier("zmqMessageConverter") MessageConverter converter,
            @Qualifier("zmqListenerErrorHandler") ZmqListenerErrorHandler errorHandler,
            ObjectProvider<ZmqMessageRecoverer> recoverer, ObjectProvider<ZmqListenerObservationConvention> listenerConvention,
            ObjectProvider<ZmqTemplateObservationConvention> sendConvention,
            ObjectProvider<ZmqListenerInvocationObserver> invocationObservers) {
        var factory = new DefaultZmqListenerContainerFactory(socketFactory, beanFactory, handlerMethodFactory, converter);
        factory.setErrorHandler(errorHandler);
        recoverer.ifUnique(factory::setRecoverer);
        listenerConvention.ifUnique(factory::setObservationConvention);
        sendConvention.ifUnique(factory::setSendObservationConvention);
        factory.setInvocationObservers(invocationObservers.orderedStream().toList());
        configurer.configure(factory);
        return factory;
    }

    /** {@code @EnableZmq} unless the application enabled it itself (as Boot does for {@code @EnableKafka}). */
    @Configuration(proxyBeanMethods = false)
    @EnableZmq
    @ConditionalOnMissingBean(name = ZmqBootstrapConfiguration.ANNOTATION_PROCESSOR_BEAN_NAME)
    static class EnableZmqConfiguration {
    }

    /** JSON payloads with Jackson 3, using the application's {@code JsonMapper} when there is one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "tools.jackson.databind.json.JsonMapper")
    static class JacksonConverterConfiguration {

        @Bean(name = JSON_CONVERTER)
        @ConditionalOnMissingBean(name = JSON_CONVERTER)
        MessageConverter zmqJsonMessageConverter(ObjectProvider<tools.jackson.databind.json.JsonMapper> mapper) {
            var jsonMapper = mapper.getIfUnique();
            return jsonMapper != null ? new JacksonJsonMessageConverter(jsonMapper) : new JacksonJsonMessageConverter();
        }
    }
}
