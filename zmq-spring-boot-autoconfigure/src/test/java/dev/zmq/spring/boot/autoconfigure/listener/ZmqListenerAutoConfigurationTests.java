package dev.zmq.spring.boot.autoconfigure.listener;

import dev.zmq.spring.listener.DefaultZmqListenerContainerFactory;
import dev.zmq.spring.listener.FrameConversion;
import dev.zmq.spring.listener.MethodZmqListenerEndpoint;
import dev.zmq.spring.listener.ZmqHeaders;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.listener.ZmqListenerAnnotationBeanPostProcessor;
import dev.zmq.spring.listener.ZmqListenerConfigurer;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.listener.ZmqListenerErrorHandler;

import static dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerEndToEndTests.client;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.SocketType;
import dev.zmq.spring.boot.autoconfigure.TestSupport;
import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.config.ZmqProperties;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.socket.ZmqSocketFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;

/** Conditions and replaceable defaults of the listener auto-configuration. */
@Timeout(30)
class ZmqListenerAutoConfigurationTests {

    private final ApplicationContextRunner runner = ListenerTestSupport.runner();

    @Test
    void defaultsAreRegistered() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(ZmqListenerEndpointRegistry.class).hasSingleBean(ZmqListenerAnnotationBeanPostProcessor.class)
                    .hasBean("zmqListenerContainerFactory").hasBean("zmqMessageConverter").hasBean("zmqHandlerMethodFactory")
                    .hasBean("zmqListenerErrorHandler").hasBean(ZmqListenerAutoConfiguration.JSON_CONVERTER);
            var converter = (CompositeMessageConverter) ctx.getBean("zmqMessageConverter");
            assertThat(converter.getConverters()).hasAtLeastOneElementOfType(JacksonJsonMessageConverter.class);
        });
    }

    @Test
    void withoutJacksonThereIsNoJsonConverter() {
        runner.withClassLoader(new FilteredClassLoader("tools.jackson")).run(ctx -> {
            assertThat(ctx).doesNotHaveBean(ZmqListenerAutoConfiguration.JSON_CONVERTER);
            var converter = (CompositeMessageConverter) ctx.getBean("zmqMessageConverter");
            assertThat(converter.getConverters()).noneMatch(JacksonJsonMessageConverter.class::isInstance);
        });
    }

    @Test
    void withoutSpringMessagingOrZmqThereAreNoListeners() {
        runner.withClassLoader(new FilteredClassLoader(DefaultMessageHandlerMethodFactory.class)).run(ctx ->
                assertThat(ctx).doesNotHaveBean(ZmqListenerEndpointRegistry.class));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqListenerAutoConfiguration.class)).run(ctx ->
                assertThat(ctx).doesNotHaveBean(ZmqListenerEndpointRegistry.class));
    }

    @Test
    void applicationBeansReplaceEachDefault() {
        MessageConverter own = new StringMessageConverter();
        ZmqListenerErrorHandler handler = (m, e) -> "custom";
        var registry = new ZmqListenerEndpointRegistry();
        runner.withBean("zmqMessageConverter", MessageConverter.class, () -> own)
                .withBean("zmqListenerErrorHandler", ZmqListenerErrorHandler.class, () -> handler)
                .withBean(ZmqListenerEndpointRegistry.class, () -> registry)
                .run(ctx -> {
                    assertThat(ctx.getBean("zmqMessageConverter")).isSameAs(own);
                    assertThat(ctx.getBean("zmqListenerErrorHandler")).isSameAs(handler);
                    assertThat(ctx.getBean(ZmqListenerEndpointRegistry.class)).isSameAs(registry);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class SecondFactory {
        @Bean
        DefaultZmqListenerContainerFactory threeWorkers(ZmqSocketFactory sockets, BeanFactory beanFactory,
                                                        @Qualifier("zmqHandlerMethodFactory") DefaultMessageHandlerMethodFactory methods,
                                                        @Qualifier("zmqMessageConverter") MessageConverter converter,
                                                        ZmqListenerContainerFactoryConfigurer configurer) {
            var factory = new DefaultZmqListenerContainerFactory(sockets, beanFactory, methods, converter);
            configurer.configure(factory); // zmq.listener.* as for the default factory, then this factory's own
            factory.setConcurrency(3);
            factory.setErrorHandler((m, e) -> "from the second factory");
            return factory;
        }

        @Bean
        Object listeners() {
            return new Object() {
                @ZmqListener(id = "viaSecond", type = "REP", bind = "tcp://127.0.0.1:*", containerFactory = "threeWorkers")
                String second(String s) {
                    throw new IllegalStateException("nope");
                }

                @ZmqListener(id = "viaDefault", type = "PULL", bind = "inproc://default")
                void first(String s) {
                }
            };
        }
    }

    @Test
    void containerFactoryAttributePicksAnotherFactory() {
        runner.withUserConfiguration(SecondFactory.class).run(ctx -> {
            var registry = ctx.getBean(ZmqListenerEndpointRegistry.class);
            assertThat(registry.getListenerContainer("viaSecond").getConcurrency()).isEqualTo(3);
            assertThat(registry.getListenerContainer("viaDefault").getConcurrency()).isEqualTo(1);
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.viaSecond.endpoint"))) {
                req.send("x");
                assertThat(req.recvString()).isEqualTo("from the second factory");
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    @org.springframework.context.annotation.Import(SecondFactory.class)
    static class PlaceholderListeners {
        @Bean
        ZmqListenerErrorHandler placeholderErrors() {
            return (message, exception) -> "handled by the named error handler";
        }

        @Bean
        Object placeholders(ListenerTestSupport.Inbox inbox) {
            return new Object() {
                @ZmqListener(id = "${p.id}", type = "${p.type}", bind = "${p.bind}", options = "${p.option}",
                        errorHandler = "${p.handler}", concurrency = "${p.concurrency}", autoStartup = "${p.start}")
                String fail(String s) {
                    throw new IllegalStateException("fails on purpose");
                }

                @ZmqListener(id = "forwarder", socket = "${p.socket}", containerFactory = "${p.factory}")
                @org.springframework.messaging.handler.annotation.SendTo("${p.send-to}")
                String forward(String s) {
                    return s.toUpperCase();
                }

                @ZmqListener(id = "topics", type = "SUB", bind = "tcp://127.0.0.1:*", topics = "${p.topic}")
                void topic(String s) {
                    inbox.add(s);
                }
            };
        }
    }

    @Test
    void placeholdersResolveInEveryStringAttribute() {
        runner.withUserConfiguration(PlaceholderListeners.class).withPropertyValues("p.id=inline", "p.type=REP",
                "p.bind=tcp://127.0.0.1:*", "p.option=rcvhwm=7", "p.handler=placeholderErrors", "p.concurrency=2", "p.start=true",
                "p.socket=in", "p.factory=threeWorkers", "p.send-to=out", "p.topic=wanted",
                "zmq.sockets.in.type=PULL", "zmq.sockets.in.bind=inproc://placeholder-in",
                "zmq.sockets.out.type=PUSH", "zmq.sockets.out.bind=inproc://placeholder-out").run(ctx -> {
            var registry = ctx.getBean(ZmqListenerEndpointRegistry.class);
            // id, type, bind, options, errorHandler, concurrency, autoStartup
            var inline = registry.getListenerContainer("inline");
            assertThat(inline.isRunning()).isTrue();
            assertThat(inline.getConcurrency()).isEqualTo(2);
            // a REP listener with concurrency > 1 runs on a ROUTER that keeps REP's envelope rules
            assertThat(inline.getSocket().type()).isEqualTo(SocketType.ROUTER);
            assertThat(inline.getSocket().socket().get(dev.zmq.SocketOption.RCVHWM)).isEqualTo(7);
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.inline.endpoint"))) {
                req.send("x");
                assertThat(req.recvString()).isEqualTo("handled by the named error handler");
            }
            // socket, containerFactory, @SendTo
            assertThat(registry.getListenerContainer("forwarder").getConcurrency()).isEqualTo(3);
            try (var out = client(ctx, SocketType.PULL, "inproc://placeholder-out");
                 var in = client(ctx, SocketType.PUSH, "inproc://placeholder-in")) {
                in.send("forward me");
                assertThat(out.recvString()).isEqualTo("FORWARD ME");
            }
            // topics
            var inbox = ctx.getBean(ListenerTestSupport.Inbox.class);
            try (var pub = client(ctx, SocketType.PUB, ctx.getEnvironment().getProperty("local.zmq.topics.endpoint"))) {
                Object first = null;
                for (int i = 0; i < 500 && first == null; i++) {
                    pub.send("other " + i);
                    pub.send("wanted " + i);
                    first = inbox.items.poll(20, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                assertThat(first).asString().startsWith("wanted ");
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    @org.springframework.context.annotation.Import(SecondFactory.class)
    static class ExpressionListeners {
        @Bean
        ZmqListenerErrorHandler spelErrors() {
            return (message, exception) -> "handled by the error handler an expression named";
        }

        @Bean
        Object expressions(ListenerTestSupport.Inbox inbox) {
            return new Object() {
                @ZmqListener(id = "#{'in' + 'line'}", type = "#{'RE' + 'P'}", bind = "#{'tcp://127.0.0.1:' + '*'}",
                        options = "#{'rcvhwm=' + (3 + 4)}", errorHandler = "#{'spel' + 'Errors'}", concurrency = "#{1 + 1}",
                        autoStartup = "#{1 > 0}")
                String fail(String s) {
                    throw new IllegalStateException("fails on purpose");
                }

                @ZmqListener(id = "forwarder", socket = "#{'i' + 'n'}", containerFactory = "#{threeWorkers}")
                @org.springframework.messaging.handler.annotation.SendTo("#{'o' + 'ut'}")
                String forward(String s) {
                    return s.toUpperCase();
                }

                @ZmqListener(id = "topics", type = "SUB", bind = "tcp://127.0.0.1:*", topics = "#{{'wan' + 'ted', 'also'}}")
                void topic(String s) {
                    inbox.add(s);
                }
            };
        }
    }

    @Test
    void spelExpressionsAreEvaluatedInEveryStringAttribute() {
        runner.withUserConfiguration(ExpressionListeners.class).withPropertyValues(
                "zmq.sockets.in.type=PULL", "zmq.sockets.in.bind=inproc://spel-in",
                "zmq.sockets.out.type=PUSH", "zmq.sockets.out.bind=inproc://spel-out").run(ctx -> {
            var registry = ctx.getBean(ZmqListenerEndpointRegistry.class);
            assertThat(registry.getListenerContainerIds()).contains("inline", "forwarder", "topics");
            // id, type, bind, options, errorHandler, concurrency, autoStartup
            var inline = registry.getListenerContainer("inline");
            assertThat(inline.isRunning()).isTrue();
            assertThat(inline.getConcurrency()).isEqualTo(2);
            assertThat(inline.getSocket().socket().get(dev.zmq.SocketOption.RCVHWM)).isEqualTo(7);
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.inline.endpoint"))) {
                req.send("x");
                assertThat(req.recvString()).isEqualTo("handled by the error handler an expression named");
            }
            // socket, containerFactory (the bean itself), @SendTo
            assertThat(registry.getListenerContainer("forwarder").getConcurrency()).isEqualTo(3);
            try (var out = client(ctx, SocketType.PULL, "inproc://spel-out");
                 var in = client(ctx, SocketType.PUSH, "inproc://spel-in")) {
                in.send("forward me");
                assertThat(out.recvString()).isEqualTo("FORWARD ME");
            }
            // topics: an expression giving a list contributes every element
            var inbox = ctx.getBean(ListenerTestSupport.Inbox.class);
            try (var pub = client(ctx, SocketType.PUB, ctx.getEnvironment().getProperty("local.zmq.topics.endpoint"))) {
                Object first = null;
                for (int i = 0; i < 500 && first == null; i++) {
                    pub.send("other " + i);
                    pub.send("also " + i);
                    first = inbox.items.poll(20, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                assertThat(first).asString().startsWith("also ");
            }
        });
    }

    static class LazyListener {
        final ListenerTestSupport.Inbox inbox;

        LazyListener(ListenerTestSupport.Inbox inbox) {
            this.inbox = inbox;
        }

        @ZmqListener(id = "lazy", type = "PULL", bind = "${lazy.endpoint}")
        void on(String body) {
            inbox.add("lazy:" + body);
        }
    }

    static class PlainHandler {
        final ListenerTestSupport.Inbox inbox;

        PlainHandler(ListenerTestSupport.Inbox inbox) {
            this.inbox = inbox;
        }

        public void handle(String body, @org.springframework.messaging.handler.annotation.Header(ZmqHeaders.LISTENER_ID) String id) {
            inbox.add(id + ":" + body);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LazyAndProgrammaticListeners {
        @Bean
        @org.springframework.context.annotation.Lazy
        LazyListener lazyListener(ListenerTestSupport.Inbox inbox) {
            return new LazyListener(inbox);
        }

        @Bean
        PlainHandler plainHandler(ListenerTestSupport.Inbox inbox) {
            return new PlainHandler(inbox);
        }

        @Bean
        ZmqListenerConfigurer programmaticListener(PlainHandler handler) {
            var method = org.springframework.util.ReflectionUtils.findMethod(PlainHandler.class, "handle", String.class, String.class);
            return registrar -> registrar.registerEndpoint(MethodZmqListenerEndpoint.of("programmatic", handler, method, "jobs"));
        }
    }

    @Test
    void lazyBeansListenWhenCreatedAndConfigurersRegisterListenersInCode() {
        var lazyEndpoint = TestSupport.inproc("lazy");
        runner.withUserConfiguration(LazyAndProgrammaticListeners.class).withPropertyValues("lazy.endpoint=" + lazyEndpoint,
                "zmq.sockets.jobs.type=PULL", "zmq.sockets.jobs.bind=inproc://programmatic-jobs").run(ctx -> {
            var registry = ctx.getBean(ZmqListenerEndpointRegistry.class);
            var inbox = ctx.getBean(ListenerTestSupport.Inbox.class);
            assertThat(registry.getListenerContainerIds()).contains("programmatic").doesNotContain("lazy");
            assertThat(registry.getListenerContainer("programmatic").isRunning()).isTrue();
            try (var push = client(ctx, SocketType.PUSH, "inproc://programmatic-jobs")) {
                push.send("job 1");
                assertThat(inbox.take()).isEqualTo("programmatic:job 1");
            }
            ctx.getBean(LazyListener.class); // first use creates the bean, and its listener with it
            assertThat(registry.getListenerContainerIds()).contains("lazy");
            assertThat(registry.getListenerContainer("lazy").isRunning()).isTrue();
            try (var push = client(ctx, SocketType.PUSH, lazyEndpoint)) {
                push.send("late");
                assertThat(inbox.take()).isEqualTo("lazy:late");
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class PojoListener {
        record Item(String name) {
        }

        @Bean
        Object pojo() {
            return new Object() {
                @ZmqListener(id = "pojo", type = "REP", bind = "tcp://127.0.0.1:*")
                String on(Item item) {
                    return item.name();
                }
            };
        }
    }

    @Test
    void withoutJacksonAPojoArgumentIsAnErrorReplyNotACrash() {
        runner.withClassLoader(new FilteredClassLoader("tools.jackson")).withUserConfiguration(PojoListener.class).run(ctx -> {
            try (var req = client(ctx, SocketType.REQ, ctx.getEnvironment().getProperty("local.zmq.pojo.endpoint"))) {
                req.send("{\"name\":\"x\"}");
                ZmqListenerEndToEndTests.assertErrorReply(req.recv(), dev.zmq.spring.core.ZmqErrorReply.BAD_REQUEST,
                        "the request could not be converted or validated");
            }
            assertThat(ctx.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("pojo").isRunning()).isTrue();
        });
    }

    @Test
    void frameConversionCoversTheReturnTypes() {
        runner.run(ctx -> {
            var converter = ctx.getBean("zmqMessageConverter", MessageConverter.class);
            var headers = new org.springframework.messaging.MessageHeaders(java.util.Map.of());
            assertThat(FrameConversion.toFrames(null, converter, headers)).isNull();
            assertThat(FrameConversion.toFrames("é", converter, headers)).singleElement().isEqualTo("é".getBytes(StandardCharsets.UTF_8));
            assertThat(FrameConversion.toFrames(dev.zmq.Message.of("a", "b"), converter, headers)).hasSize(2);
            assertThat(FrameConversion.toFrames(List.of(new byte[] {1}, new byte[] {2}), converter, headers)).hasSize(2);
            assertThat(new String(FrameConversion.toFrames(java.util.Map.of("k", 1), converter, headers).get(0), StandardCharsets.UTF_8))
                    .isEqualTo("{\"k\":1}");
            assertThat(ctx.getBean(ZmqContext.class)).isNotNull();
        });
    }
}
