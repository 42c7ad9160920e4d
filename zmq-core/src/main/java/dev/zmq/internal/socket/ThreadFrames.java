package dev.zmq.internal.socket;

import dev.zmq.Message;
import dev.zmq.internal.Frames;
import java.util.ArrayList;
import java.util.Objects;

/** The frame-at-a-time state of one thread on one socket: parts given to sendMore, and the message being read frame by frame. */
final class ThreadFrames {
    /** The thread this state belongs to (see {@code SocketCore.frames()}); null only for {@link #NONE}. */
    final Thread owner;
    /** Belongs to no thread: what a socket's cache of the last caller's state holds before its first call. */
    static final ThreadFrames NONE = new ThreadFrames(null);

    /** The calling thread's state. */
    ThreadFrames() {
        this(Thread.currentThread());
    }

    private ThreadFrames(Thread owner) {
        this.owner = owner;
    }

    /** An ArrayList, not a List: C1 inlines {@link #hasParts}'s isEmpty (every send) only on a class type. */
    private final ArrayList<byte[]> sending = new ArrayList<>();
    private Message receiving;
    private int next;
    /** The destination of the calling thread's receive into its own memory: an array's range, or a buffer. */
    private byte[] intoArray;
    private int intoOffset;
    private int intoLength;
    private java.nio.ByteBuffer intoBuffer;
    /** The size of the frame the last {@link #copyOut} copied (all of it, or what fitted). */
    private int received;

    /** Adds a part given to sendMore. */
    void addPart(byte[] frame) {
        sending.add(Objects.requireNonNull(frame, "frame"));
    }

    /** Whether sendMore gave parts that wait for the last frame. */
    boolean hasParts() {
        return !sending.isEmpty();
    }

    /**
     * The message of the parts gathered so far and {@code last}, or null if none are (then {@code last}
     * is a message alone); the parts stay gathered until {@link #clearParts()}.
     */
    Message gatheredWith(byte[] last) {
        if (sending.isEmpty()) {
            return null;
        }
        var frames = new byte[sending.size() + 1][];
        for (int i = 0; i < sending.size(); i++) {
            frames[i] = sending.get(i);
        }
        frames[frames.length - 1] = Objects.requireNonNull(last, "frame");
        return Frames.wrap(frames);
    }

    /** The message was queued: the next send starts a new one. */
    void clearParts() {
        sending.clear();
    }

    /** Whether a message is being read frame by frame (RCVMORE). */
    boolean hasMore() {
        return receiving != null;
    }

    /** Starts reading {@code m} frame by frame; returns its first frame. */
    byte[] firstFrame(Message m) {
        if (m.size() == 1) {
            return m.frame(0);
        }
        receiving = m;
        next = 0;
        return nextFrame();
    }

    /** The next frame of the message being read; call only while {@link #hasMore()}. */
    byte[] nextFrame() {
        var frame = receiving.frame(next++);
        if (next == receiving.size()) {
            receiving = null;
        }
        return frame;
    }

    /** The next frame goes to {@code array[offset..offset+length)} ({@link #copyOut}); returns this. */
    ThreadFrames into(byte[] array, int offset, int length) {
        intoArray = array;
        intoOffset = offset;
        intoLength = length;
        intoBuffer = null;
        return this;
    }

    /** The next frame goes to {@code buffer}'s remaining bytes, its position moved past what was copied; returns this. */
    ThreadFrames into(java.nio.ByteBuffer buffer) {
        intoArray = null;
        intoBuffer = buffer;
        return this;
    }

    /**
     * Copies as much of {@code frame} as the destination takes (zmq_recv: the rest is cut off) and
     * returns its whole size. The destination is let go of: a thread-local must not keep the
     * application's memory.
     */
    int copyOut(byte[] frame) {
        var buffer = intoBuffer;
        if (buffer == null) {
            System.arraycopy(frame, 0, intoArray, intoOffset, Math.min(frame.length, intoLength));
            intoArray = null;
        } else {
            int n = Math.min(frame.length, buffer.remaining());
            buffer.put(buffer.position(), frame, 0, n);
            buffer.position(buffer.position() + n);
            intoBuffer = null;
        }
        received = frame.length;
        return frame.length;
    }

    /** The size {@link #copyOut} last returned. */
    int received() {
        return received;
    }

    /** No frame came: the destination is let go of (see {@link #copyOut}); returns -1. */
    int nothingReceived() {
        intoArray = null;
        intoBuffer = null;
        return -1;
    }
}
