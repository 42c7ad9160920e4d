package dev.zmq.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RADIO/DISH and the other draft types on the wire, byte for byte against libzmq's format, built
 * here from libzmq's source (dish.cpp's dish_session_t::pull_msg writes {@code "\4JOIN"} or
 * {@code "\5LEAVE"} then the group, as a command frame; radio.cpp's radio_session_t::pull_msg
 * writes the group as a frame with MORE, then the body). Debian's libzmq is built without the draft
 * API (pyzmq's {@code zmq.has('draft')} is false), so libzmq itself could not be run against these.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RadioDishWireTest {
    private static final Duration SHORT = Duration.ofMillis(20);

    /** A ZMTP 3.x short frame: flags, one size byte, body. */
    private static byte[] frame(int flags, byte[] body) {
        var b = new ByteArrayOutputStream();
        b.write(flags);
        b.write(body.length);
        b.writeBytes(body);
        return b.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        var b = new ByteArrayOutputStream();
        for (var p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void ourDishSendsJoinAndLeaveAsLibzmqsCommandFrames() {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH); var listener = new RawZmtpPeer.Listener()) {
            dish.join("weather");
            dish.connect(listener.endpoint());
            try (var radio = listener.accept()) {
                var ready = radio.handshake(1, "RADIO");
                assertEquals("DISH", RawZmtpPeer.readyProperty(ready, "Socket-Type"));
                var join = radio.next();
                dish.leave("weather");
                var leave = radio.next();
                // 0x04 = command flag; body 0x04 "JOIN" group / 0x05 "LEAVE" group (no length before the group)
                var expected = concat(frame(0x04, concat(new byte[] {4}, ascii("JOIN"), ascii("weather"))),
                        frame(0x04, concat(new byte[] {5}, ascii("LEAVE"), ascii("weather"))));
                assertEquals(HexFormat.of().formatHex(expected), radio.rawHex(), join + " then " + leave);
            }
        }
    }

    @Test
    void ourRadioSendsTheGroupFrameThenTheBodyToAJoinedDish() {
        try (var ctx = new ZmqContext(); var radio = ctx.socket(SocketType.RADIO)) {
            var endpoint = radio.bind("tcp://127.0.0.1:*");
            try (var dish = RawZmtpPeer.connect(endpoint)) {
                var ready = dish.handshake(1, "DISH");
                assertEquals("RADIO", RawZmtpPeer.readyProperty(ready, "Socket-Type"));
                radio.send(Message.of("lost").withGroup("weather")); // nobody joined yet: goes nowhere
                dish.sendCommand("JOIN", ascii("weather")); // exactly libzmq's bytes: 04 0c 04 'JOIN' 'weather'
                RawZmtpPeer.Frame group = null;
                while (group == null) {
                    radio.send(Message.of("sunny").withGroup("weather"));
                    group = dish.poll(SHORT);
                }
                var body = dish.next();
                assertEquals("data+more 77656174686572", group.toString());
                assertEquals("data 73756e6e79", body.toString());
                assertTrue(dish.rawHex().startsWith(HexFormat.of().formatHex(concat(frame(0x01, ascii("weather")), frame(0x00, ascii("sunny"))))),
                        dish.rawHex());
                radio.send(Message.of("other").withGroup("sport"));
                dish.sendCommand("LEAVE", ascii("weather"));
                // After the LEAVE nothing of "weather" arrives any more: wait until a send is not followed by frames.
                Await.until("the LEAVE to take effect", () -> {
                    while (dish.poll(SHORT) != null) {
                        // frames sent before the LEAVE arrived
                    }
                    radio.send(Message.of("after").withGroup("weather"));
                    return dish.poll(Duration.ofMillis(100)) == null;
                });
            }
        }
    }

    @Test
    void aRadioDisconnectsADishWhoseGroupIsTooLong() {
        try (var ctx = new ZmqContext(); var radio = ctx.socket(SocketType.RADIO)) {
            var endpoint = radio.bind("tcp://127.0.0.1:*");
            try (var dish = RawZmtpPeer.connect(endpoint)) {
                dish.handshake(1, "DISH");
                dish.sendCommand("JOIN", new byte[256]);
                var e = assertThrows(AssertionError.class, () -> dish.poll(Await.SOON));
                assertTrue(e.getMessage().contains("closed"), e.getMessage());
            }
            Await.until("the disconnection to be counted", () -> radio.statistics().disconnects() == 1);
        }
    }

    @Test
    void aDishDisconnectsARadioThatSendsAMessageWithoutItsGroupFrame() {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH); var listener = new RawZmtpPeer.Listener()) {
            dish.join("g");
            dish.connect(listener.endpoint());
            try (var radio = listener.accept()) {
                radio.handshake(1, "RADIO");
                radio.next(); // the JOIN
                radio.sendMessage(ascii("no group frame"));
                Await.until("the DISH to drop the connection", () -> dish.statistics().disconnects() >= 1);
            }
            assertNull(dish.recv(Await.QUIET), "nothing of the malformed message was delivered");
        }
    }

    @Test
    void aServerDropsAndCountsAMultiFrameMessageAsLibzmq() {
        try (var ctx = new ZmqContext(); var server = ctx.socket(SocketType.SERVER)) {
            var endpoint = server.bind("tcp://127.0.0.1:*");
            try (var client = RawZmtpPeer.connect(endpoint)) {
                client.handshake(1, "CLIENT");
                client.sendMessage(ascii("two"), ascii("frames"));
                client.sendMessage(ascii("one"));
                var m = Await.recv(server);
                assertEquals(Message.of("one"), m);
                assertEquals(1, server.statistics().messagesDiscarded(), "the two-frame message was dropped and counted");
            }
        }
    }

    /**
     * A GATHER receiving into a buffer that found nothing and waits: the waiting path takes through
     * a method of its own (Pattern.tryRecvFrameAfterWait), which must drop a multi-frame message as
     * GATHER's receive does, not hand out its first frame as PULL's would.
     */
    @Test
    void aWaitingGatherDropsAndCountsAMultiFrameMessageAsLibzmq() throws Exception {
        try (var ctx = new ZmqContext(); var gather = ctx.socket(SocketType.GATHER)) {
            var endpoint = gather.bind("tcp://127.0.0.1:*");
            try (var scatter = RawZmtpPeer.connect(endpoint)) {
                scatter.handshake(1, "SCATTER");
                var buffer = new byte[16];
                var received = new java.util.concurrent.CompletableFuture<Integer>();
                var receiver = new Thread(() -> {
                    try {
                        received.complete(gather.recv(buffer, 0, buffer.length, Await.SOON));
                    } catch (Throwable t) {
                        received.completeExceptionally(t);
                    }
                }, "gather-receiver");
                receiver.start();
                Await.parked(receiver);
                scatter.sendMessage(ascii("two"), ascii("frames"));
                scatter.sendMessage(ascii("one"));
                assertEquals(3, received.get(Await.SOON.toMillis(), TimeUnit.MILLISECONDS));
                receiver.join();
                assertEquals("one", new String(buffer, 0, 3, StandardCharsets.US_ASCII));
                assertEquals(1, gather.statistics().messagesDiscarded(), "the two-frame message was dropped and counted");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"CLIENT", "SERVER", "RADIO", "DISH", "SCATTER", "GATHER", "PEER", "CHANNEL"})
    void eachDraftTypeAnnouncesItsLibzmqSocketTypeName(SocketType type) {
        var peer = switch (type) {
            case CLIENT -> "SERVER";
            case SERVER -> "CLIENT";
            case RADIO -> "DISH";
            case DISH -> "RADIO";
            case SCATTER -> "GATHER";
            case GATHER -> "SCATTER";
            default -> type.name();
        };
        try (var ctx = new ZmqContext(); var socket = ctx.socket(type)) {
            var endpoint = socket.bind("tcp://127.0.0.1:*");
            try (var raw = RawZmtpPeer.connect(endpoint)) {
                var ready = raw.handshake(1, peer);
                assertEquals(type.name(), RawZmtpPeer.readyProperty(ready, "Socket-Type"));
                assertNull(RawZmtpPeer.readyProperty(ready, "Identity"), "libzmq sends Identity for REQ, DEALER and ROUTER only");
            }
        }
    }
}
