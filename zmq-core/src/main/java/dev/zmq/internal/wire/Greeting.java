package dev.zmq.internal.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The 64-byte ZMTP 3.x greeting (RFC 23/37): signature, version, mechanism, as-server, filler.
 *
 * @param major peer's major version
 * @param minor peer's minor version
 * @param mechanism mechanism name, e.g. "NULL"
 * @param asServer the as-server flag
 */
public record Greeting(int major, int minor, String mechanism, boolean asServer) {
    public static final int SIZE = 64;
    /** Bytes needed to tell a ZMTP 3.x peer from an older one: signature and major version. */
    public static final int SIGNATURE_AND_MAJOR = 11;
    public static final int OUR_MAJOR = 3;
    public static final int OUR_MINOR = 1;

    /**
     * Our greeting. As libzmq does, the padding carries the routing id length plus one, which lets a
     * ZMTP 1.0 peer read the signature as a frame header.
     */
    public static byte[] encode(String mechanism, boolean asServer, int routingIdLength) {
        var g = new byte[SIZE];
        g[0] = (byte) 0xFF;
        long padding = routingIdLength + 1L;
        for (int i = 0; i < 8; i++) {
            g[8 - i] = (byte) (padding >>> (8 * i));
        }
        g[9] = 0x7F;
        g[10] = OUR_MAJOR;
        g[11] = OUR_MINOR;
        var name = mechanism.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, g, 12, Math.min(name.length, 20));
        g[32] = (byte) (asServer ? 1 : 0);
        return g;
    }

    /** The first 10 bytes of our greeting: what every ZMTP revision starts with. */
    public static byte[] signature(int routingIdLength) {
        return java.util.Arrays.copyOf(encode("NULL", false, routingIdLength), 10);
    }

    /** The rest of our ZMTP 3.x greeting after signature and major version. */
    public static byte[] tail(String mechanism, boolean asServer) {
        return java.util.Arrays.copyOfRange(encode(mechanism, asServer, 0), SIGNATURE_AND_MAJOR, SIZE);
    }

    /** ZMTP 2.0's socket type octet (RFC 15; XPUB and XSUB as libzmq numbers them). */
    public static int zmtp20TypeCode(dev.zmq.SocketType type) {
        return switch (type) {
            case PAIR -> 0;
            case PUB -> 1;
            case SUB -> 2;
            case REQ -> 3;
            case REP -> 4;
            case DEALER -> 5;
            case ROUTER -> 6;
            case PULL -> 7;
            case PUSH -> 8;
            case XPUB -> 9;
            case XSUB -> 10;
            default -> -1; // STREAM speaks no ZMTP; the draft types have no ZMTP 2.0 code
        };
    }

    /** The socket type for a ZMTP 2.0 socket type octet, or null. */
    public static dev.zmq.SocketType fromZmtp20TypeCode(int code) {
        for (var t : dev.zmq.SocketType.values()) {
            if (zmtp20TypeCode(t) == code) {
                return t;
            }
        }
        return null;
    }

    /** Parses a whole greeting whose signature was already checked. */
    public static Greeting decode(ByteBuffer b) throws ZmtpProtocolException {
        int major = b.get(10) & 0xFF;
        int minor = b.get(11) & 0xFF;
        int len = 0;
        while (len < 20 && b.get(12 + len) != 0) {
            len++;
        }
        var name = new byte[len];
        for (int i = 0; i < len; i++) {
            byte c = b.get(12 + i);
            if (c < 0x20 || c > 0x7E) {
                throw new ZmtpProtocolException("mechanism name is not printable ASCII");
            }
            name[i] = c;
        }
        for (int i = 12 + len; i < 32; i++) {
            if (b.get(i) != 0) {
                throw new ZmtpProtocolException("mechanism name is not zero-padded");
            }
        }
        return new Greeting(major, minor, new String(name, StandardCharsets.US_ASCII), b.get(32) == 1);
    }

    /**
     * Whether ZMTP 3.1 features (PING/PONG, SUBSCRIBE/CANCEL commands) may be used with this peer.
     * As libzmq: any version above 3.0 is spoken to as 3.1.
     */
    public boolean speaks31() {
        return major > 3 || minor >= 1;
    }
}
