package dev.zmq.internal.transport.udp;

import java.nio.ByteBuffer;

/**
 * What a udp datagram holds, as libzmq's udp_engine.cpp writes and reads it.
 *
 * <p>RADIO/DISH: one message per datagram, {@code [group length: 1 byte][group][body]}, no other
 * header, no handshake. DGRAM: the body alone, the peer's address travelling as the datagram's own.
 * libzmq's buffers are {@value #MAX_DATAGRAM} bytes both ways (MAX_UDP_MSG): it reads no more of a
 * datagram than that, and its sender has no check (its out_event has a TODO there); here a larger
 * message is refused when sent and a larger datagram is dropped and counted when received.
 */
public final class UdpWire {
    /** libzmq's MAX_UDP_MSG: the largest datagram sent or received over udp. */
    public static final int MAX_DATAGRAM = 8192;

    private UdpWire() {
    }

    /** The datagram size of a RADIO message: the length byte, the group and the body. */
    public static int radioSize(int groupLength, int bodyLength) {
        return 1 + groupLength + bodyLength;
    }

    /** Writes {@code [length][group][body]} into {@code out} (cleared first) and flips it for sending. */
    public static void encodeRadio(byte[] group, byte[] body, ByteBuffer out) {
        out.clear();
        out.put((byte) group.length).put(group).put(body).flip();
    }

    /** A received RADIO datagram, or why it is dropped. */
    public sealed interface Decoded permits Message, Malformed {
    }

    /** The group and body of a well-formed datagram. */
    public record Message(byte[] group, byte[] body) implements Decoded {
    }

    /** A datagram that is dropped, and why. */
    public record Malformed(String reason) implements Decoded {
    }

    /**
     * Decodes the first {@code length} bytes of {@code data} as a RADIO datagram. As libzmq, a length
     * byte that points past the end drops the datagram; an empty datagram is dropped too (libzmq
     * would read a stale byte) and one over {@value #MAX_DATAGRAM} bytes (libzmq would truncate it).
     * The length byte is unsigned: libzmq 4.3 reads it as a plain char, which is signed on x86, so a
     * group over 127 bytes breaks its reader; ours takes the 255 bytes its sender can write.
     */
    public static Decoded decodeRadio(byte[] data, int length) {
        if (length == 0) {
            return new Malformed("empty datagram (no group length byte)");
        }
        if (length > MAX_DATAGRAM) {
            return new Malformed(length + "-byte datagram, over the " + MAX_DATAGRAM + "-byte udp limit");
        }
        int groupLength = data[0] & 0xFF;
        if (1 + groupLength > length) {
            return new Malformed("group length " + groupLength + " runs past the end of a " + length + "-byte datagram");
        }
        var group = new byte[groupLength];
        System.arraycopy(data, 1, group, 0, groupLength);
        var body = new byte[length - 1 - groupLength];
        System.arraycopy(data, 1 + groupLength, body, 0, body.length);
        return new Message(group, body);
    }

    /** The largest body a message of group {@code groupLength} bytes can have over udp. */
    public static int maxBody(int groupLength) {
        return MAX_DATAGRAM - 1 - groupLength;
    }
}
