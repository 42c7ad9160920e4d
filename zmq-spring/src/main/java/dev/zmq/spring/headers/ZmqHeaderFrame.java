package dev.zmq.spring.headers;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compact header frame: the 4 bytes {@code 0xFF 'Z' 'H' 0x01} (0xFF never occurs in UTF-8 text or
 * JSON, so no text frame starts like this), then each header as ZMTP writes connection metadata: one
 * byte name length (1 to 255), the name (ASCII), a 4-byte big-endian value length, the value (UTF-8).
 * Used as the first frame of dead letters and of messages on sockets with the header envelope.
 * Reading it in Python: see the README ("Header frame").
 */
public final class ZmqHeaderFrame {
    private static final byte[] MAGIC = {(byte) 0xFF, 'Z', 'H', 0x01};

    private ZmqHeaderFrame() {
    }

    /** The frame carrying {@code headers} (in iteration order). */
    public static byte[] encode(Map<String, String> headers) {
        var out = new ByteArrayOutputStream(64);
        out.writeBytes(MAGIC);
        headers.forEach((name, value) -> {
            var n = name.getBytes(StandardCharsets.US_ASCII);
            if (n.length == 0 || n.length > 255) {
                throw new IllegalArgumentException("A header name has 1 to 255 ASCII characters: '" + name + "'");
            }
            var v = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
            out.write(n.length);
            out.writeBytes(n);
            out.writeBytes(ByteBuffer.allocate(4).putInt(v.length).array());
            out.writeBytes(v);
        });
        return out.toByteArray();
    }

    /** Whether {@code frame} starts like a header frame. */
    public static boolean isHeaderFrame(byte[] frame) {
        return frame.length >= MAGIC.length && Arrays.equals(frame, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * The headers of {@code frame}, in order.
     *
     * @throws IllegalArgumentException naming the problem when the frame is not a well-formed header frame
     */
    public static Map<String, String> decode(byte[] frame) {
        if (!isHeaderFrame(frame)) {
            throw new IllegalArgumentException("Not a header frame: it must start with 0xFF 'Z' 'H' 0x01 (is the sender's "
                    + "header envelope on while this socket's is off, or the other way round?)");
        }
        var headers = new LinkedHashMap<String, String>();
        var in = ByteBuffer.wrap(frame, MAGIC.length, frame.length - MAGIC.length);
        while (in.hasRemaining()) {
            int nameLength = in.get() & 0xFF;
            if (nameLength == 0 || in.remaining() < nameLength + 4) {
                throw new IllegalArgumentException("Truncated header frame at byte " + in.position());
            }
            var name = new byte[nameLength];
            in.get(name);
            int valueLength = in.getInt();
            if (valueLength < 0 || in.remaining() < valueLength) {
                throw new IllegalArgumentException("Header '" + new String(name, StandardCharsets.US_ASCII)
                        + "' claims " + Integer.toUnsignedString(valueLength) + " bytes; " + in.remaining() + " remain");
            }
            var value = new byte[valueLength];
            in.get(value);
            headers.put(new String(name, StandardCharsets.US_ASCII), new String(value, StandardCharsets.UTF_8));
        }
        return headers;
    }
}
