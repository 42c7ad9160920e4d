package dev.zmq.spring.boot.test;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Adds {@link ZmqEndpointsPropertySource} to the environment. Registered in {@code META-INF/spring.factories}
 * so that every {@code @SpringBootTest} with this module on its classpath has {@code local.zmq.<socket>.endpoint};
 * with an {@code ApplicationContextRunner}, add it with {@code withInitializer(new ZmqTestEndpointsInitializer())}.
 */
public class ZmqTestEndpointsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        var sources = context.getEnvironment().getPropertySources();
        if (!sources.contains(ZmqEndpointsPropertySource.NAME)) {
            sources.addLast(new ZmqEndpointsPropertySource(context.getBeanFactory()));
        }
    }
}
