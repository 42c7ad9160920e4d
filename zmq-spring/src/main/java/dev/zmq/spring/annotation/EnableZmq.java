package dev.zmq.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Turns on {@code @ZmqListener} methods in a Spring application, with or without Spring Boot (Boot's
 * auto-configuration adds it unless the application did), as {@code @EnableKafka} does: registers the
 * annotation post-processor and the {@code ZmqListenerEndpointRegistry} (bean
 * {@code zmqListenerEndpointRegistry}) unless they exist.
 *
 * <p>Without Boot, the application declares what the listeners use: a {@code ZmqContext}, a
 * {@code ZmqSocketFactory}, and a {@code ZmqListenerContainerFactory} named
 * {@code zmqListenerContainerFactory} (the default of {@code @ZmqListener(containerFactory)}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(ZmqBootstrapConfiguration.class)
public @interface EnableZmq {
}
