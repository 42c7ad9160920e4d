package dev.zmq.internal;

import dev.zmq.Message;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Trusted access to a {@link Message}'s frame array, for the engine's hot path: wrapping decoded
 * frames and reading frames to encode without copying. Not public API.
 */
public final class Frames {
    private static volatile Function<byte[][], Message> wrapper;
    private static volatile BiFunction<byte[][], Map<String, String>, Message> wrapperWithProperties;
    private static volatile BiFunction<byte[], Map<String, String>, Message> oneFrameWrapper;
    private static volatile Function<Message, byte[][]> unwrapper;

    private Frames() {
    }

    /** Called once by {@link Message}'s static initializer. */
    public static void install(Function<byte[][], Message> wrap, BiFunction<byte[][], Map<String, String>, Message> wrapWithProperties,
                               BiFunction<byte[], Map<String, String>, Message> wrapOne, Function<Message, byte[][]> unwrap) {
        oneFrameWrapper = wrapOne;
        wrapperWithProperties = wrapWithProperties;
        wrapper = wrap;
        unwrapper = unwrap;
    }

    /** A message over {@code frames}, which the caller never touches again. */
    public static Message wrap(byte[][] frames) {
        var w = wrapper;
        if (w == null) {
            ensureInitialized();
            w = wrapper;
        }
        return w.apply(frames);
    }

    /**
     * A received message over {@code frames} with its connection's properties ({@code properties}
     * is shared, not copied: pass an unmodifiable map).
     */
    public static Message wrap(byte[][] frames, Map<String, String> properties) {
        var w = wrapperWithProperties;
        if (w == null) {
            ensureInitialized();
            w = wrapperWithProperties;
        }
        return w.apply(frames, properties);
    }

    /**
     * A received one-frame message over {@code frame} with its connection's properties: the
     * message holds the frame itself, no array around it.
     */
    public static Message wrapOne(byte[] frame, Map<String, String> properties) {
        var w = oneFrameWrapper;
        if (w == null) {
            ensureInitialized();
            w = oneFrameWrapper;
        }
        return w.apply(frame, properties);
    }

    /**
     * The message's frames as an array: its own for two or more frames (never modify it), a new
     * one-element array for a one-frame message (hot paths use {@link Message#size()} and
     * {@link Message#first()} for those instead).
     */
    public static byte[][] unwrap(Message message) {
        var u = unwrapper;
        if (u == null) {
            ensureInitialized();
            u = unwrapper;
        }
        return u.apply(message);
    }

    private static void ensureInitialized() {
        try {
            Class.forName(Message.class.getName(), true, Message.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
