package dev.zmq.interop;

import static dev.zmq.interop.Checks.assertMessage;
import static dev.zmq.interop.Checks.receive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Routing ids across implementations: a ROUTER sees exactly the ROUTING_ID a peer announced
 * (binary, with a zero byte and 0xff inside), and gives each peer without one a distinct
 * generated id of 5 bytes starting with a zero byte, by which its replies reach that peer.
 */
class IdentityInteropTest {
    private static final LibzmqHost LIBZMQ = new LibzmqHost();
    private static final byte[] NAMED_ID = {'n', 'a', 'm', 'e', 0, (byte) 0xff, 'd'};

    record Case(boolean oursIsRouter, Impl peer, SocketType clientType, boolean routerBinds) {
        @Override
        public String toString() {
            var ours = Impl.underTest().label();
            var router = (oursIsRouter ? ours : peer.label()) + " ROUTER" + (routerBinds ? " binds" : " connects");
            var clients = "3 " + (oursIsRouter ? peer.label() : ours) + " " + clientType;
            return router + ", " + clients;
        }
    }

    static List<Case> cases() {
        var cases = new ArrayList<Case>();
        for (boolean oursIsRouter : new boolean[] {true, false}) {
            for (var peer : List.of(Impl.JEROMQ, Impl.LIBZMQ)) {
                for (var clientType : List.of(SocketType.DEALER, SocketType.REQ)) {
                    for (boolean routerBinds : new boolean[] {true, false}) {
                        cases.add(new Case(oursIsRouter, peer, clientType, routerBinds));
                    }
                }
            }
        }
        return cases;
    }

    @AfterAll
    static void stopLibzmq() {
        LIBZMQ.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void routerSeesAnnouncedAndGeneratedIds(Case c) {
        var self = Impl.underTest();
        var routerImpl = c.oursIsRouter() ? self : c.peer();
        var clientImpl = c.oursIsRouter() ? c.peer() : self;
        try (var session = new PeerSession(LIBZMQ)) {
            var router = session.socket(routerImpl, SocketType.ROUTER);
            var named = session.socket(clientImpl, c.clientType());
            named.set(SocketOption.ROUTING_ID, NAMED_ID);
            var anonymous1 = session.socket(clientImpl, c.clientType());
            var anonymous2 = session.socket(clientImpl, c.clientType());
            var clients = List.of(named, anonymous1, anonymous2);

            if (c.routerBinds()) {
                var endpoint = router.bind("tcp://127.0.0.1:*");
                clients.forEach(client -> client.connect(endpoint));
            } else {
                clients.forEach(client -> router.connect(client.bind("tcp://127.0.0.1:*")));
            }

            int envelope = c.clientType() == SocketType.REQ ? 2 : 1;
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).send(Message.of("from-" + i));
            }
            // Arrival order between the clients is not defined: key the ids by body.
            var idByClient = new HashMap<Integer, byte[]>();
            for (int n = 0; n < clients.size(); n++) {
                var got = receive(router, "a request from each of 3 clients");
                assertEquals(envelope + 1, got.size(), () -> c + ": ROUTER expected id" + (envelope == 2 ? ", delimiter" : "") + " and body, got " + got);
                if (envelope == 2) {
                    Checks.assertFrameEmpty(got, 1, c + ": REQ delimiter");
                }
                int client = Integer.parseInt(got.frameString(envelope).substring("from-".length()));
                assertFalse(idByClient.containsKey(client), () -> c + ": two requests from client " + client);
                idByClient.put(client, got.frame(0));
            }

            assertArrayEquals(NAMED_ID, idByClient.get(0), () -> c + ": ROUTER did not see the announced ROUTING_ID, saw " + hex(idByClient.get(0)));
            for (int client : List.of(1, 2)) {
                var id = idByClient.get(client);
                assertEquals(5, id.length, () -> c + ": generated id " + hex(id) + " is not 5 bytes");
                assertEquals(0, id[0], () -> c + ": generated id " + hex(id) + " does not start with a zero byte");
            }
            assertFalse(ByteBuffer.wrap(idByClient.get(1)).equals(ByteBuffer.wrap(idByClient.get(2))),
                    () -> c + ": two anonymous peers got the same generated id " + hex(idByClient.get(1)));

            // Replies in reverse order, each routed by the id the ROUTER saw.
            for (int i = clients.size() - 1; i >= 0; i--) {
                var body = Message.of("to-" + i);
                router.send(envelope == 2 ? body.prepend(idByClient.get(i), new byte[0]) : body.prepend(idByClient.get(i)));
            }
            for (int i = 0; i < clients.size(); i++) {
                var got = receive(clients.get(i), "the reply routed to client " + i);
                assertMessage(Message.of("to-" + i), got, c + ": reply to client " + i);
            }
            assertTrue(idByClient.size() == 3);
        }
    }

    private static String hex(byte[] b) {
        return b == null ? "null" : HexFormat.of().formatHex(b);
    }
}
