package dev.zmq.spring.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.core.ZmqOperations;
import dev.zmq.spring.core.ZmqTemplate;
import dev.zmq.spring.listener.DefaultZmqListenerContainerFactory;
import dev.zmq.spring.listener.MethodZmqListenerEndpoint;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerConfigurer;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.socket.ZmqSocketFactory;
import dev.zmq.spring.socket.ZmqSocketRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.util.ReflectionUtils;

/** zmq-spring without Spring Boot: {@code @EnableZmq} and a few beans the application declares itself. */
@Timeout(60)
class EnableZmqTests {

    static class Greeter {
        @ZmqListener(id = "greeter", type = "REP", bind = "inproc://plain-spring-greeter")
        String greet(String name) {
            return "hello " + name;
        }

        public String shout(String text) {
            return text.toUpperCase();
        }
    }

    // tag::enable-zmq[]
    @Configuration(proxyBeanMethods = false)
    @EnableZmq
    static class PlainSpringApplication {
        @Bean(destroyMethod = "close")
        ZmqContext zmqContext() {
            return new ZmqContext();
        }

        @Bean
        ZmqSocketRegistry zmqSocketRegistry() {
            return new ZmqSocketRegistry();
        }

        @Bean
        ZmqSocketFactory zmqSocketFactory(ZmqContext context, ZmqSocketRegistry registry) {
            return new ZmqSocketFactory(context, Duration.ZERO, List.of(), registry);
        }

        @Bean
        MessageConverter zmqMessageConverter() {
            return new CompositeMessageConverter(List.of(new ByteArrayMessageConverter(), new StringMessageConverter(StandardCharsets.UTF_8)));
        }

        @Bean
        DefaultZmqListenerContainerFactory zmqListenerContainerFactory(ZmqSocketFactory sockets, BeanFactory beanFactory,
                                                                       MessageConverter converter) {
            var methods = new DefaultMessageHandlerMethodFactory();
            methods.setMessageConverter(converter);
            methods.afterPropertiesSet();
            return new DefaultZmqListenerContainerFactory(sockets, beanFactory, methods, converter);
        }
        // end::enable-zmq[]

        @Bean(destroyMethod = "close")
        ZmqSocket shouter(ZmqContext context) {
            var socket = context.socket(SocketType.REP);
            socket.bind("inproc://plain-spring-shouter");
            return socket;
        }

        @Bean
        ZmqSocket requester(ZmqContext context) {
            var socket = context.socket(SocketType.REQ);
            socket.set(SocketOption.LINGER, 0);
            socket.connect("inproc://plain-spring-greeter");
            return socket;
        }

        @Bean
        ZmqTemplate zmqTemplate(BeanFactory beanFactory, ZmqSocketRegistry registry, MessageConverter converter) {
            return new ZmqTemplate(name -> beanFactory.containsBean(name) ? beanFactory.getBean(name, ZmqSocket.class) : null,
                    registry, converter);
        }

        @Bean
        Greeter greeter() {
            return new Greeter();
        }

        @Bean
        ZmqListenerConfigurer shouterListener(Greeter greeter) {
            var method = ReflectionUtils.findMethod(Greeter.class, "shout", String.class);
            return registrar -> registrar.registerEndpoint(MethodZmqListenerEndpoint.of("shouter", greeter, method, "shouter"));
        }
    }

    @Test
    void listenersAndTheTemplateWorkInAPlainSpringApplication() {
        try (var context = new AnnotationConfigApplicationContext(PlainSpringApplication.class)) {
            var registry = context.getBean(ZmqListenerEndpointRegistry.class);
            assertThat(registry.getListenerContainerIds()).containsExactlyInAnyOrder("greeter", "shouter");
            assertThat(context.getBeanNamesForType(ZmqListenerEndpointRegistry.class))
                    .containsExactly(ZmqBootstrapConfiguration.ENDPOINT_REGISTRY_BEAN_NAME);
            ZmqOperations template = context.getBean(ZmqTemplate.class);
            var reply = template.sendAndReceive("requester", Message.of("spring"), Duration.ofSeconds(10));
            assertThat(new String(reply.last(), StandardCharsets.UTF_8)).isEqualTo("hello spring");
            try (var client = context.getBean(ZmqContext.class).socket(SocketType.REQ)) {
                client.set(SocketOption.LINGER, 0);
                client.set(SocketOption.RCVTIMEO, 10_000);
                client.connect("inproc://plain-spring-shouter");
                client.send("quiet");
                assertThat(client.recvString()).isEqualTo("QUIET");
            }
        }
    }
}
