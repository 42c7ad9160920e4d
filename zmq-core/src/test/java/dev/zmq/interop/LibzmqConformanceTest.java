package dev.zmq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zmq.Message;
import dev.zmq.SocketOption;
import dev.zmq.SocketType;
import dev.zmq.ZmqContext;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import dev.zmq.ZmqPoller;
import dev.zmq.ZmqSocket;
import dev.zmq.interop.LibzmqScenario.Observations;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same scenario on libzmq 4.3 (through pyzmq, {@code conformance/libzmq_scenarios.py}) and on
 * zmq-core, with the observable results compared line by line: where the patterns say how a socket
 * behaves, zmq-core behaves as libzmq does.
 */
@Timeout(120)
class LibzmqConformanceTest {
    /** The longest any single step waits for something that must happen (as WAIT in the script). */
    private static final int WAIT = 10_000;

    @Test
    void reqNeverTakesAStrayMessageForTheReply() {
        assertSameAsLibzmq("req-stray", (ctx, out) -> {
            var router = ctx.socket(SocketType.ROUTER);
            router.bind("inproc://req-stray");
            var req = ctx.socket(SocketType.REQ);
            req.connect("inproc://req-stray");
            req.send("q1");
            var request = router.recv();
            out.add("router-got", Observations.frames(request.dropFirst(1)));
            router.send(Message.of(request.first(), new byte[0], bytes("a1")));
            router.send(Message.of(request.first(), new byte[0], bytes("stray")));
            out.add("reply-1", Observations.frames(req.recv()));
            req.send("q2");
            request = router.recv();
            out.add("router-got", Observations.frames(request.dropFirst(1)));
            router.send(Message.of(request.first(), new byte[0], bytes("a2")));
            out.add("reply-2", recvOrNone(req, WAIT));
        });
    }

    @Test
    void reqRelaxedNeverReturnsTheLateReplyToAnEarlierRequestOverTcp() {
        reqRelaxed("tcp");
    }

    @Test
    void reqRelaxedNeverReturnsTheLateReplyToAnEarlierRequestOverInproc() {
        reqRelaxed("inproc");
    }

    private void reqRelaxed(String transport) {
        assertSameAsLibzmq("req-relaxed-late-reply", (ctx, out) -> {
            var router = ctx.socket(SocketType.ROUTER);
            var endpoint = router.bind(transport.equals("tcp") ? "tcp://127.0.0.1:*" : "inproc://req-relaxed");
            var req = ctx.socket(SocketType.REQ);
            req.set(SocketOption.REQ_RELAXED, true);
            req.connect(endpoint);
            req.send("q1");
            var request = router.recv();
            router.send(Message.of(request.first(), new byte[0], bytes("a1")));
            out.add("late-reply-arrived", events(req, ZmqPoller.POLLIN, WAIT));
            req.send("q2");
            request = router.recv();
            out.add("router-got", Observations.frames(request.dropFirst(1)));
            router.send(Message.of(request.first(), new byte[0], bytes("a2")));
            out.add("reply", recvOrNone(req, WAIT));
            out.add("then", recvOrNone(req, 0));
        }, transport);
    }

    @Test
    void routerMandatoryIsWritableOnlyWhileAPeerCanTakeAMessage() {
        assertSameAsLibzmq("router-mandatory-pollout", (ctx, out) -> {
            var router = ctx.socket(SocketType.ROUTER);
            router.set(SocketOption.ROUTER_MANDATORY, true);
            router.set(SocketOption.SNDHWM, 2);
            router.bind("inproc://mandatory");
            out.add("pollout-no-peer", events(router, ZmqPoller.POLLOUT, 0));
            var plain = ctx.socket(SocketType.ROUTER);
            out.add("pollout-without-mandatory", events(plain, ZmqPoller.POLLOUT, 0));
            var dealer = ctx.socket(SocketType.DEALER);
            dealer.set(SocketOption.ROUTING_ID, bytes("d"));
            dealer.set(SocketOption.RCVHWM, 2);
            dealer.connect("inproc://mandatory");
            dealer.send("hello");
            out.add("router-got", Observations.frames(router.recv()));
            out.add("pollout-peer", events(router, ZmqPoller.POLLOUT, WAIT));
            int sent = 0;
            while (sent < 100_000 && router.trySend(Message.of(bytes("d"), bytes("m" + sent)))) {
                sent++;
            }
            out.add("filled", sent > 0 && sent < 100_000 ? "1" : "0");
            out.add("pollout-peer-full", events(router, ZmqPoller.POLLOUT, 0));
            var first = dealer.recv();
            for (int i = 1; i < sent; i++) {
                dealer.recv();
            }
            out.add("dealer-got-first", Observations.frames(first));
            out.add("pollout-after-read", events(router, ZmqPoller.POLLOUT, WAIT));
            try {
                router.trySend(Message.of(bytes("nobody"), bytes("x")));
                out.add("send-unknown", "ok");
            } catch (ZmqException e) {
                out.add("send-unknown", e.error() == ZmqError.EHOSTUNREACH ? "EHOSTUNREACH" : e.error().name());
            }
        });
    }

    @Test
    void xsubReceivesEverythingIncludingTheWelcomeMessageAndWhatWasUnderWayAtUnsubscribe() {
        assertSameAsLibzmq("xsub-receives-all", (ctx, out) -> {
            var xpub = ctx.socket(SocketType.XPUB);
            xpub.set(SocketOption.XPUB_WELCOME_MSG, bytes("welcome"));
            xpub.bind("inproc://xsub-all");
            var xsub = ctx.socket(SocketType.XSUB);
            xsub.connect("inproc://xsub-all");
            xsub.send(new byte[] {1, 'a'});
            out.add("xpub-got", Observations.frames(xpub.recv()));
            xpub.send("a1");
            xpub.send("a2");
            xsub.send(new byte[] {0, 'a'});
            out.add("xpub-got", recvOrNone(xpub, WAIT));
            for (int i = 0; i < 3; i++) {
                out.add("xsub-got", recvOrNone(xsub, WAIT));
            }
            out.add("xsub-then", recvOrNone(xsub, 0));
        });
    }

    @Test
    void routerHandoverGivesAKnownRoutingIdToTheNewConnection() {
        assertSameAsLibzmq("router-handover", (ctx, out) -> {
            var router = ctx.socket(SocketType.ROUTER);
            router.set(SocketOption.ROUTER_HANDOVER, true);
            router.set(SocketOption.ROUTER_MANDATORY, true);
            var endpoint = router.bind("tcp://127.0.0.1:*");
            var a = ctx.socket(SocketType.DEALER);
            a.set(SocketOption.ROUTING_ID, bytes("x"));
            a.connect(endpoint);
            a.send("from-a");
            out.add("router-got", Observations.frames(router.recv()));
            var b = ctx.socket(SocketType.DEALER);
            b.set(SocketOption.ROUTING_ID, bytes("x"));
            b.connect(endpoint);
            b.send("from-b");
            out.add("router-got", Observations.frames(router.recv()));
            router.send(Message.of(bytes("x"), bytes("to-x")));
            out.add("b-got", recvOrNone(b, WAIT));
            out.add("a-got", recvOrNone(a, 200));
        }, "ROUTER");
    }

    @Test
    void repAcceptsTheRouterOptionsAsLibzmqDoes() {
        assertSameAsLibzmq("router-handover", (ctx, out) -> {
            var rep = ctx.socket(SocketType.REP);
            rep.set(SocketOption.ROUTER_HANDOVER, true);
            rep.set(SocketOption.ROUTER_MANDATORY, true);
            rep.bind("tcp://127.0.0.1:*");
            out.add("rep-accepts", "ok");
        }, "REP");
    }

    @Test
    void subAndXsubLingerZeroByDefaultTheOthersInfinite() {
        assertSameAsLibzmq("default-linger", (ctx, out) -> {
            for (var type : new SocketType[] {SocketType.PAIR, SocketType.PUB, SocketType.SUB, SocketType.REQ, SocketType.REP,
                    SocketType.DEALER, SocketType.ROUTER, SocketType.PULL, SocketType.PUSH, SocketType.XPUB, SocketType.XSUB}) {
                try (var s = ctx.socket(type)) {
                    out.add("linger-" + type, Integer.toString(s.get(SocketOption.LINGER)));
                }
            }
        });
    }

    @Test
    void defaultLingerDeliversAfterCloseWhenThePeerComesBackOverTcp() {
        lingerAfterClose("tcp", dev.zmq.testkit.Endpoints::unused);
    }

    @Test
    void defaultLingerDeliversAfterCloseWhenThePeerComesBackOverIpc(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        var n = new java.util.concurrent.atomic.AtomicInteger();
        lingerAfterClose("ipc", () -> "ipc://" + dir.resolve("linger-" + n.incrementAndGet() + ".ipc"));
    }

    private void lingerAfterClose(String transport, java.util.function.Supplier<String> endpoints) {
        assertSameAsLibzmq("linger-after-close", (ctx, out) -> {
            var where = endpoints.get();
            var push = ctx.socket(SocketType.PUSH);
            push.connect(where);
            for (int i = 0; i < 3; i++) {
                push.send("m" + i);
            }
            push.close(); // default LINGER (-1)
            var pull = ctx.socket(SocketType.PULL);
            pull.bind(where);
            for (int i = 0; i < 3; i++) {
                out.add("pull-got", recvOrNone(pull, WAIT));
            }
            out.add("pull-then", recvOrNone(pull, 0));
        }, transport, endpoints.get());
    }

    @Test
    void connectRoutingIdNamesThePeerOfTheNextConnect() {
        assertSameAsLibzmq("connect-routing-id", (ctx, out) -> {
            var dealer = ctx.socket(SocketType.DEALER);
            dealer.set(SocketOption.ROUTING_ID, bytes("announced"));
            var endpoint = dealer.bind("tcp://127.0.0.1:*");
            var router = ctx.socket(SocketType.ROUTER);
            router.set(SocketOption.CONNECT_ROUTING_ID, bytes("chosen"));
            router.connect(endpoint);
            dealer.send("hello");
            out.add("router-got", Observations.frames(router.recv()));
            router.send(Message.of(bytes("chosen"), bytes("hi")));
            out.add("dealer-got", recvOrNone(dealer, WAIT));
        });
    }

    @Test
    void probeRouterSendsAnEmptyMessageToEveryNewPeer() {
        assertSameAsLibzmq("probe-router", (ctx, out) -> {
            var router = ctx.socket(SocketType.ROUTER);
            var endpoint = router.bind("tcp://127.0.0.1:*");
            var dealer = ctx.socket(SocketType.DEALER);
            dealer.set(SocketOption.ROUTING_ID, bytes("d"));
            dealer.set(SocketOption.PROBE_ROUTER, true);
            dealer.connect(endpoint);
            out.add("router-got", recvOrNone(router, WAIT));
            router.send(Message.of(bytes("d"), bytes("welcome")));
            out.add("dealer-got", recvOrNone(dealer, WAIT));
        });
    }

    @Test
    void invertMatchingSendsToTheSubscribersAMessageDoesNotMatch() {
        assertSameAsLibzmq("invert-matching", (ctx, out) -> {
            var xpub = ctx.socket(SocketType.XPUB);
            xpub.set(SocketOption.INVERT_MATCHING, true);
            xpub.bind("inproc://invert");
            var sub = ctx.socket(SocketType.SUB);
            sub.set(SocketOption.INVERT_MATCHING, true);
            sub.subscribe("a");
            sub.connect("inproc://invert");
            out.add("xpub-got", recvOrNone(xpub, WAIT));
            for (var topic : new String[] {"a1", "b1", "a2", "c1"}) {
                xpub.send(topic);
            }
            out.add("sub-got", recvOrNone(sub, WAIT));
            out.add("sub-got", recvOrNone(sub, WAIT));
            out.add("sub-then", recvOrNone(sub, 0));
        });
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void assertSameAsLibzmq(String scenario, BiConsumer<ZmqContext, Observations> ours, String... args) {
        var expected = LibzmqScenario.run(scenario, args);
        var out = new Observations();
        try (var ctx = new ZmqContext()) {
            ours.accept(ctx, out); // the context closes the scenario's sockets
        }
        assertEquals(String.join("\n", expected), String.join("\n", out.lines()),
                "zmq-core differs from libzmq in scenario " + scenario + " " + String.join(" ", args));
    }

    /** "1" if {@code socket} shows {@code flag} within {@code timeoutMillis}, else "0" (zmq_poll on one socket). */
    static String events(ZmqSocket socket, int flag, int timeoutMillis) {
        try (var poller = new ZmqPoller()) {
            poller.register(socket, flag);
            poller.poll(timeoutMillis);
            return (poller.readyEvents(0) & flag) != 0 ? "1" : "0";
        }
    }

    /** The next message's frames if {@code socket} polls readable within {@code timeoutMillis}, else "none" (as the script). */
    static String recvOrNone(ZmqSocket socket, int timeoutMillis) {
        return events(socket, ZmqPoller.POLLIN, timeoutMillis).equals("1") ? Observations.frames(socket.recv()) : "none";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
