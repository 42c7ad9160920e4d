package dev.zmq.internal.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.zmq.Message;
import dev.zmq.SocketType;
import dev.zmq.internal.Frames;
import dev.zmq.internal.options.Options;
import dev.zmq.internal.pipe.DropCounter;
import dev.zmq.internal.pipe.Pipe;
import dev.zmq.internal.pipe.WakeCounts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * REQ and REP take the envelope off what they receive and put it on what they send: a one-frame
 * body of a message without properties comes as its bare frame, any other as a Message (keeping
 * the connection's properties), and a bare frame sent gets the envelope without a Message first.
 * On the wire (the frames the pipe carries) nothing differs.
 */
class EnvelopeBodyTest {
    private static final byte[] EMPTY = new byte[0];

    private final DropCounter drops = new DropCounter();
    private final WakeCounts quiet = new WakeCounts(); // the wake-ups are not what these tests check
    private final Pipe pipe = new Pipe(1000, 1000, false, quiet, quiet, drops);

    private Pattern attached(SocketType type) {
        var pattern = Patterns.create(type, new Options(type), drops);
        pattern.attach(pipe);
        return pattern;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void deliver(Message m) {
        pipe.pushIn(new ArrayList<>(List.of(m)));
    }

    /** The one message the pattern queued for the peer. */
    private Message sent() {
        var taken = new ArrayList<Message>();
        pipe.drainOut(taken, 16);
        assertEquals(1, taken.size());
        return taken.get(0);
    }

    @Test
    void repTakesAOneFrameRequestAsItsBareFrameAndRepliesWithTheDelimiter() {
        var rep = attached(SocketType.REP);
        var body = bytes("request");
        deliver(Frames.wrap(new byte[][] {EMPTY, body}));

        assertSame(body, rep.tryRecvFrame(), "the body itself, no Message around it");
        var reply = bytes("reply");
        assertEquals(true, rep.trySendAny(reply));

        var out = sent();
        assertEquals(2, out.size());
        assertEquals(0, out.frame(0).length, "the delimiter");
        assertSame(reply, out.frame(1));
    }

    @Test
    void repKeepsARoutedEnvelopeForTheReply() {
        var rep = attached(SocketType.REP);
        var hop = bytes("hop");
        var id = bytes("id");
        deliver(Frames.wrap(new byte[][] {hop, id, EMPTY, bytes("request")}));

        assertArrayEquals(bytes("request"), (byte[]) rep.tryRecvFrame());
        rep.trySendAny(bytes("reply"));

        var out = sent();
        assertEquals(4, out.size());
        assertSame(hop, out.frame(0));
        assertSame(id, out.frame(1));
        assertEquals(0, out.frame(2).length);
        assertArrayEquals(bytes("reply"), out.frame(3));
    }

    @Test
    void repGivesABodyOfSeveralFramesOrWithPropertiesAsAMessage() {
        var rep = attached(SocketType.REP);
        deliver(Frames.wrap(new byte[][] {EMPTY, bytes("a"), bytes("b")}));
        var two = assertInstanceOf(Message.class, rep.tryRecvFrame());
        assertEquals(2, two.size());
        assertArrayEquals(bytes("b"), two.frame(1));
        rep.trySend(Message.of("reply"));
        assertEquals(2, sent().size());

        deliver(Frames.wrap(new byte[][] {EMPTY, bytes("c")}, Map.of("Peer-Address", "10.0.0.1")));
        var withProperties = assertInstanceOf(Message.class, rep.tryRecvFrame());
        assertEquals(1, withProperties.size());
        assertEquals("10.0.0.1", withProperties.property("Peer-Address"), "the connection's properties kept");
    }

    @Test
    void repsMessageReceiveStillGivesAMessage() {
        var rep = attached(SocketType.REP);
        deliver(Frames.wrap(new byte[][] {EMPTY, bytes("request")}));

        assertEquals(Message.of("request"), rep.tryRecv());
    }

    @Test
    void reqSendsABareFrameBehindTheDelimiterAndTakesTheReplysBodyBare() {
        var req = attached(SocketType.REQ);
        var request = bytes("request");
        assertEquals(true, req.trySendAny(request));
        var out = sent();
        assertEquals(2, out.size());
        assertEquals(0, out.frame(0).length);
        assertSame(request, out.frame(1));

        var body = bytes("reply");
        deliver(Frames.wrap(new byte[][] {EMPTY, body}));
        assertSame(body, req.tryRecvFrame());
    }

    @Test
    void reqsMessageReceiveStillGivesAMessageWithTheConnectionsProperties() {
        var req = attached(SocketType.REQ);
        req.trySendAny(bytes("one"));
        sent();
        deliver(Frames.wrap(new byte[][] {EMPTY, bytes("reply")}));
        assertEquals(Message.of("reply"), req.tryRecv());

        req.trySendAny(bytes("two"));
        sent();
        deliver(Frames.wrap(new byte[][] {EMPTY, bytes("reply")}, Map.of("Peer-Address", "10.0.0.1")));
        var reply = req.tryRecv();
        assertEquals("10.0.0.1", reply.property("Peer-Address"));
        assertArrayEquals(bytes("reply"), reply.frame(0));
    }
}
