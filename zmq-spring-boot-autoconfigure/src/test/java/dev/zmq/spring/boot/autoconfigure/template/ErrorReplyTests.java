package dev.zmq.spring.boot.autoconfigure.template;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.inproc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zmq.Message;
import dev.zmq.spring.boot.autoconfigure.context.ZmqContextAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.listener.ZmqListenerAutoConfiguration;
import dev.zmq.spring.boot.autoconfigure.socket.ZmqSocketAutoConfiguration;
import dev.zmq.spring.core.ZmqErrorReply;
import dev.zmq.spring.core.ZmqRemoteException;
import dev.zmq.spring.core.ZmqTemplate;
import dev.zmq.spring.listener.ZmqErrorReplyException;
import dev.zmq.spring.listener.ZmqListener;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A failing REP or ROUTER listener answers an error reply; the template turns it into ZmqRemoteException. */
@Timeout(60)
class ErrorReplyTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
            ZmqContextAutoConfiguration.class, ZmqSocketAutoConfiguration.class, ZmqListenerAutoConfiguration.class,
            ZmqTemplateAutoConfiguration.class, JacksonAutoConfiguration.class));

    record Quote(String symbol, double price) {
    }

    @Configuration(proxyBeanMethods = false)
    static class Repliers {
        @Bean
        Object repliers() {
            return new Object() {
                @ZmqListener(id = "quotes", type = "REP", bind = "${t.rep}")
                Quote quote(String symbol) {
                    return switch (symbol) {
                        case "crash" -> throw new IllegalStateException("password=hunter2");
                        case "unknown" -> throw new ZmqErrorReplyException("NOT_FOUND", "no such symbol");
                        default -> new Quote(symbol, 1.5);
                    };
                }

                @ZmqListener(id = "router", type = "ROUTER", bind = "${t.router}")
                String route(String body) {
                    throw new IllegalArgumentException("router says no to " + body);
                }

                @ZmqListener(id = "impostor", type = "REP", bind = "${t.impostor}")
                Message impostor(String body) {
                    return Message.of(ZmqErrorReply.marker(), "FAKE".getBytes(), "looks like an error".getBytes());
                }
            };
        }
    }

    private ApplicationContextRunner configured(String... more) {
        var rep = inproc("rep");
        var router = inproc("router");
        var impostor = inproc("impostor");
        return runner.withUserConfiguration(Repliers.class).withPropertyValues("t.rep=" + rep, "t.router=" + router,
                "t.impostor=" + impostor,
                "zmq.sockets.dealer.type=DEALER", "zmq.sockets.dealer.connect=" + rep,
                "zmq.sockets.req.type=REQ", "zmq.sockets.req.connect=" + rep,
                "zmq.sockets.to-router.type=DEALER", "zmq.sockets.to-router.connect=" + router,
                "zmq.sockets.to-impostor.type=REQ", "zmq.sockets.to-impostor.connect=" + impostor).withPropertyValues(more);
    }

    @Test
    void theTemplateThrowsZmqRemoteExceptionWithTheCodeNeverAPayloadOrAParseError() {
        configured().run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            for (var socket : new String[] {"dealer", "req"}) {
                assertThat(template.convertSendAndReceive(socket, "ACME", Quote.class)).isEqualTo(new Quote("ACME", 1.5));
                assertThatThrownBy(() -> template.convertSendAndReceive(socket, "crash", Quote.class))
                        .isInstanceOfSatisfying(ZmqRemoteException.class, e -> {
                            assertThat(e.code()).isEqualTo(ZmqErrorReply.INTERNAL);
                            assertThat(e.remoteMessage()).isEqualTo("the listener failed").doesNotContain("hunter2");
                            assertThat(e.socket()).isEqualTo(socket);
                        });
                assertThatThrownBy(() -> template.sendAndReceive(socket, Message.of("unknown")))
                        .isInstanceOfSatisfying(ZmqRemoteException.class, e -> {
                            assertThat(e.code()).isEqualTo("NOT_FOUND");
                            assertThat(e.remoteMessage()).isEqualTo("no such symbol");
                        });
                var async = template.convertSendAndReceiveAsync(socket, "unknown", Quote.class, Duration.ofSeconds(5));
                assertThatThrownBy(() -> async.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(ZmqRemoteException.class).hasMessageContaining("NOT_FOUND");
                // the socket is still usable after errors
                assertThat(template.convertSendAndReceive(socket, "XYZ", Quote.class)).isEqualTo(new Quote("XYZ", 1.5));
            }
        });
    }

    @Test
    void aRouterListenerAnswersTheErrorWithTheEnvelopeKept() {
        configured("zmq.listener.error-reply.include-message=true").run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            assertThatThrownBy(() -> template.sendAndReceive("to-router", Message.of("x")))
                    .isInstanceOfSatisfying(ZmqRemoteException.class, e -> {
                        assertThat(e.code()).isEqualTo(ZmqErrorReply.INTERNAL);
                        assertThat(e.remoteMessage()).isEqualTo("IllegalArgumentException: router says no to x");
                    });
            assertThatThrownBy(() -> template.sendAndReceive("req", Message.of("crash")))
                    .isInstanceOfSatisfying(ZmqRemoteException.class,
                            e -> assertThat(e.remoteMessage()).isEqualTo("IllegalStateException: password=hunter2"));
        });
    }

    @Test
    void aNormalReplyThatWouldLookLikeAnErrorIsRefused() {
        configured().run(ctx -> {
            var template = ctx.getBean(ZmqTemplate.class);
            assertThatThrownBy(() -> template.sendAndReceive("to-impostor", Message.of("x")))
                    .isInstanceOfSatisfying(ZmqRemoteException.class, e -> assertThat(e.code()).isEqualTo(ZmqErrorReply.INTERNAL));
        });
    }
}
