package dev.zmq.spring.annotation;

import dev.zmq.spring.listener.ZmqListenerAnnotationBeanPostProcessor;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * What {@link EnableZmq} registers: the {@code @ZmqListener} post-processor and the endpoint registry,
 * each only when no bean of its name exists. Plain bean definitions, so Spring AOT generates them.
 */
public class ZmqBootstrapConfiguration implements ImportBeanDefinitionRegistrar {
    /** The bean name of the {@code @ZmqListener} post-processor. */
    public static final String ANNOTATION_PROCESSOR_BEAN_NAME = "dev.zmq.spring.internalZmqListenerAnnotationProcessor";

    /** The bean name of the {@link ZmqListenerEndpointRegistry}. */
    public static final String ENDPOINT_REGISTRY_BEAN_NAME = "zmqListenerEndpointRegistry";

    @Override
    public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
        if (!registry.containsBeanDefinition(ANNOTATION_PROCESSOR_BEAN_NAME)) {
            var processor = new RootBeanDefinition(ZmqListenerAnnotationBeanPostProcessor.class);
            processor.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            registry.registerBeanDefinition(ANNOTATION_PROCESSOR_BEAN_NAME, processor);
        }
        if (!registry.containsBeanDefinition(ENDPOINT_REGISTRY_BEAN_NAME)) {
            registry.registerBeanDefinition(ENDPOINT_REGISTRY_BEAN_NAME, new RootBeanDefinition(ZmqListenerEndpointRegistry.class));
        }
    }
}
