package dev.zmq.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zmq.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Messages that carry their sender and sequence number in every frame, so a receiver can tell a
 * whole message from one whose frames were mixed with another's.
 *
 * <p>Layout: {@code ["t<sender>", "<seq>", body]} where body is {@code bodySize} bytes repeating
 * the 8-byte pair (sender, seq).
 */
public final class Tagged {
    public static final int FRAMES = 3;

    private Tagged() {
    }

    public record Tag(int sender, int seq) {
    }

    public static byte[] senderFrame(int sender) {
        return ("t" + sender).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] seqFrame(int seq) {
        return Integer.toString(seq).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] body(int sender, int seq, int bodySize) {
        var buf = ByteBuffer.allocate(bodySize);
        while (buf.remaining() >= 8) {
            buf.putInt(sender).putInt(seq);
        }
        return buf.array();
    }

    public static Message message(int sender, int seq, int bodySize) {
        return Message.of(senderFrame(sender), seqFrame(seq), body(sender, seq, bodySize));
    }

    /** Checks that {@code m} is one whole tagged message, and returns its tag. */
    public static Tag check(Message m, int bodySize) {
        assertEquals(FRAMES, m.size(), () -> "tagged message has wrong frame count: " + m);
        var sender = m.frameString(0);
        assertEquals('t', sender.charAt(0), () -> "first frame is not a sender tag: " + m);
        int s = Integer.parseInt(sender.substring(1));
        int seq = Integer.parseInt(m.frameString(1));
        assertArrayEquals(body(s, seq, bodySize), m.frame(2), () -> "body of (" + s + "," + seq + ") belongs to another message: " + m);
        return new Tag(s, seq);
    }
}
