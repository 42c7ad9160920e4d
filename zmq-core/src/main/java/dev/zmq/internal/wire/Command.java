package dev.zmq.internal.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A ZMTP command frame body: a one-byte name length, the name, then command-specific data
 * (RFC 37; the RFC's prose mentions a null separator, its ABNF and every implementation use the
 * length prefix, which is what this follows).
 */
public sealed interface Command {

    /** The command's name as on the wire, e.g. "READY". */
    String name();

    /** READY: the NULL/PLAIN/CURVE handshake's metadata. */
    record Ready(Metadata metadata) implements Command {
        @Override
        public String name() {
            return "READY";
        }
    }

    /** ERROR: the peer refuses the handshake, with a reason. */
    record Error(String reason) implements Command {
        @Override
        public String name() {
            return "ERROR";
        }
    }

    /** PING (ZMTP 3.1 heartbeat): TTL in tenths of a second and up to 16 bytes of context. */
    record Ping(int ttlDeciseconds, byte[] context) implements Command {
        @Override
        public String name() {
            return "PING";
        }
    }

    /** PONG (ZMTP 3.1 heartbeat reply), echoing the PING's context. */
    record Pong(byte[] context) implements Command {
        @Override
        public String name() {
            return "PONG";
        }
    }

    /** Any other command: its name and its data after the name. */
    record Other(String name, byte[] data) implements Command {
    }

    /** Parses a command frame body. */
    static Command decode(byte[] body) throws ZmtpProtocolException {
        if (body.length < 1 || body.length < 1 + (body[0] & 0xFF)) {
            throw new ZmtpProtocolException("command frame too short for its name");
        }
        int nameLen = body[0] & 0xFF;
        if (nameLen == 0) {
            throw new ZmtpProtocolException("command with an empty name");
        }
        var name = new String(body, 1, nameLen, StandardCharsets.US_ASCII);
        var data = Arrays.copyOfRange(body, 1 + nameLen, body.length);
        return switch (name) {
            case "READY" -> new Ready(Metadata.decode(data));
            case "ERROR" -> {
                if (data.length < 1 || data.length < 1 + (data[0] & 0xFF)) {
                    throw new ZmtpProtocolException("malformed ERROR command");
                }
                yield new Error(new String(data, 1, data[0] & 0xFF, StandardCharsets.UTF_8));
            }
            case "PING" -> {
                if (data.length < 2 || data.length > 2 + 16) {
                    throw new ZmtpProtocolException("malformed PING command");
                }
                int ttl = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
                yield new Ping(ttl, Arrays.copyOfRange(data, 2, data.length));
            }
            case "PONG" -> {
                if (data.length > 16) {
                    throw new ZmtpProtocolException("malformed PONG command");
                }
                yield new Pong(data);
            }
            default -> new Other(name, data);
        };
    }

    /** The frame body for a command named {@code name} with {@code data}. */
    static byte[] encode(String name, byte[] data) {
        var n = name.getBytes(StandardCharsets.US_ASCII);
        var out = new byte[1 + n.length + data.length];
        out[0] = (byte) n.length;
        System.arraycopy(n, 0, out, 1, n.length);
        System.arraycopy(data, 0, out, 1 + n.length, data.length);
        return out;
    }

    static byte[] ready(Metadata metadata) {
        return encode("READY", metadata.encode());
    }

    static byte[] error(String reason) {
        var r = reason.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(r.length, 255);
        var out = new ByteArrayOutputStream();
        out.write(len);
        out.write(r, 0, len);
        return encode("ERROR", out.toByteArray());
    }

    static byte[] ping(int ttlDeciseconds, byte[] context) {
        var data = new byte[2 + context.length];
        data[0] = (byte) (ttlDeciseconds >>> 8);
        data[1] = (byte) ttlDeciseconds;
        System.arraycopy(context, 0, data, 2, context.length);
        return encode("PING", data);
    }

    static byte[] pong(byte[] context) {
        return encode("PONG", context);
    }
}
