package dev.zmq;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A whole ZeroMQ message: one or more frames, delivered all together or not at all.
 *
 * <p>A message is immutable once built. For speed it does not copy the byte arrays it is given
 * or hands out: do not modify an array after passing it to a message, nor one obtained from
 * {@link #frame(int)}. Frames may be empty. Strings are encoded as UTF-8 without a trailing NUL,
 * as libzmq and pyzmq peers expect.
 *
 * <p>A received message also carries read-only {@linkplain #property(String) properties} of the
 * connection it came in on, as libzmq's {@code zmq_msg_gets} gives them: {@code Socket-Type},
 * {@code Identity}, {@code Peer-Address}, and with PLAIN or CURVE authentication {@code User-Id}
 * and the metadata the ZAP handler returned. They are shared by all the messages of a connection
 * (never copied per message) and are ignored by {@link #equals(Object)}.
 */
public final class Message {
    private static final byte[][] NO_FRAMES = new byte[0][];

    static {
        // Lets the engine build messages from freshly decoded frames without a defensive copy.
        dev.zmq.internal.Frames.install(new FramesAccess());
    }

    /** The engine's access to a message's frames (see {@link dev.zmq.internal.Frames}): one class, no lambdas to spin. */
    private static final class FramesAccess extends dev.zmq.internal.Frames {
        @Override
        protected Message message(byte[][] frames) {
            return new Message(frames);
        }

        @Override
        protected Message message(byte[][] frames, Map<String, String> properties) {
            return new Message(frames, properties);
        }

        @Override
        protected Message oneFrameMessage(byte[] frame, Map<String, String> properties) {
            return new Message(frame, properties);
        }

        @Override
        protected byte[][] frameArray(Message message) {
            return Message.frameArray(message.frames);
        }
    }

    /** The longest group name, in UTF-8 bytes (libzmq's ZMQ_GROUP_MAX_LENGTH). */
    public static final int MAX_GROUP_LENGTH = 255;

    /**
     * The frames: the {@code byte[]} itself for a one-frame message (most messages: no array
     * around it to allocate), a {@code byte[][]} of two or more otherwise. Never anything else.
     */
    private final Object frames;
    /** Connection properties (unmodifiable, case-insensitive names), shared per connection. */
    private final Map<String, String> properties;
    /**
     * The draft-socket fields (routing id, group) in a side object, null for the messages of every
     * other socket type, so that a common message is three references and no more.
     */
    private final Draft draft;

    /** SERVER/PEER routing id (0 for none) and RADIO/DISH group ("" for none), when either is set. */
    private record Draft(int routingId, String group) {
        static Draft of(int routingId, String group) {
            return routingId == 0 && group.isEmpty() ? null : new Draft(routingId, group);
        }
    }

    private Message(byte[][] frames) {
        this(frames, Map.of());
    }

    private Message(byte[][] frames, Map<String, String> properties) {
        this(frames.length == 1 ? frames[0] : frames, properties, null);
    }

    private Message(byte[] frame, Map<String, String> properties) {
        this((Object) frame, properties, null);
    }

    private Message(Object frames, Map<String, String> properties, Draft draft) {
        this.frames = frames;
        this.properties = properties;
        this.draft = draft;
    }

    /**
     * A message's frames (its {@link #frames}) as an array: the message's own for two or more frames,
     * a new one-element array for one. Of the field's value, not of the message, in 24 bytecodes: the
     * engine reaches it through {@link dev.zmq.internal.Frames#unwrap} and {@link FramesAccess}, three
     * calls deep, where C1 inlines 27 bytecodes at most; at 36 it was a profiling-tier call per
     * message and a C2 compile of its own after the compiles that inline it (1-7 ms of a cold tcp
     * latency side's C2 thread, LogCompilation).
     */
    private static byte[][] frameArray(Object frames) {
        if (frames instanceof byte[][]) {
            return (byte[][]) frames;
        }
        return new byte[][] {(byte[]) frames};
    }

    /**
     * A one-frame message: the same as {@code of(new byte[][] {frame})}, without the array a
     * variable-arity call allocates for every message.
     */
    public static Message of(byte[] frame) {
        return new Message(Objects.requireNonNull(frame, "frame is null"), Map.of());
    }

    /** A message made of the given frames, in order. At least one frame is required. */
    public static Message of(byte[]... frames) {
        Objects.requireNonNull(frames, "frames");
        if (frames.length == 0) {
            throw new ZmqException(ZmqError.EINVAL, "a message needs at least one frame");
        }
        if (frames.length == 1) {
            return new Message(Objects.requireNonNull(frames[0], "frame is null"), Map.of());
        }
        var copy = frames.clone();
        for (int i = 0; i < copy.length; i++) {
            Objects.requireNonNull(copy[i], () -> "frame is null");
        }
        return new Message(copy);
    }

    /** A message made of the given strings, each encoded as one UTF-8 frame. */
    public static Message of(String... frames) {
        Objects.requireNonNull(frames, "frames");
        if (frames.length == 0) {
            throw new ZmqException(ZmqError.EINVAL, "a message needs at least one frame");
        }
        var bytes = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            bytes[i] = Objects.requireNonNull(frames[i], "frame is null").getBytes(StandardCharsets.UTF_8);
        }
        return new Message(bytes);
    }

    /** A message made of the given frames, in order. At least one frame is required. */
    public static Message of(List<byte[]> frames) {
        return of(frames.toArray(NO_FRAMES));
    }

    /** The number of frames, at least one. */
    public int size() {
        return frames instanceof byte[] ? 1 : ((byte[][]) frames).length;
    }

    /** Frame {@code index}, not copied. */
    public byte[] frame(int index) {
        if (frames instanceof byte[] one) {
            if (index != 0) {
                throw new ArrayIndexOutOfBoundsException("frame " + index + " of a 1-frame message");
            }
            return one;
        }
        return ((byte[][]) frames)[index];
    }

    /** Frame {@code index} decoded as UTF-8. */
    public String frameString(int index) {
        return new String(frame(index), StandardCharsets.UTF_8);
    }

    /** The first frame. */
    public byte[] first() {
        return frames instanceof byte[] one ? one : ((byte[][]) frames)[0];
    }

    /** The last frame: the body of most messages. */
    public byte[] last() {
        if (frames instanceof byte[] one) {
            return one;
        }
        var all = (byte[][]) frames;
        return all[all.length - 1];
    }

    /** The sum of the frame sizes in bytes. */
    public long byteSize() {
        // Counted on every send and receive: the one-frame case small enough to inline early, the loop apart.
        return frames instanceof byte[] one ? one.length : byteSize((byte[][]) frames);
    }

    private static long byteSize(byte[][] frames) {
        long total = 0;
        for (var f : frames) {
            total += f.length;
        }
        return total;
    }

    /** An unmodifiable list view of the frames. */
    public List<byte[]> frames() {
        return frames instanceof byte[] one ? List.of(one) : new FrameList((byte[][]) frames);
    }

    /**
     * A property of the connection this message was received on, or null: {@code "User-Id"} (the
     * user id a ZAP handler returned for a PLAIN or CURVE peer), {@code "Socket-Type"},
     * {@code "Identity"}, {@code "Peer-Address"} (the peer's IP address), any other property the
     * peer sent in its handshake metadata, and the metadata the ZAP handler returned. Names are
     * case-insensitive. Messages built by the application have none.
     */
    public String property(String name) {
        return properties.get(Objects.requireNonNull(name, "name"));
    }

    /** All the {@linkplain #property(String) properties}, unmodifiable (empty for messages built locally). */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * The routing id a SERVER or PEER socket gave the peer this message came from, and, on a message
     * sent by a SERVER or PEER, the peer it goes to (libzmq's {@code zmq_msg_routing_id}); 0 for none.
     */
    public int routingId() {
        return draft == null ? 0 : draft.routingId();
    }

    /** This message addressed to the SERVER or PEER peer {@code routingId} (0: none); frames and properties kept. */
    public Message withRoutingId(int routingId) {
        return routingId == routingId() ? this : new Message(frames, properties, Draft.of(routingId, group()));
    }

    /**
     * The group of a message a DISH received, or the group a message sent by a RADIO goes to
     * (libzmq's {@code zmq_msg_group}); empty for none.
     */
    public String group() {
        return draft == null ? "" : draft.group();
    }

    /**
     * This message for RADIO/DISH group {@code group}: at most {@value #MAX_GROUP_LENGTH} bytes in
     * UTF-8 (EINVAL otherwise, as libzmq's {@code zmq_msg_set_group}); frames and properties kept.
     */
    public Message withGroup(String group) {
        checkGroup(group);
        return new Message(frames, properties, Draft.of(routingId(), group));
    }

    /** Checks a RADIO/DISH group name: not null, at most {@value #MAX_GROUP_LENGTH} UTF-8 bytes. */
    public static void checkGroup(String group) {
        Objects.requireNonNull(group, "group");
        int length = group.getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_GROUP_LENGTH) {
            throw new ZmqException(ZmqError.EINVAL, "a group is at most " + MAX_GROUP_LENGTH + " bytes in UTF-8, got "
                    + length + " bytes: use a shorter group name");
        }
    }

    /** This message with {@code prefix} frames put before its own (properties kept). */
    public Message prepend(byte[]... prefix) {
        if (prefix.length == 0) {
            return this;
        }
        var own = frameArray(frames);
        var all = new byte[prefix.length + own.length][];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(own, 0, all, prefix.length, own.length);
        return new Message(all, properties, draft);
    }

    /** This message without its first {@code count} frames (properties kept). */
    public Message dropFirst(int count) {
        if (count <= 0) {
            return this;
        }
        int size = size();
        if (count >= size) {
            throw new ZmqException(ZmqError.EINVAL, "cannot drop " + count + " frames of a " + size + "-frame message");
        }
        var own = (byte[][]) frames; // two frames at least, or count >= size above
        return new Message(size - count == 1 ? own[size - 1] : Arrays.copyOfRange(own, count, size), properties, draft);
    }

    /** Frames only: properties, routing id and group are not compared. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Message other) || other.size() != size()) {
            return false;
        }
        for (int i = 0, n = size(); i < n; i++) {
            if (!Arrays.equals(frame(i), other.frame(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(frameArray(frames));
    }

    /** A short, printable description: frame sizes and the start of each frame. */
    @Override
    public String toString() {
        var sb = new StringBuilder("Message[");
        for (int i = 0, count = size(); i < count; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            var f = frame(i);
            sb.append(f.length).append("B");
            if (f.length > 0) {
                sb.append(' ');
                int n = Math.min(f.length, 16);
                boolean printable = true;
                for (int j = 0; j < n; j++) {
                    if (f[j] < 0x20 || f[j] > 0x7e) {
                        printable = false;
                        break;
                    }
                }
                if (printable) {
                    sb.append('"').append(new String(f, 0, n, StandardCharsets.US_ASCII)).append(n < f.length ? "…\"" : "\"");
                } else {
                    for (int j = 0; j < n; j++) {
                        sb.append(String.format("%02x", f[j]));
                    }
                    if (n < f.length) {
                        sb.append('…');
                    }
                }
            }
        }
        if (routingId() != 0) {
            sb.append(", routingId=").append(Integer.toUnsignedString(routingId()));
        }
        if (!group().isEmpty()) {
            sb.append(", group=").append(group());
        }
        return sb.append(']').toString();
    }

    private static final class FrameList extends AbstractList<byte[]> implements RandomAccess {
        private final byte[][] frames;

        FrameList(byte[][] frames) {
            this.frames = frames;
        }

        @Override
        public byte[] get(int index) {
            return frames[index];
        }

        @Override
        public int size() {
            return frames.length;
        }
    }
}
