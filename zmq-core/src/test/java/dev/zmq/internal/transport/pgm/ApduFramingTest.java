package dev.zmq.internal.transport.pgm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zmq.Message;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApduFramingTest {

    private static List<byte[]> cut(ApduWriter w) {
        var out = new ArrayList<byte[]>();
        byte[] t;
        while ((t = w.next()) != null) {
            out.add(t);
        }
        return out;
    }

    private static int offset(byte[] tsdu) {
        return ((tsdu[0] & 0xFF) << 8) | (tsdu[1] & 0xFF);
    }

    @Test
    void framesAsLibzmqSendsIt() {
        var w = new ApduWriter(1448);
        w.add(Message.of("topic", "hello 0"));
        var tsdus = cut(w);
        assertEquals(1, tsdus.size());
        // the bytes OpenPGM carried from libzmq 4.3.4 for the same message (see PgmCodecTest)
        assertArrayEquals(HexFormat.of().parseHex("00000601746f706963080068656c6c6f2030"), tsdus.get(0));
    }

    @Test
    void longFramesUseTheEightByteLength() {
        var w = new ApduWriter(1448);
        w.add(Message.of(new byte[300]));
        var t = w.next();
        assertEquals(0, offset(t));
        assertEquals((byte) 0xFF, t[2]);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 45}, java.util.Arrays.copyOfRange(t, 3, 11), "301: length counts the flags");
        assertEquals(0, t[11], "no MORE");
    }

    @Test
    void offsetsPointAtTheFirstMessageStartingInEachTsdu() {
        var w = new ApduWriter(100); // 98 bytes of stream per TSDU
        w.add(Message.of(new byte[150])); // length, flags and 150 bytes: 152, spans two TSDUs
        w.add(Message.of(new byte[10])); // 12 bytes
        var tsdus = cut(w);
        assertEquals(2, tsdus.size());
        assertEquals(0, offset(tsdus.get(0)));
        assertEquals(152 - 98, offset(tsdus.get(1)), "the second message starts 54 bytes in");
        assertEquals(2 + 152 + 12 - 98, tsdus.get(1).length);

        var big = new ApduWriter(100);
        big.add(Message.of(new byte[300]));
        var parts = cut(big);
        assertEquals(4, parts.size());
        assertEquals(0, offset(parts.get(0)));
        assertEquals(ApduWriter.NO_BOUNDARY, offset(parts.get(1)), "no message starts here");
        assertEquals(ApduWriter.NO_BOUNDARY, offset(parts.get(2)));
        assertEquals(parts.get(3).length - 2, offset(parts.get(3)),
                "as libzmq: the last piece of the stream points past its end, where the next message will start");
        assertNull(big.next());
    }

    @Test
    void readerRebuildsMessagesAndJoinsLateAtABoundary() {
        var w = new ApduWriter(64);
        var sent = new ArrayList<Message>();
        for (int i = 0; i < 40; i++) {
            var m = Message.of("topic".getBytes(), ("message " + i).getBytes(), new byte[i * 7]);
            sent.add(m);
            w.add(m);
        }
        var tsdus = cut(w);
        var all = new ArrayList<Message>();
        var reader = new ApduReader(all::add, -1);
        tsdus.forEach(reader::accept);
        assertEquals(sent, all);

        // Joining at every possible TSDU: the first message seen is a whole one, then all follow.
        for (int start = 1; start < tsdus.size(); start++) {
            var late = new ArrayList<Message>();
            var r = new ApduReader(late::add, -1);
            for (int i = start; i < tsdus.size(); i++) {
                r.accept(tsdus.get(i));
            }
            if (!late.isEmpty()) {
                int first = sent.indexOf(late.get(0));
                assertTrue(first >= 0, "joined at TSDU " + start + " with a whole message");
                assertEquals(sent.subList(first, sent.size()), late);
            }
        }
    }

    @Test
    void afterALossTheReaderDropsThePartialMessageAndRejoins() {
        var w = new ApduWriter(40);
        var sent = new ArrayList<Message>();
        for (int i = 0; i < 30; i++) {
            var m = Message.of("t", "body " + i + " " + "x".repeat(i));
            sent.add(m);
            w.add(m);
        }
        var tsdus = cut(w);
        var got = new ArrayList<Message>();
        var reader = new ApduReader(got::add, -1);
        for (int i = 0; i < tsdus.size(); i++) {
            if (i == 5) {
                reader.lost();
                assertFalse(reader.joined());
                continue; // TSDU 5 never arrives
            }
            reader.accept(tsdus.get(i));
        }
        assertTrue(got.size() < sent.size(), "something was lost");
        for (var m : got) {
            assertTrue(sent.contains(m), "only whole messages: " + m);
        }
        int resumed = sent.indexOf(got.get(got.size() - 1));
        assertEquals(sent.size() - 1, resumed, "decoding resumed and ran to the end");
    }

    @Test
    void badOffsetsAndFramingLeaveTheStreamUntilTheNextBoundary() {
        var got = new ArrayList<Message>();
        var reader = new ApduReader(got::add, -1);
        reader.accept(new byte[] {0, 50, 1, 0}); // offset past the data
        assertFalse(reader.joined());
        reader.accept(new byte[] {0, 0, 0}); // a zero length is not ZMTP 1.0
        assertFalse(reader.joined());
        assertEquals(2, reader.malformed());
        reader.accept(new byte[] {0, 0, 2, 0, 'x'});
        assertEquals(List.of(Message.of("x")), got);

        var limited = new ArrayList<Message>();
        var small = new ApduReader(limited::add, 3);
        small.accept(new byte[] {0, 0, 5, 0, 'a', 'b', 'c', 'd', 2, 0, 'e'});
        assertTrue(limited.isEmpty(), "a frame over MAXMSGSIZE is not delivered");
        assertEquals(1, small.malformed());
    }
}
