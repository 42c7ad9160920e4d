package dev.zmq.internal;

import dev.zmq.Message;
import java.util.Map;

/**
 * Trusted access to a {@link Message}'s frame array, for the engine's hot path: wrapping decoded
 * frames and reading frames to encode without copying. Not public API.
 */
public abstract class Frames {
    /**
     * The one instance, Message's own subclass, which implements the abstract methods below. One
     * object rather than four lambdas: a lambda is spun (a class generated and defined) on first use,
     * and the first request of a REQ socket loaded Message and spun its four inside the measured
     * window (inproc_lat: 3.7 ms from Message's load to this class's, most of the first roundtrip).
     */
    private static volatile Frames access;

    protected Frames() {
    }

    /** Called once by {@link Message}'s static initializer. */
    public static void install(Frames messageAccess) {
        access = messageAccess;
    }

    protected abstract Message message(byte[][] frames);

    protected abstract Message message(byte[][] frames, Map<String, String> properties);

    protected abstract Message oneFrameMessage(byte[] frame, Map<String, String> properties);

    protected abstract byte[][] frameArray(Message message);

    private static Frames access() {
        var a = access;
        if (a == null) {
            ensureInitialized();
            a = access;
        }
        return a;
    }

    /** A message over {@code frames}, which the caller never touches again. */
    public static Message wrap(byte[][] frames) {
        return access().message(frames);
    }

    /**
     * A received message over {@code frames} with its connection's properties ({@code properties}
     * is shared, not copied: pass an unmodifiable map).
     */
    public static Message wrap(byte[][] frames, Map<String, String> properties) {
        return access().message(frames, properties);
    }

    /**
     * A received one-frame message over {@code frame} with its connection's properties: the
     * message holds the frame itself, no array around it.
     */
    public static Message wrapOne(byte[] frame, Map<String, String> properties) {
        return access().oneFrameMessage(frame, properties);
    }

    /**
     * The message's frames as an array: its own for two or more frames (never modify it), a new
     * one-element array for a one-frame message (hot paths use {@link Message#size()} and
     * {@link Message#first()} for those instead).
     */
    public static byte[][] unwrap(Message message) {
        return access().frameArray(message);
    }

    private static void ensureInitialized() {
        try {
            Class.forName(Message.class.getName(), true, Message.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
