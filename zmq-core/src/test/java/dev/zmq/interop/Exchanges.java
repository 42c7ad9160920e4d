package dev.zmq.interop;

import static dev.zmq.interop.Checks.assertFrameEmpty;
import static dev.zmq.interop.Checks.assertMessage;
import static dev.zmq.interop.Checks.assertMessages;
import static dev.zmq.interop.Checks.receive;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.ZmqError;
import dev.zmq.ZmqException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/** The traffic each socket pattern naturally carries, checked frame by frame. */
final class Exchanges {
    static final int STREAM_LENGTH = 3000;
    private static final Duration ROUTABLE_DEADLINE = Duration.ofSeconds(10);

    private Exchanges() {
    }

    /**
     * Request-reply between a REQ or DEALER client and a REP or ROUTER server: a small, a
     * multi-frame and a large request, each answered. A DEALER adds and strips the empty delimiter
     * a REP needs; a ROUTER must see the client's routing id first (and REQ's delimiter after it)
     * and route the reply by that id.
     */
    static void requestReply(PeerSocket client, PeerSocket server) {
        var requests = Payloads.variety("request", 1);
        var replies = Payloads.variety("reply", 2);
        byte[] routingId = null;
        for (int i = 0; i < requests.size(); i++) {
            var what = client.label() + " -> " + server.label() + " round " + i;
            var request = requests.get(i);
            var reply = replies.get(i);
            boolean dealerToRep = client.type() == SocketType.DEALER && server.type() == SocketType.REP;
            client.send(dealerToRep ? request.prepend(new byte[0]) : request);

            var got = receive(server, what + " request");
            int envelope = server.type() != SocketType.ROUTER ? 0 : client.type() == SocketType.REQ ? 2 : 1;
            if (envelope > 0) {
                assertTrue(got.size() > envelope, () -> what + ": ROUTER expected " + envelope + " envelope frame(s) before the body, got " + got);
                assertTrue(got.frame(0).length > 0, () -> what + ": ROUTER got an empty routing id");
                if (routingId == null) {
                    routingId = got.frame(0);
                } else {
                    assertArrayEquals(routingId, got.frame(0), what + ": routing id changed on the same connection");
                }
                if (envelope == 2) {
                    assertFrameEmpty(got, 1, what + ": REQ's delimiter after the routing id");
                }
            }
            assertMessage(request, got.dropFirst(envelope), what + " request");

            server.send(envelope == 0 ? reply : reply.prepend(got.frames().subList(0, envelope).toArray(new byte[0][])));

            var answer = receive(client, what + " reply");
            if (dealerToRep) {
                assertFrameEmpty(answer, 0, what + ": REP's delimiter before the reply");
                assertTrue(answer.size() > 1, () -> what + ": reply has no body: " + answer);
                assertMessage(reply, answer.dropFirst(1), what + " reply");
            } else {
                assertMessage(reply, answer, what + " reply");
            }
        }
    }

    /**
     * Messages both ways between two sockets that need no envelope (DEALER-DEALER, PAIR-PAIR):
     * {@code first} sends each kind, then {@code second} answers with its own.
     */
    static void bothWays(PeerSocket first, PeerSocket second) {
        var there = Payloads.variety("there", 3);
        var back = Payloads.variety("back", 4);
        for (int i = 0; i < there.size(); i++) {
            first.send(there.get(i));
            assertMessage(there.get(i), receive(second, "message " + i), first.label() + " -> " + second.label() + " message " + i);
            second.send(back.get(i));
            assertMessage(back.get(i), receive(first, "message " + i), second.label() + " -> " + first.label() + " message " + i);
        }
    }

    /**
     * ROUTER to ROUTER: both have a ROUTING_ID; the connecting one (with ROUTER_MANDATORY) addresses
     * the bound one by its id, retrying while the handshake is not done (EHOSTUNREACH), and the
     * bound one answers by the id it received.
     */
    static void routerToRouter(PeerSocket connecting, byte[] connectingId, PeerSocket bound, byte[] boundId) {
        var requests = Payloads.variety("to-bound", 5);
        var replies = Payloads.variety("to-connecting", 6);
        for (int i = 0; i < requests.size(); i++) {
            var what = connecting.label() + " (connecting) <-> " + bound.label() + " (bound) round " + i;
            var request = requests.get(i).prepend(boundId);
            if (i == 0) {
                sendWhenRoutable(connecting, request, what);
            } else {
                connecting.send(request);
            }
            var got = receive(bound, what + " request");
            assertTrue(got.size() > 1, () -> what + ": no body after the routing id: " + got);
            assertArrayEquals(connectingId, got.frame(0), what + ": bound ROUTER saw the wrong routing id");
            assertMessage(requests.get(i), got.dropFirst(1), what + " request");

            bound.send(replies.get(i).prepend(connectingId));
            var answer = receive(connecting, what + " reply");
            assertTrue(answer.size() > 1, () -> what + ": no body after the routing id: " + answer);
            assertArrayEquals(boundId, answer.frame(0), what + ": connecting ROUTER saw the wrong routing id");
            assertMessage(replies.get(i), answer.dropFirst(1), what + " reply");
        }
    }

    /**
     * PUSH to PULL: a stream of {@link #STREAM_LENGTH} messages (more than the default high-water
     * marks hold, so the sender has to wait for the receiver), then a multi-frame and a large
     * message and an end marker, all in order and none lost or duplicated. The sender runs on its
     * own thread while this one receives.
     */
    static void pipeline(PeerSocket push, PeerSocket pull) {
        var messages = new ArrayList<>(Payloads.stream("seq", STREAM_LENGTH));
        messages.add(Payloads.multiFrame("multi"));
        messages.add(Payloads.large("large", 7));
        messages.add(Payloads.small("END"));
        var sender = CompletableFuture.runAsync(() -> push.sendAll(messages), runnable -> LibzmqProcess.daemon("interop-push", runnable).start());
        List<Message> received;
        try {
            received = pull.recvAll(messages.size(), Checks.RECV_TIMEOUT);
        } catch (ZmqException e) {
            throw new AssertionError(pull.label() + " did not receive the whole stream from " + push.label()
                    + " (sender " + senderState(sender) + "): " + e.getMessage(), e);
        }
        awaitSender(sender, push.label());
        assertMessages(messages, received, push.label() + " -> " + pull.label() + " stream");
    }

    /** Sends with ROUTER_MANDATORY set, retrying while the peer is not yet routable. */
    static void sendWhenRoutable(PeerSocket router, Message message, String what) {
        long deadline = System.nanoTime() + ROUTABLE_DEADLINE.toNanos();
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                router.send(message);
                return;
            } catch (ZmqException e) {
                if (e.error() != ZmqError.EHOSTUNREACH) {
                    throw e;
                }
                if (System.nanoTime() - deadline > 0) {
                    fail(what + ": peer still unroutable (EHOSTUNREACH) after " + attempts + " attempts in " + ROUTABLE_DEADLINE);
                }
                LockSupport.parkNanos(2_000_000);
            }
        }
    }

    private static String senderState(CompletableFuture<Void> sender) {
        if (!sender.isDone()) {
            return "still sending";
        }
        return sender.isCompletedExceptionally() ? "failed: " + sender.handle((v, t) -> String.valueOf(t)).join() : "done";
    }

    private static void awaitSender(CompletableFuture<Void> sender, String label) {
        try {
            sender.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(label + " failed to send the stream: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(label + " did not finish sending the stream although everything was received");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
