package dev.zmq.interop;

import static dev.zmq.interop.Checks.assertFrameEmpty;
import static dev.zmq.interop.Checks.assertMessage;
import static dev.zmq.interop.Checks.receive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * REQ with REQ_CORRELATE and REQ_RELAXED against REP and ROUTER of another implementation, with
 * the REQ on either side: the request id travels as a 4-byte frame before the delimiter, a second
 * request may follow without waiting, and only the reply carrying the latest request's id is
 * delivered (stale, forged and id-less replies are dropped).
 */
class ReqCorrelateInteropTest {
    private static final LibzmqHost LIBZMQ = new LibzmqHost();

    record Case(boolean oursIsReq, Impl peer, SocketType serverType) {
        @Override
        public String toString() {
            var ours = Impl.underTest().label();
            return (oursIsReq ? ours : peer.label()) + " REQ (correlate, relaxed) connects, "
                    + (oursIsReq ? peer.label() : ours) + " " + serverType + " binds";
        }
    }

    static List<Case> cases() {
        var cases = new ArrayList<Case>();
        for (boolean oursIsReq : new boolean[] {true, false}) {
            for (var peer : List.of(Impl.JEROMQ, Impl.LIBZMQ)) {
                for (var serverType : List.of(SocketType.REP, SocketType.ROUTER)) {
                    cases.add(new Case(oursIsReq, peer, serverType));
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
    void onlyTheLatestRequestsReplyIsDelivered(Case c) {
        var self = Impl.underTest();
        try (var session = new PeerSession(LIBZMQ)) {
            var req = session.socket(c.oursIsReq() ? self : c.peer(), SocketType.REQ);
            var server = session.socket(c.oursIsReq() ? c.peer() : self, c.serverType());
            req.set(SocketOption.REQ_CORRELATE, true);
            req.set(SocketOption.REQ_RELAXED, true);
            req.connect(server.bind("tcp://127.0.0.1:*"));

            if (c.serverType() == SocketType.REP) {
                againstRep(c, req, server);
            } else {
                againstRouter(c, req, server);
            }
        }
    }

    private static void againstRep(Case c, PeerSocket req, PeerSocket rep) {
        req.send(Message.of("first"));
        req.send(Message.of("second")); // relaxed: no need to wait for the first reply
        assertMessage(Message.of("first"), receive(rep, "the first request"), c + ": first request at REP");
        rep.send(Message.of("reply-first"));
        assertMessage(Message.of("second"), receive(rep, "the second request"), c + ": second request at REP");
        rep.send(Message.of("reply-second"));
        assertMessage(Message.of("reply-second"), receive(req, "the reply to the second request"),
                c + ": REQ must drop the reply to the superseded request");

        req.send(Payloads.multiFrame("third"));
        assertMessage(Payloads.multiFrame("third"), receive(rep, "the third request"), c + ": third request at REP");
        rep.send(Payloads.multiFrame("reply-third"));
        assertMessage(Payloads.multiFrame("reply-third"), receive(req, "the reply to the third request"), c + ": third reply");
    }

    private static void againstRouter(Case c, PeerSocket req, PeerSocket router) {
        req.send(Message.of("first"));
        var first = correlatedRequest(c, router, "first");
        req.send(Message.of("second"));
        var second = correlatedRequest(c, router, "second");
        assertFalse(Arrays.equals(first.frame(1), second.frame(1)), () -> c + ": two requests carried the same request id");
        assertArrayEquals(first.frame(0), second.frame(0), c + ": routing id changed");

        router.send(reply(first, "reply-first"));                          // superseded request
        router.send(Message.of(second.frame(0), new byte[0], "no-id".getBytes())); // no request id at all
        router.send(Message.of(second.frame(0), flipped(second.frame(1)), new byte[0], "forged".getBytes()));
        router.send(reply(second, "reply-second"));
        assertMessage(Message.of("reply-second"), receive(req, "the reply carrying the second request's id"),
                c + ": REQ must drop replies whose request id is stale, missing or wrong");

        req.send(Message.of("third"));
        var third = correlatedRequest(c, router, "third");
        router.send(reply(third, "reply-third"));
        assertMessage(Message.of("reply-third"), receive(req, "the reply to the third request"), c + ": third reply");
    }

    /** Receives [routing id, request id (4 bytes), empty delimiter, body] at the ROUTER. */
    private static Message correlatedRequest(Case c, PeerSocket router, String body) {
        var got = receive(router, "request " + body);
        assertEquals(4, got.size(), () -> c + ": expected [routing id, request id, delimiter, body] at the ROUTER, got " + got);
        assertEquals(4, got.frame(1).length, () -> c + ": request id frame is not 4 bytes: " + got);
        assertFrameEmpty(got, 2, c + ": delimiter after the request id");
        assertEquals(body, got.frameString(3), () -> c + ": request body");
        return got;
    }

    private static Message reply(Message request, String body) {
        return Message.of(request.frame(0), request.frame(1), new byte[0], body.getBytes());
    }

    private static byte[] flipped(byte[] id) {
        var f = id.clone();
        f[0] ^= (byte) 0x80;
        return f;
    }

    private static void assertArrayEquals(byte[] expected, byte[] actual, String what) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, what);
    }
}
