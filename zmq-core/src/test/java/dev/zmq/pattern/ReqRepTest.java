package dev.zmq.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqSocket;
import dev.zmq.testkit.Await;
import dev.zmq.testkit.Link;
import dev.zmq.testkit.Workers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** REQ and REP (RFC 28), between themselves and with DEALER and ROUTER. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReqRepTest {

    private static final byte[] EMPTY = new byte[0];

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reqAndRepKeepLockstep() {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.REP, SocketType.REQ)) {
            var rep = link.bound();
            var req = link.connected();
            req.set(SocketOption.RCVTIMEO, 100);
            rep.set(SocketOption.RCVTIMEO, (int) Await.SOON.toMillis());

            assertEquals(ZmqError.EFSM, assertThrows(ZmqException.class, req::recv).error(), "REQ must send first");
            assertEquals(ZmqError.EFSM, assertThrows(ZmqException.class, () -> rep.send("too early")).error(), "REP must receive first");

            for (int round = 0; round < 3; round++) {
                req.send(Message.of("q" + round, "part2"));
                assertEquals(ZmqError.EFSM, assertThrows(ZmqException.class, () -> req.send("again")).error(),
                        "a strict REQ cannot send twice in a row");
                assertEquals(Message.of("q" + round, "part2"), rep.recv(), "REP hands out the request without its envelope");
                assertEquals(ZmqError.EFSM, assertThrows(ZmqException.class, () -> rep.recv(Await.QUIET)).error(),
                        "REP must reply before receiving again");
                rep.send(Message.of("r" + round, "more"));
                assertEquals(Message.of("r" + round, "more"), Await.recv(req));
            }
        }
    }

    /**
     * A requester waiting for its reply over tcp parks at once (it does not yield first, see
     * SocketCore.recvWaiting): each reply, sent only once the requester is parked, must wake it.
     */
    @Test
    void aRequesterParkedForItsReplyIsWokenByEveryReply() throws Exception {
        int rounds = 100;
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.REP, SocketType.REQ)) {
            var rep = link.bound();
            var req = link.connected();
            try (var requester = Workers.start("parked-requester", 1, i -> {
                for (int round = 0; round < rounds; round++) {
                    req.send("q" + round);
                    assertEquals(Message.of("r" + round), Await.recv(req), "round " + round);
                }
            })) {
                var thread = requester.threads().get(0);
                for (int round = 0; round < rounds; round++) {
                    assertEquals(Message.of("q" + round), Await.recv(rep), "round " + round);
                    Await.parked(thread);
                    rep.send("r" + round);
                }
                requester.join();
            }
        }
    }

    @Test
    void repStripsAndRestoresADealersEnvelope() {
        try (var ctx = new ZmqContext(); var link = Link.of(ctx, SocketType.REP, SocketType.DEALER)) {
            var rep = link.bound();
            var dealer = link.connected();

            dealer.send(Message.of(EMPTY, utf8("hello")));
            assertEquals(Message.of("hello"), Await.recv(rep));
            rep.send("world");
            assertEquals(Message.of(EMPTY, utf8("world")), Await.recv(dealer));

            // a deeper envelope (as a proxy would add) is echoed back whole
            dealer.send(Message.of(utf8("hop1"), utf8("hop2"), EMPTY, utf8("x"), utf8("y")));
            assertEquals(Message.of("x", "y"), Await.recv(rep));
            rep.send(Message.of("z"));
            assertEquals(Message.of(utf8("hop1"), utf8("hop2"), EMPTY, utf8("z")), Await.recv(dealer));
        }
    }

    @Test
    void routerSeesRequestsFromReqAsIdDelimiterBody() {
        try (var ctx = new ZmqContext();
             var link = Link.of(ctx, SocketType.ROUTER, r -> { }, SocketType.REQ, r -> r.set(SocketOption.ROUTING_ID, utf8("client-1")))) {
            var router = link.bound();
            var req = link.connected();

            req.send("body");
            var request = Await.recv(router);
            assertEquals(3, request.size(), () -> "expected [id, empty, body], got " + request);
            assertArrayEquals(utf8("client-1"), request.frame(0));
            assertEquals(0, request.frame(1).length);
            assertEquals("body", request.frameString(2));

            router.send(Message.of(request.frame(0), EMPTY, utf8("reply")));
            assertEquals(Message.of("reply"), Await.recv(req));

            req.send(Message.of("a", "b"));
            assertEquals(Message.of(utf8("client-1"), EMPTY, utf8("a"), utf8("b")), Await.recv(router));
        }
    }

    @Test
    void repRoutesEachReplyToItsRequester() {
        try (var ctx = new ZmqContext(); var rep = ctx.socket(SocketType.REP);
             var req1 = ctx.socket(SocketType.REQ); var req2 = ctx.socket(SocketType.REQ)) {
            var endpoint = rep.bind("tcp://127.0.0.1:*");
            req1.connect(endpoint);
            req2.connect(endpoint);
            req1.send("from-1");
            req2.send("from-2");
            for (int i = 0; i < 2; i++) {
                var request = Await.recv(rep);
                rep.send("re:" + request.frameString(0));
            }
            assertEquals(Message.of("re:from-1"), Await.recv(req1));
            assertEquals(Message.of("re:from-2"), Await.recv(req2));
        }
    }

    @Test
    void reqLoadBalancesRequestsRoundRobinAcrossReps() {
        int repCount = 3;
        int rounds = 4;
        try (var ctx = new ZmqContext(); var req = ctx.socket(SocketType.REQ)) {
            var reps = new ArrayList<ZmqSocket>();
            try {
                for (int i = 0; i < repCount; i++) {
                    var rep = ctx.socket(SocketType.REP);
                    reps.add(rep);
                    req.connect(rep.bind("tcp://127.0.0.1:*"));
                }
                var servedBy = new ArrayList<Integer>();
                for (int n = 0; n < repCount * rounds; n++) {
                    req.send("req-" + n);
                    int who = awaitRequestOnOneOf(reps, Message.of("req-" + n));
                    reps.get(who).send("rep-" + who);
                    assertEquals(Message.of("rep-" + who), Await.recv(req));
                    servedBy.add(who);
                }
                // Strict round robin over pipes that exist from connect() on: a rotation repeated.
                assertEquals(repCount, servedBy.subList(0, repCount).stream().distinct().count(),
                        () -> "first " + repCount + " requests did not go to " + repCount + " different REPs: " + servedBy);
                for (int n = repCount; n < servedBy.size(); n++) {
                    assertEquals(servedBy.get(n - repCount), servedBy.get(n), "not round robin: " + servedBy);
                }
            } finally {
                reps.forEach(ZmqSocket::close);
            }
        }
    }

    @Test
    void strictReqRefusesASecondRequestButRelaxedReqSendsIt() {
        try (var ctx = new ZmqContext(); var relaxed = ctx.socket(SocketType.REQ);
             var rep1 = ctx.socket(SocketType.REP); var rep2 = ctx.socket(SocketType.REP)) {
            var strict = ctx.socket(SocketType.REQ); // closed below; the context closes it if the test fails first
            var e1 = rep1.bind("tcp://127.0.0.1:*");
            var e2 = rep2.bind("tcp://127.0.0.1:*");
            strict.connect(e1);
            strict.send("a");
            assertEquals(ZmqError.EFSM, assertThrows(ZmqException.class, () -> strict.send("b")).error());
            assertEquals(Message.of("a"), Await.recv(rep1));
            rep1.send("ra");
            assertEquals(Message.of("ra"), Await.recv(strict));
            strict.close();

            relaxed.set(SocketOption.REQ_RELAXED, true);
            relaxed.connect(e1);
            relaxed.connect(e2);
            relaxed.send("first"); // goes to one REP, which never answers
            var reps = List.of(rep1, rep2);
            int silent = awaitRequestOnOneOf(reps, Message.of("first"));
            relaxed.send("second"); // no EFSM: REQ_RELAXED gives up on the first request
            var other = reps.get(1 - silent);
            assertEquals(Message.of("second"), Await.recv(other), "round robin sends the retry to the other REP");
            other.send("answer-to-second");
            assertEquals(Message.of("answer-to-second"), Await.recv(relaxed));
        }
    }

    @Test
    void reqCorrelateDropsTheStaleReplyFromARep() {
        try (var ctx = new ZmqContext();
             var link = Link.of(ctx, SocketType.REP, r -> { }, SocketType.REQ, r -> {
                 r.set(SocketOption.REQ_RELAXED, true);
                 r.set(SocketOption.REQ_CORRELATE, true);
             })) {
            var rep = link.bound();
            var req = link.connected();
            req.send("a");
            req.send("b");
            assertEquals(Message.of("a"), Await.recv(rep));
            rep.send("reply-a"); // answers a request the REQ gave up on
            assertEquals(Message.of("b"), Await.recv(rep));
            rep.send("reply-b");
            assertEquals(Message.of("reply-b"), Await.recv(req), "the stale reply-a must be dropped");
            req.send("c");
            assertEquals(Message.of("c"), Await.recv(rep));
            rep.send("reply-c");
            assertEquals(Message.of("reply-c"), Await.recv(req));
        }
    }

    @Test
    void reqCorrelatePrefixesARequestIdAndAcceptsOnlyTheMatchingReply() {
        try (var ctx = new ZmqContext();
             var link = Link.of(ctx, SocketType.ROUTER, r -> { }, SocketType.REQ, r -> r.set(SocketOption.REQ_CORRELATE, true))) {
            var router = link.bound();
            var req = link.connected();
            req.send("q1");
            var request = Await.recv(router);
            assertEquals(4, request.size(), () -> "expected [peer id, request id, empty, body], got " + request);
            var peer = request.frame(0);
            var requestId = request.frame(1);
            assertEquals(4, requestId.length, "libzmq's request id is a 4-byte integer");
            assertEquals(0, request.frame(2).length);
            assertEquals("q1", request.frameString(3));

            var wrongId = requestId.clone();
            wrongId[3] ^= 0x5A;
            router.send(Message.of(peer, wrongId, EMPTY, utf8("bogus")));
            router.send(Message.of(peer, requestId, EMPTY, utf8("good")));
            assertEquals(Message.of("good"), Await.recv(req));

            req.send("q2");
            var second = Await.recv(router);
            assertNotEquals(new String(requestId, StandardCharsets.ISO_8859_1), new String(second.frame(1), StandardCharsets.ISO_8859_1),
                    "each request gets a new id");
            router.send(Message.of(peer, second.frame(1), EMPTY, utf8("good2")));
            assertEquals(Message.of("good2"), Await.recv(req));
        }
    }

    @Test
    void repIgnoresNothingWhenRequestsQueueUp() {
        // several REQs queue requests before the REP reads any: every one is answered exactly once
        int clients = 5;
        try (var ctx = new ZmqContext(); var rep = ctx.socket(SocketType.REP)) {
            var endpoint = rep.bind("tcp://127.0.0.1:*");
            var reqs = new ArrayList<ZmqSocket>();
            try {
                for (int i = 0; i < clients; i++) {
                    var req = ctx.socket(SocketType.REQ);
                    reqs.add(req);
                    req.connect(endpoint);
                    req.send("c" + i);
                }
                for (int i = 0; i < clients; i++) {
                    var request = Await.recv(rep);
                    rep.send("ack-" + request.frameString(0));
                }
                for (int i = 0; i < clients; i++) {
                    assertEquals(Message.of("ack-c" + i), Await.recv(reqs.get(i)));
                }
                assertNull(rep.recv(Await.QUIET));
            } finally {
                reqs.forEach(ZmqSocket::close);
            }
        }
    }

    /** Polls the sockets until one of them receives {@code expected}; returns its index. */
    static int awaitRequestOnOneOf(List<ZmqSocket> sockets, Message expected) {
        int[] who = {-1};
        Await.until("one of " + sockets.size() + " sockets to receive " + expected, () -> {
            for (int i = 0; i < sockets.size(); i++) {
                var m = sockets.get(i).tryRecv();
                if (m != null) {
                    assertEquals(expected, m, "socket " + i + " received something unexpected");
                    who[0] = i;
                    return true;
                }
            }
            return false;
        });
        return who[0];
    }
}
