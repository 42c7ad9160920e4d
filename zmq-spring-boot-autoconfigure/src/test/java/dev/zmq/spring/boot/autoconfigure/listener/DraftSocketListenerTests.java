package dev.zmq.spring.boot.autoconfigure.listener;

import static dev.zmq.spring.boot.autoconfigure.TestSupport.inproc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.spring.boot.autoconfigure.listener.ListenerTestSupport.Inbox;
import dev.zmq.spring.boot.autoconfigure.template.ZmqTemplateAutoConfiguration;
import dev.zmq.spring.core.ZmqTemplate;
import dev.zmq.spring.listener.ZmqListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The draft socket types in the starter: a SERVER listener's return value goes back to the CLIENT
 * that asked (ZmqTemplate.sendAndReceive over a CLIENT from zmq.sockets), a DISH listener takes its
 * groups, STREAM sockets and listeners are declared like any other type.
 */
@Timeout(60)
class DraftSocketListenerTests {

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        @Bean
        Handlers handlers(Inbox inbox) {
            return new Handlers(inbox);
        }
    }

    static class Handlers {
        final Inbox inbox;

        Handlers(Inbox inbox) {
            this.inbox = inbox;
        }

        @ZmqListener(id = "server", type = "SERVER", bind = "${t.server}")
        String upper(String request) {
            return request.toUpperCase(java.util.Locale.ROOT);
        }

        @ZmqListener(id = "dish", type = "DISH", bind = "${t.dish}", groups = {"weather", "${t.group}"})
        void dish(Message message) {
            inbox.add(message.group() + ":" + message.frameString(0));
        }
    }

    @Test
    void aServerListenerAnswersEachClientAndTheTemplateAsksOverAClient() {
        var server = inproc("server");
        ListenerTestSupport.runner().withConfiguration(AutoConfigurations.of(ZmqTemplateAutoConfiguration.class))
                .withUserConfiguration(Listeners.class)
                .withPropertyValues("t.server=" + server, "t.dish=" + inproc("dish"), "t.group=sport",
                        "zmq.sockets.asker.type=CLIENT", "zmq.sockets.asker.connect=" + server)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    var template = ctx.getBean(ZmqTemplate.class);
                    assertThat(template.sendAndReceive("asker", Message.of("hello")).frameString(0)).isEqualTo("HELLO");
                    assertThat(template.convertSendAndReceive("asker", "again", String.class)).isEqualTo("AGAIN");
                    // a second CLIENT gets its own answers, not the first one's
                    try (var other = ZmqListenerEndToEndTests.client(ctx, SocketType.CLIENT, server)) {
                        other.send("other");
                        assertThat(template.sendAndReceive("asker", Message.of("mine")).frameString(0)).isEqualTo("MINE");
                        assertThat(other.recv().frameString(0)).isEqualTo("OTHER");
                    }
                });
    }

    @Test
    void aDishListenerReceivesTheGroupsItJoined() {
        var dish = inproc("dish");
        ListenerTestSupport.runner().withUserConfiguration(Listeners.class)
                .withPropertyValues("t.server=" + inproc("server"), "t.dish=" + dish, "t.group=sport")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    var inbox = ctx.getBean(Inbox.class);
                    try (var radio = ZmqListenerEndToEndTests.client(ctx, SocketType.RADIO, dish)) {
                        // the joins reach the RADIO asynchronously: send until the first message arrives
                        Object first = null;
                        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); first == null && System.nanoTime() < deadline; ) {
                            radio.send(Message.of("sunny").withGroup("weather"));
                            first = inbox.items.poll(20, java.util.concurrent.TimeUnit.MILLISECONDS);
                        }
                        assertThat(first).isEqualTo("weather:sunny");
                        radio.send(Message.of("politics").withGroup("news"));
                        radio.send(Message.of("goal").withGroup("sport"));
                        Object next;
                        do {
                            next = inbox.take();
                        } while ("weather:sunny".equals(next));
                        assertThat(next).as("the group given by a placeholder, and nothing of the group not joined").isEqualTo("sport:goal");
                    }
                });
    }

    @Test
    void streamAndDraftSocketsAreDeclaredInYaml() {
        ListenerTestSupport.runner()
                .withPropertyValues("zmq.sockets.web.type=STREAM", "zmq.sockets.web.bind=tcp://127.0.0.1:*",
                        "zmq.sockets.radio.type=radio", "zmq.sockets.radio.bind=" + inproc("radio"),
                        "zmq.sockets.dish.type=DISH", "zmq.sockets.dish.subscribe=weather",
                        "zmq.sockets.dish.connect=" + inproc("radio-nobody"))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean("web", dev.zmq.ZmqSocket.class).type()).isEqualTo(SocketType.STREAM);
                    assertThat(ctx.getBean("radio", dev.zmq.ZmqSocket.class).type()).isEqualTo(SocketType.RADIO);
                    var dishSocket = ctx.getBean("dish", dev.zmq.ZmqSocket.class);
                    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.zmq.ZmqException.class, () -> dishSocket.join("weather"));
                    assertThat(e.getMessage()).as("the YAML's group was joined at creation").contains("already joined");
                });
    }

    @Test
    void udpRadioDishAndDgramSocketsAreDeclaredInYaml() {
        ListenerTestSupport.runner()
                .withPropertyValues("zmq.sockets.dish.type=DISH", "zmq.sockets.dish.bind=udp://127.0.0.1:*",
                        "zmq.sockets.dish.subscribe=weather",
                        "zmq.sockets.radio.type=RADIO", "zmq.sockets.radio.connect=udp://127.0.0.1:9",
                        "zmq.sockets.raw.type=DGRAM", "zmq.sockets.raw.bind=udp://127.0.0.1:*")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    var dish = ctx.getBean("dish", dev.zmq.ZmqSocket.class);
                    var dishEndpoint = dish.get(dev.zmq.SocketOption.LAST_ENDPOINT);
                    assertThat(dishEndpoint).startsWith("udp://127.0.0.1:").doesNotEndWith(":*");
                    try (var radio = ZmqListenerEndToEndTests.client(ctx, SocketType.RADIO, dishEndpoint)) {
                        radio.send(Message.of("skipped").withGroup("news"));
                        radio.send(Message.of("sunny").withGroup("weather"));
                        var got = dish.recv(Duration.ofSeconds(10));
                        assertThat(got.group() + ":" + got.frameString(0)).isEqualTo("weather:sunny");
                    }
                    assertThat(ctx.getBean("radio", dev.zmq.ZmqSocket.class).type()).isEqualTo(SocketType.RADIO);
                    var raw = ctx.getBean("raw", dev.zmq.ZmqSocket.class);
                    var self = raw.get(dev.zmq.SocketOption.LAST_ENDPOINT).substring("udp://".length());
                    raw.send(Message.of(self, "to myself"));
                    assertThat(raw.recv(Duration.ofSeconds(10))).isEqualTo(Message.of(self, "to myself"));
                });
    }
}
