package dev.zmq.spring.listener;

import dev.zmq.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;

/**
 * Turns a value into ZeroMQ frames: {@code byte[]} and {@code String} are one frame,
 * {@code dev.zmq.Message} and {@code List<byte[]>} are their frames, a Spring
 * {@code Message<?>} is its payload, anything else goes through the {@link MessageConverter}
 * (JSON with Jackson).
 */
public final class FrameConversion {

    private FrameConversion() {
    }

    /** The frames of {@code value}, or null for null. */
    public static List<byte[]> toFrames(Object value, MessageConverter converter, MessageHeaders headers) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return List.of(bytes);
        }
        if (value instanceof String s) {
            return List.of(s.getBytes(StandardCharsets.UTF_8));
        }
        if (value instanceof Message m) {
            return m.frames();
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(byte[].class::isInstance)) {
            var frames = new ArrayList<byte[]>(list.size());
            list.forEach(f -> frames.add((byte[]) f));
            return frames;
        }
        if (value instanceof org.springframework.messaging.Message<?> m) {
            return toFrames(m.getPayload(), converter, m.getHeaders());
        }
        var converted = converter.toMessage(value, headers);
        if (converted == null) {
            throw new MessageConversionException("No converter turns a " + value.getClass().getName()
                    + " into a ZeroMQ frame: return byte[], String, dev.zmq.Message or List<byte[]>, or add Jackson for JSON");
        }
        var payload = converted.getPayload();
        if (payload instanceof byte[] bytes) {
            return List.of(bytes);
        }
        if (payload instanceof String s) {
            return List.of(s.getBytes(StandardCharsets.UTF_8));
        }
        throw new MessageConversionException("The converter produced a " + payload.getClass().getName() + ", not bytes");
    }

    /** {@code prefix} frames (may be null) followed by {@code frames}. */
    public static Message join(byte[][] prefix, List<byte[]> frames) {
        int n = prefix == null ? 0 : prefix.length;
        var all = new byte[n + frames.size()][];
        if (prefix != null) {
            System.arraycopy(prefix, 0, all, 0, n);
        }
        for (int i = 0; i < frames.size(); i++) {
            all[n + i] = frames.get(i);
        }
        return Message.of(all);
    }
}
