package dev.zmq.spring.boot.autoconfigure.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.spring.boot.autoconfigure.listener.ListenerTestSupport.Inbox;
import dev.zmq.spring.listener.ZmqHeaders;
import dev.zmq.spring.listener.ZmqListener;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

/**
 * A DGRAM listener over udp, against real UDP peers (a plain {@link DatagramSocket} and our DGRAM
 * socket): the method gets each datagram's body with the sender's {@code ip:port} as the routing id,
 * and its return value goes back to that sender as one datagram, as a ROUTER listener's goes back to
 * its peer. A failure, or a reply of several frames, sends nothing (no datagram peer waits for an
 * error reply); a header envelope on a DGRAM socket is refused at startup.
 */
@Timeout(60)
class DgramListenerTests {

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

        // tag::dgram[]
        @ZmqListener(id = "echo", type = "DGRAM", bind = "udp://127.0.0.1:*")
        Object echo(String body, @Header(ZmqHeaders.ROUTING_ID) String sender, @Header(ZmqHeaders.PEER_ADDRESS) String ip) {
            inbox.add(sender + " " + ip + " " + body);
            return switch (body) {
                case "fail" -> throw new IllegalStateException("refused"); // retried, recovered; no error reply over udp
                case "quiet" -> null; // no reply
                case "two" -> List.of("a".getBytes(StandardCharsets.UTF_8), "b".getBytes(StandardCharsets.UTF_8)); // dropped: a datagram is one frame
                default -> body.toUpperCase(Locale.ROOT); // back to the sender, one datagram
            };
        }
        // end::dgram[]
    }

    @Test
    void aDgramListenerGetsEachDatagramWithItsSenderAndAnswersThatSender() {
        ListenerTestSupport.runner().withUserConfiguration(Listeners.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            var endpoint = ctx.getEnvironment().getProperty("local.zmq.echo.endpoint");
            assertThat(endpoint).as("the inline DGRAM's bound endpoint").startsWith("udp://127.0.0.1:").doesNotEndWith(":*");
            var listener = new InetSocketAddress("127.0.0.1", Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)));
            var inbox = ctx.getBean(Inbox.class);
            try (var peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1")); var other = new DatagramSocket(0,
                    InetAddress.getByName("127.0.0.1"))) {
                peer.setSoTimeout(10_000);
                other.setSoTimeout(10_000);
                var self = "127.0.0.1:" + peer.getLocalPort();

                send(peer, listener, "hello");
                assertThat(receive(peer, listener)).isEqualTo("HELLO");
                assertThat(inbox.take()).isEqualTo(self + " 127.0.0.1 hello");

                // each sender gets its own answers
                send(other, listener, "other");
                send(peer, listener, "mine");
                assertThat(receive(other, listener)).isEqualTo("OTHER");
                assertThat(receive(peer, listener)).isEqualTo("MINE");
                assertThat(List.of(inbox.take(), inbox.take())).containsExactlyInAnyOrder(
                        "127.0.0.1:" + other.getLocalPort() + " 127.0.0.1 other", self + " 127.0.0.1 mine");

                // nothing goes back for a failure, a null result or a reply of two frames: the next
                // datagram the peer gets answers the request sent after them
                for (var silent : List.of("fail", "quiet", "two")) {
                    send(peer, listener, silent);
                    assertThat(inbox.take()).isEqualTo(self + " 127.0.0.1 " + silent);
                }
                send(peer, listener, "after");
                assertThat(receive(peer, listener)).isEqualTo("AFTER");
            }
            // our own DGRAM socket as the peer: [address, body] both ways
            try (var zmq = new ZmqContext(); var dgram = zmq.socket(SocketType.DGRAM)) {
                dgram.bind("udp://127.0.0.1:*");
                var to = "127.0.0.1:" + listener.getPort();
                dgram.send(Message.of(to, "from dgram"));
                var reply = dgram.recv(Duration.ofSeconds(10));
                assertThat(reply).isNotNull();
                assertThat(reply.frameString(0)).isEqualTo(to);
                assertThat(reply.frameString(1)).isEqualTo("FROM DGRAM");
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class BatchListener {
        @Bean
        Ingest ingest(Inbox inbox) {
            return new Ingest(inbox);
        }
    }

    static class Ingest {
        final Inbox inbox;

        Ingest(Inbox inbox) {
            this.inbox = inbox;
        }

        @ZmqListener(id = "ingest", type = "DGRAM", bind = "udp://127.0.0.1:*", batch = "true")
        void ingest(List<String> bodies) {
            bodies.forEach(inbox::add);
        }
    }

    @Test
    void aBatchListenerTakesDatagramBodies() {
        ListenerTestSupport.runner().withUserConfiguration(BatchListener.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            var endpoint = ctx.getEnvironment().getProperty("local.zmq.ingest.endpoint");
            var listener = new InetSocketAddress("127.0.0.1", Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)));
            var inbox = ctx.getBean(Inbox.class);
            try (var peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
                for (int i = 0; i < 20; i++) {
                    send(peer, listener, "reading " + i);
                }
                for (int i = 0; i < 20; i++) {
                    assertThat(inbox.take()).isEqualTo("reading " + i);
                }
            }
        });
    }

    @Test
    void aDgramSocketRefusesTheHeaderEnvelope() {
        ListenerTestSupport.runner()
                .withPropertyValues("zmq.sockets.raw.type=DGRAM", "zmq.sockets.raw.bind=udp://127.0.0.1:*", "zmq.sockets.raw.headers=true")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("zmq.sockets.raw.headers")
                            .hasMessageContaining("no room for a header frame");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class InlineWithHeaders {
        @Bean
        Object withHeaders() {
            return new Object() {
                @ZmqListener(id = "enveloped", type = "DGRAM", bind = "udp://127.0.0.1:*", headers = "true")
                void enveloped(String body) {
                }
            };
        }
    }

    @Test
    void anInlineDgramListenerRefusesTheHeaderEnvelope() {
        ListenerTestSupport.runner().withUserConfiguration(InlineWithHeaders.class).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).hasMessageContaining("enveloped() headers = true")
                    .hasMessageContaining("no room for a header frame");
        });
    }

    private static void send(DatagramSocket from, InetSocketAddress to, String body) throws Exception {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** The next datagram's body; fails when none comes within the socket's timeout or it comes from elsewhere. */
    private static String receive(DatagramSocket at, InetSocketAddress from) throws Exception {
        var packet = new DatagramPacket(new byte[9000], 9000);
        at.receive(packet);
        assertThat(packet.getSocketAddress()).isEqualTo(from);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }
}
