package dev.zmq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link Message} value type on its own (no sockets). */
class MessageTest {

    @Test
    void stringFramesAreUtf8WithoutTrailingNul() {
        var m = Message.of("héllo €", "");
        assertArrayEquals(new byte[] {'h', (byte) 0xC3, (byte) 0xA9, 'l', 'l', 'o', ' ', (byte) 0xE2, (byte) 0x82, (byte) 0xAC}, m.frame(0));
        assertEquals(0, m.frame(1).length);
        assertEquals("héllo €", m.frameString(0));
    }

    @Test
    void framesKeepTheirOrderAndSizes() {
        var m = Message.of(new byte[0], new byte[] {1, 2}, new byte[300]);
        assertEquals(3, m.size());
        assertEquals(302, m.byteSize());
        assertArrayEquals(new byte[0], m.first());
        assertEquals(300, m.last().length);
        assertEquals(List.of(0, 2, 300), m.frames().stream().map(f -> f.length).toList());
        assertEquals(m, Message.of(List.of(new byte[0], new byte[] {1, 2}, new byte[300])));
    }

    @Test
    void aOneFrameMessageIsTheSameAsTheArrayForm() {
        byte[] frame = {1, 2, 3};
        var m = Message.of(frame);
        assertEquals(1, m.size());
        assertSame(frame, m.first(), "not copied, as the array form");
        assertEquals(Message.of(new byte[][] {frame}), m);
        assertEquals(Message.of(new byte[][] {frame}).hashCode(), m.hashCode());
        assertThrows(NullPointerException.class, () -> Message.of((byte[]) null));
    }

    @Test
    void aMessageNeedsAFrame() {
        assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> Message.of(new byte[0][])).error());
        assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> Message.of(new String[0])).error());
    }

    @Test
    void equalityIsByContent() {
        assertEquals(Message.of("a", "b"), Message.of("a".getBytes(StandardCharsets.UTF_8), "b".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Message.of("a", "b").hashCode(), Message.of("a", "b").hashCode());
        assertNotEquals(Message.of("a", "b"), Message.of("ab"));
        assertNotEquals(Message.of("a", ""), Message.of("a"));
    }

    @Test
    void prependAndDropFirstManipulateEnvelopes() {
        var body = Message.of("body");
        var routed = body.prepend("id".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertEquals(Message.of("id", "", "body"), routed);
        assertEquals(body, routed.dropFirst(2));
        assertEquals(ZmqError.EINVAL, assertThrows(ZmqException.class, () -> routed.dropFirst(3)).error());
    }

    @Test
    void framesViewIsUnmodifiable() {
        var frames = Message.of("a").frames();
        assertThrows(UnsupportedOperationException.class, () -> frames.add(new byte[0]));
    }

    @Test
    void aOneFrameMessageBehavesAsAnyOtherThroughEveryAccessor() {
        byte[] body = {1, 2, 3};
        var one = Message.of(body);
        assertEquals(1, one.size());
        assertEquals(body, one.frame(0), "not copied");
        assertEquals(body, one.first());
        assertEquals(body, one.last());
        assertEquals(3, one.byteSize());
        assertEquals(List.of(body), one.frames());
        assertThrows(IndexOutOfBoundsException.class, () -> one.frame(1));
        assertThrows(UnsupportedOperationException.class, () -> one.frames().add(new byte[0]));
        assertEquals(one, Message.of(List.of(new byte[] {1, 2, 3})));
        assertEquals(one.hashCode(), Message.of(new byte[][] {{1, 2, 3}}).hashCode());
        assertNotEquals(one, Message.of(new byte[] {1, 2, 3}, new byte[0]));

        var enveloped = one.prepend("id".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertEquals(3, enveloped.size());
        assertArrayEquals(body, enveloped.last());
        var back = enveloped.dropFirst(2);
        assertEquals(one, back);
        assertEquals(1, back.size());
        assertThrows(ZmqException.class, () -> back.dropFirst(1));
        assertEquals(one, one.prepend());
    }

    @Test
    void routingIdAndGroupStayWithTheMessageAndDefaultToNone() {
        var plain = Message.of("x");
        assertEquals(0, plain.routingId());
        assertEquals("", plain.group());
        assertEquals(plain, plain.withRoutingId(0));

        var routed = plain.withRoutingId(7).withGroup("g");
        assertEquals(7, routed.routingId());
        assertEquals("g", routed.group());
        assertEquals(7, routed.prepend(new byte[0]).routingId(), "kept through envelope changes");
        assertEquals("g", routed.prepend(new byte[0]).dropFirst(1).group());
        assertEquals(0, routed.withRoutingId(0).routingId());
        assertEquals("g", routed.withRoutingId(0).group());
        assertEquals(plain, routed, "equality is by frames only");
        assertEquals("Message[1B \"x\", routingId=7, group=g]", routed.toString());
    }
}
