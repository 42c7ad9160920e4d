package dev.zmq.interop.draft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The draft socket types against JeroMQ's implementations over tcp, in both directions (which side
 * binds, which side starts), on JeroMQ 0.6.0 and 0.7.0. libzmq is not checked here: Debian's libzmq
 * 4.3 is built without the draft API (pyzmq's {@code zmq.has('draft')} is false); RadioDishWireTest
 * checks the wire format byte for byte against libzmq's source instead.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JeromqDraftInteropTest {
    private static final int SHORT_MS = 20;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static DraftPeer.Received recv(DraftPeer peer) {
        var m = peer.recv((int) Await.SOON.toMillis());
        assertNotNull(m, "JeroMQ received nothing within " + Await.SOON);
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {JeromqLoader.V060, JeromqLoader.V070})
    void ourServerAnswersAJeromqClient(String version) {
        try (var ctx = new ZmqContext(); var server = ctx.socket(SocketType.SERVER); var client = JeromqLoader.peer(version, "CLIENT")) {
            assertTrue(client.version().contains(version), client.version());
            client.connect(server.bind("tcp://127.0.0.1:*"));
            client.send(bytes("question"), 0, null);
            var q = Await.recv(server);
            assertEquals("question", q.frameString(0));
            assertNotEquals(0, q.routingId());
            server.send(Message.of("answer").withRoutingId(q.routingId()));
            assertArrayEquals(bytes("answer"), recv(client).body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {JeromqLoader.V060, JeromqLoader.V070})
    void ourClientAsksAJeromqServer(String version) {
        try (var ctx = new ZmqContext(); var client = ctx.socket(SocketType.CLIENT); var server = JeromqLoader.peer(version, "SERVER")) {
            client.connect(server.bind());
            client.send("question");
            var q = recv(server);
            assertArrayEquals(bytes("question"), q.body());
            assertNotEquals(0, q.routingId(), "JeroMQ's SERVER gave our CLIENT a routing id");
            server.send(bytes("answer"), q.routingId(), null);
            assertEquals(Message.of("answer"), Await.recv(client));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {JeromqLoader.V060, JeromqLoader.V070})
    void ourRadioReachesAJeromqDishThatJoined(String version) {
        try (var ctx = new ZmqContext(); var radio = ctx.socket(SocketType.RADIO); var dish = JeromqLoader.peer(version, "DISH")) {
            dish.join("weather");
            dish.connect(radio.bind("tcp://127.0.0.1:*"));
            var got = new DraftPeer.Received[1];
            Await.until("JeroMQ's JOIN to reach our RADIO", () -> {
                radio.send(Message.of("sunny").withGroup("weather"));
                return (got[0] = dish.recv(SHORT_MS)) != null;
            });
            assertArrayEquals(bytes("sunny"), got[0].body());
            assertEquals("weather", got[0].group());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {JeromqLoader.V060, JeromqLoader.V070})
    void aJeromqRadioReachesOurDishThatJoined(String version) {
        try (var ctx = new ZmqContext(); var dish = ctx.socket(SocketType.DISH); var radio = JeromqLoader.peer(version, "RADIO")) {
            dish.join("weather");
            dish.connect(radio.bind());
            var got = new Message[1];
            Await.until("our JOIN to reach JeroMQ's RADIO", () -> {
                radio.send(bytes("other group"), 0, "sport");
                radio.send(bytes("sunny"), 0, "weather");
                return (got[0] = dish.recv(Duration.ofMillis(SHORT_MS))) != null;
            });
            assertEquals(Message.of("sunny"), got[0], "only the joined group (JeroMQ's RADIO filters on our JOIN)");
            assertEquals("weather", got[0].group());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {JeromqLoader.V060, JeromqLoader.V070})
    void scatterAndGatherBothWays(String version) {
        try (var ctx = new ZmqContext(); var gather = ctx.socket(SocketType.GATHER); var scatter = ctx.socket(SocketType.SCATTER);
             var theirScatter = JeromqLoader.peer(version, "SCATTER"); var theirGather = JeromqLoader.peer(version, "GATHER")) {
            theirScatter.connect(gather.bind("tcp://127.0.0.1:*"));
            theirScatter.send(bytes("to ours"), 0, null);
            assertEquals(Message.of("to ours"), Await.recv(gather));
            scatter.connect(theirGather.bind());
            scatter.send("to theirs");
            assertArrayEquals(bytes("to theirs"), recv(theirGather).body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {JeromqLoader.V060, JeromqLoader.V070})
    void ourPeerConnectsToAJeromqPeer(String version) {
        try (var ctx = new ZmqContext(); var ours = ctx.socket(SocketType.PEER); var theirs = JeromqLoader.peer(version, "PEER")) {
            int id = ours.connectPeer(theirs.bind());
            assertNotEquals(0, id);
            ours.send(Message.of("hello").withRoutingId(id));
            var got = recv(theirs);
            assertArrayEquals(bytes("hello"), got.body());
            theirs.send(bytes("welcome"), got.routingId(), null);
            var back = Await.recv(ours);
            assertEquals(Message.of("welcome"), back);
            assertEquals(id, back.routingId());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {JeromqLoader.V060, JeromqLoader.V070})
    void aJeromqPeerConnectsToOurs(String version) {
        try (var ctx = new ZmqContext(); var ours = ctx.socket(SocketType.PEER); var theirs = JeromqLoader.peer(version, "PEER")) {
            int id = theirs.connectPeer(ours.bind("tcp://127.0.0.1:*"));
            assertNotEquals(0, id, "JeroMQ's connectPeer returned a routing id");
            theirs.send(bytes("hello"), id, null);
            var got = Await.recv(ours);
            assertEquals("hello", got.frameString(0));
            ours.send(Message.of("welcome").withRoutingId(got.routingId()));
            var back = recv(theirs);
            assertArrayEquals(bytes("welcome"), back.body());
            assertEquals(id, back.routingId());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {JeromqLoader.V060, JeromqLoader.V070})
    void channelsBothWays(String version) {
        try (var ctx = new ZmqContext(); var bound = ctx.socket(SocketType.CHANNEL); var connecting = ctx.socket(SocketType.CHANNEL);
             var theirConnecting = JeromqLoader.peer(version, "CHANNEL"); var theirBound = JeromqLoader.peer(version, "CHANNEL")) {
            theirConnecting.connect(bound.bind("tcp://127.0.0.1:*"));
            theirConnecting.send(bytes("ping"), 0, null);
            assertEquals(Message.of("ping"), Await.recv(bound));
            bound.send("pong");
            assertArrayEquals(bytes("pong"), recv(theirConnecting).body());

            connecting.connect(theirBound.bind());
            connecting.send("ping2");
            assertArrayEquals(bytes("ping2"), recv(theirBound).body());
            theirBound.send(bytes("pong2"), 0, null);
            assertEquals(Message.of("pong2"), Await.recv(connecting));
        }
    }
}
