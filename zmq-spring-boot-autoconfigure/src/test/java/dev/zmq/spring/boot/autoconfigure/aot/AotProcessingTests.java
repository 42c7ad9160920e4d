package dev.zmq.spring.boot.autoconfigure.aot;

import dev.zmq.spring.aot.ZmqRuntimeHints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqSocket;
import dev.zmq.spring.boot.autoconfigure.TestSupport;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.listener.ZmqListener;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.listener.ZmqListenerEndpointRegistry;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.core.ZmqTemplate;
import dev.zmq.spring.boot.autoconfigure.template.ZmqTemplateAutoConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.messaging.handler.annotation.Payload;

/**
 * Spring AOT processes an application with {@code zmq.sockets} entries, listeners and the template
 * (what {@code mvn spring-boot:process-aot} does), the generated code compiles, and the context it
 * initializes starts and exchanges messages. Before the socket beans were factory-method
 * definitions, the processing failed with "instance supplier is not supported".
 */
@Timeout(300) // compiling the generated code is slow on a loaded machine
@CompileWithForkedClassLoader
class AotProcessingTests {

    public record Quote(String symbol, double price) {
    }

    public static class Listeners {
        @ZmqListener(socket = "heartbeat")
        public String echo(String request) {
            return "echo " + request;
        }

        @ZmqListener(id = "quotes", socket = "quotes")
        public Quote quote(@Payload Quote quote) {
            return new Quote(quote.symbol(), quote.price() * 2);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class,
            ZmqTemplateAutoConfiguration.class, JacksonAutoConfiguration.class})
    public static class AotApplication {
        @Bean
        public Listeners listeners() {
            return new Listeners();
        }
    }

    private static StandardEnvironment environment(String heartbeat, String quotes) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "zmq.sockets.heartbeat.type", "REP", "zmq.sockets.heartbeat.bind", heartbeat,
                "zmq.sockets.quotes.type", "REP", "zmq.sockets.quotes.bind", quotes,
                "zmq.sockets.client.type", "REQ", "zmq.sockets.client.connect", heartbeat,
                "zmq.sockets.quoter.type", "DEALER", "zmq.sockets.quoter.connect", quotes)));
        return environment;
    }

    @Test
    void anApplicationWithConfiguredSocketsIsProcessedAheadOfTimeAndRunsFromTheGeneratedCode() {
        var heartbeat = TestSupport.inproc("aot-heartbeat");
        var quotes = TestSupport.inproc("aot-quotes");
        var generation = new TestGenerationContext(AotApplication.class);
        var initializerName = processAheadOfTime(environment(heartbeat, quotes), generation);
        generation.writeGeneratedContent();

        var hints = generation.getRuntimeHints();
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "echo")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "quote")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Quote.class)).accepts(hints); // @Payload binding
        assertThat(RuntimeHintsPredicates.reflection().onType(Message.class)).accepts(hints); // ZmqRuntimeHints
        assertThat(RuntimeHintsPredicates.reflection().onType(
                org.springframework.aot.hint.TypeReference.of(ZmqRuntimeHints.BOUNCY_CASTLE[0]))).accepts(hints);

        TestCompiler.forSystem().with(generation).compile(compiled -> {
            @SuppressWarnings("unchecked")
            ApplicationContextInitializer<GenericApplicationContext> initializer =
                    compiled.getInstance(ApplicationContextInitializer.class, initializerName);
            // other endpoints at run time: the sockets are those of the build, their properties are read now
            var runHeartbeat = TestSupport.inproc("aot-run-heartbeat");
            var runQuotes = TestSupport.inproc("aot-run-quotes");
            try (var context = new GenericApplicationContext()) {
                context.setEnvironment(environment(runHeartbeat, runQuotes));
                initializer.initialize(context);
                context.refresh();
                assertThat(context.getBean("heartbeat", ZmqSocket.class).type()).isEqualTo(SocketType.REP);
                assertThat(context.getBean("heartbeat", ZmqSocket.class).get(dev.zmq.SocketOption.LAST_ENDPOINT)).isEqualTo(runHeartbeat);
                assertThat(context.getBean(ZmqListenerEndpointRegistry.class).getListenerContainerIds())
                        .containsExactlyInAnyOrder("listeners.echo", "quotes");
                var template = context.getBean(ZmqTemplate.class);
                assertThat(template.sendAndReceive("client", Message.of("ping")).toString()).contains("echo ping");
                assertThat(template.convertSendAndReceive("quoter", new Quote("EURUSD", 1.5), Quote.class))
                        .isEqualTo(new Quote("EURUSD", 3.0));
            }
        });
    }

    private static String processAheadOfTime(StandardEnvironment environment, TestGenerationContext generation) {
        try (var context = new AnnotationConfigApplicationContext()) {
            context.setEnvironment(environment);
            context.register(AotApplication.class);
            return new ApplicationContextAotGenerator().processAheadOfTime(context, generation).toString();
        }
    }
}
