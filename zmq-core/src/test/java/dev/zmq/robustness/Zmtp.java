package dev.zmq.robustness;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Byte-level builders and parsers for ZMTP 3.x streams (RFC 23 and 37), written from the ABNF so
 * tests can build valid streams and then corrupt them. Nothing here is shared with the engine.
 */
final class Zmtp {
    static final int GREETING_SIZE = 64;
    static final int FLAG_MORE = 0x01;
    static final int FLAG_LONG = 0x02;
    static final int FLAG_COMMAND = 0x04;

    static final HexFormat HEX = HexFormat.of();

    private Zmtp() {
    }

    /** A NULL-mechanism client greeting for ZMTP 3.{@code minor}. */
    static byte[] greeting(int minor) {
        return greeting(3, minor, "NULL", false);
    }

    /**
     * signature (0xFF, 8 padding octets, 0x7F), version, mechanism (zero-padded to 20 octets),
     * as-server, 31 zero octets of filler.
     */
    static byte[] greeting(int major, int minor, String mechanism, boolean asServer) {
        var name = mechanism.getBytes(StandardCharsets.US_ASCII);
        if (name.length > 20) {
            throw new IllegalArgumentException("mechanism name longer than 20 octets: " + mechanism);
        }
        var g = new byte[GREETING_SIZE];
        g[0] = (byte) 0xFF;
        g[9] = 0x7F;
        g[10] = (byte) major;
        g[11] = (byte) minor;
        System.arraycopy(name, 0, g, 12, name.length);
        g[32] = (byte) (asServer ? 1 : 0);
        return g;
    }

    /** A command frame: short form when the body fits in 255 octets, long form otherwise. */
    static byte[] command(String name, byte[] data) {
        var nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length > 255) {
            throw new IllegalArgumentException("command name longer than 255 octets");
        }
        var body = ByteBuffer.allocate(1 + nameBytes.length + data.length)
                .put((byte) nameBytes.length).put(nameBytes).put(data).array();
        return frame(FLAG_COMMAND, body);
    }

    /** The NULL mechanism's READY command announcing {@code socketType}. */
    static byte[] ready(String socketType) {
        return ready(Map.of("Socket-Type", socketType.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A READY command with exactly these properties, in iteration order. */
    static byte[] ready(Map<String, byte[]> properties) {
        return command("READY", properties(properties));
    }

    /** The ERROR command with {@code reason} (at most 255 octets). */
    static byte[] error(String reason) {
        var r = reason.getBytes(StandardCharsets.US_ASCII);
        return command("ERROR", ByteBuffer.allocate(1 + r.length).put((byte) r.length).put(r).array());
    }

    /** Metadata encoding: name-length (1 octet), name, value-length (4 octets, big-endian), value. */
    static byte[] properties(Map<String, byte[]> properties) {
        var out = new ByteArrayOutputStream();
        properties.forEach((name, value) -> {
            var n = name.getBytes(StandardCharsets.US_ASCII);
            out.write(n.length);
            out.writeBytes(n);
            out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
            out.writeBytes(value);
        });
        return out.toByteArray();
    }

    /** Parses a metadata block; names are lower-cased because RFC 23 makes them case-insensitive. */
    static Map<String, byte[]> parseProperties(byte[] data) {
        var props = new LinkedHashMap<String, byte[]>();
        var b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            var name = new byte[b.get() & 0xFF];
            b.get(name);
            var value = new byte[b.getInt()];
            b.get(value);
            props.put(new String(name, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT), value);
        }
        return props;
    }

    /** One frame with the given flags; the LONG flag is added when the body needs it. */
    static byte[] frame(int flags, byte[] body) {
        boolean isLong = body.length > 255 || (flags & FLAG_LONG) != 0;
        var header = header(isLong ? flags | FLAG_LONG : flags, body.length);
        return concat(header, body);
    }

    /** Only the header of a frame: flags then a 1-octet or 8-octet size, as the LONG flag says. */
    static byte[] header(int flags, long size) {
        if ((flags & FLAG_LONG) != 0) {
            return ByteBuffer.allocate(9).put((byte) flags).putLong(size).array();
        }
        if (size < 0 || size > 255) {
            throw new IllegalArgumentException("short frame cannot carry " + size + " octets");
        }
        return new byte[] {(byte) flags, (byte) size};
    }

    /** A whole message: every frame but the last has MORE set. */
    static byte[] message(byte[]... frames) {
        var out = new ByteArrayOutputStream();
        for (int i = 0; i < frames.length; i++) {
            out.writeBytes(frame(i < frames.length - 1 ? FLAG_MORE : 0, frames[i]));
        }
        return out.toByteArray();
    }

    /** A whole message of UTF-8 string frames. */
    static byte[] message(String... frames) {
        var bytes = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            bytes[i] = frames[i].getBytes(StandardCharsets.UTF_8);
        }
        return message(bytes);
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (var p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A parsed 64-octet greeting. */
    record Greeting(int major, int minor, String mechanism, boolean asServer) {
        /** Parses {@code g}, failing on anything that is not a ZMTP 3.x greeting. */
        static Greeting parse(byte[] g) {
            if (g.length != GREETING_SIZE) {
                throw new IllegalArgumentException("greeting is " + g.length + " octets, not 64");
            }
            if ((g[0] & 0xFF) != 0xFF || g[9] != 0x7F) {
                throw new IllegalArgumentException("bad greeting signature: " + HEX.formatHex(g, 0, 10));
            }
            int len = 0;
            while (len < 20 && g[12 + len] != 0) {
                len++;
            }
            for (int i = 33; i < GREETING_SIZE; i++) {
                if (g[i] != 0) {
                    throw new IllegalArgumentException("greeting filler octet " + i + " is not zero");
                }
            }
            return new Greeting(g[10] & 0xFF, g[11] & 0xFF, new String(g, 12, len, StandardCharsets.US_ASCII), g[32] == 1);
        }
    }

    /** One frame read off the wire. */
    record Frame(int flags, byte[] body) {
        boolean isCommand() {
            return (flags & FLAG_COMMAND) != 0;
        }

        boolean hasMore() {
            return (flags & FLAG_MORE) != 0;
        }

        /** The command name (empty for a malformed command body). */
        String commandName() {
            requireCommand();
            if (body.length == 0 || body.length < 1 + (body[0] & 0xFF)) {
                return "";
            }
            return new String(body, 1, body[0] & 0xFF, StandardCharsets.US_ASCII);
        }

        /** The command data after the name. */
        byte[] commandData() {
            requireCommand();
            int start = body.length == 0 ? 0 : Math.min(body.length, 1 + (body[0] & 0xFF));
            return java.util.Arrays.copyOfRange(body, start, body.length);
        }

        boolean isCommand(String name) {
            return isCommand() && commandName().equals(name);
        }

        /** The reason of an ERROR command. */
        String errorReason() {
            if (!isCommand("ERROR")) {
                throw new IllegalStateException("not an ERROR command: " + this);
            }
            var data = commandData();
            int len = data.length == 0 ? 0 : Math.min(data[0] & 0xFF, data.length - 1);
            return new String(data, 1, len, StandardCharsets.US_ASCII);
        }

        private void requireCommand() {
            if (!isCommand()) {
                throw new IllegalStateException("not a command frame: " + this);
            }
        }

        @Override
        public String toString() {
            return isCommand()
                    ? "Command[" + commandName() + ", " + body.length + "B]"
                    : "Frame[flags=" + flags + ", " + body.length + "B " + HEX.formatHex(body, 0, Math.min(body.length, 16)) + "]";
        }
    }
}
